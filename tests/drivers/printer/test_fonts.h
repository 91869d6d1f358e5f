// The kiosk's fonts, loaded once per test program (REQUIREd to load).
#pragma once

#include <catch2/catch.hpp>

#include <memory>

#include "drivers/printer/fonts.h"

namespace mck::printer::testing {

inline Fonts& TestFonts() {
  static std::unique_ptr<Fonts> fonts = [] {
    auto f = Fonts::Load();
    REQUIRE(f.ok());
    return std::move(f.value());
  }();
  return *fonts;
}

}  // namespace mck::printer::testing
