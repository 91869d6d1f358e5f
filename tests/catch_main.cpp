// The Catch2 v2 main, compiled once for every test program (it takes ~11 s on its own).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
