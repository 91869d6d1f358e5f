// Runs a fuzz target without libFuzzer (g++ builds, ASan builds, CI): every file of a corpus
// folder, then, deterministically, every prefix of it and every single-byte change of it (each
// byte set to 0x00, 0xFF and 0x80, and incremented), so truncated and corrupted lengths are
// covered even without coverage guidance.
//   corpus_runner DIR...
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  size_t files = 0, runs = 0;
  for (int i = 1; i < argc; ++i) {
    for (const auto& entry : std::filesystem::directory_iterator(argv[i])) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      ++files;
      LLVMFuzzerTestOneInput(data.data(), data.size());
      ++runs;
      for (size_t n = 0; n < data.size(); ++n) {
        std::vector<uint8_t> prefix(data.begin(), data.begin() + static_cast<long>(n));
        LLVMFuzzerTestOneInput(prefix.data(), prefix.size());
        ++runs;
      }
      for (size_t k = 0; k < data.size(); ++k) {
        for (int v : {0x00, 0xFF, 0x80, data[k] + 1}) {
          std::vector<uint8_t> m = data;
          m[k] = static_cast<uint8_t>(v);
          LLVMFuzzerTestOneInput(m.data(), m.size());
          ++runs;
        }
      }
    }
  }
  std::printf("corpus_runner: %zu files, %zu inputs, no crash\n", files, runs);
  return files > 0 ? 0 : 1;
}
