// Reading a whole file in a test (header only).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace mck::test {

// The file's bytes ("" when it cannot be read).
inline std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace mck::test
