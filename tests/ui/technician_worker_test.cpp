// The technician worker's CA listing (kiosk/app/technician_worker.h FindCaFiles): what the
// wizard's CA step offers from the config folder and a USB stick's mount point.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "kiosk/app/technician_worker.h"
#include "tests/ui/app_fixture.h"

namespace fs = std::filesystem;

namespace {
void Touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << "x";
}
}  // namespace

TEST_CASE("CA files are found in the folder and one level below, .pem and .crt only, sorted, one screen's worth") {
  const fs::path tmp = mck::app::uitest::MakeTempDir("mck-ca");
  const fs::path etc = tmp / "etc", media = tmp / "media";
  Touch(etc / "province-ca.pem");
  Touch(etc / "kiosk.key");                             // not a certificate file
  Touch(media / "usb1" / "ca.crt");                     // a stick's files: one level below
  Touch(media / "usb1" / "deep" / "hidden.pem");        // two levels below: not offered
  fs::create_directories(etc / "folder.pem");           // a folder, not a file
  auto files = mck::app::FindCaFiles({etc, media, tmp / "absent"});
  REQUIRE(files == std::vector<std::string>{(etc / "province-ca.pem").string(), (media / "usb1" / "ca.crt").string()});

  for (int i = 0; i < 20; ++i) Touch(media / "usb2" / ("c" + std::to_string(10 + i) + ".pem"));
  files = mck::app::FindCaFiles({etc, media});
  CHECK(files.size() == 12);
  CHECK(std::is_sorted(files.begin(), files.end()));
  fs::remove_all(tmp);
}
