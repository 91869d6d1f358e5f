#include <catch2/catch.hpp>

#include "offline/domain/config.h"

using namespace mck;

TEST_CASE("the shipped config/kiosk.toml loads") {
  auto c = LoadConfig(std::string(MCK_SOURCE_DIR) + "/config/kiosk.toml");
  INFO(c.status().ToString());
  REQUIRE(c.ok());
  CHECK(c->kiosk_number == 7);
  CHECK(c->catalog_seed.filename() == "procedures.json");
  CHECK(c->data_dir.is_absolute());
}

TEST_CASE("defaults apply to an empty config, relative paths resolve against the file") {
  auto c = ParseConfig("[kiosk]\ndata_dir = \"var\"\n", "/etc/mck/kiosk.toml");
  REQUIRE(c.ok());
  CHECK(c->data_dir == "/etc/mck/var");
  CHECK(c->retention_days == 30);
  CHECK(c->catalog_seed == "/etc/mck/procedures.json");
}

TEST_CASE("with no [devices] printer no printer is configured: file: is never a production default") {
  auto c = ParseConfig("[kiosk]\ndata_dir = \"var\"\n", "/etc/mck/kiosk.toml");
  REQUIRE(c.ok());
  CHECK(c->printer.empty());
  CHECK(KioskConfig{}.printer.empty());
  auto dev = ParseConfig("[devices]\nprinter = \"file:slips.bin\"\n", "/home/dev/mck/kiosk.toml");
  REQUIRE(dev.ok());
  CHECK(dev->printer == "file:/home/dev/mck/slips.bin");  // chosen explicitly, still works
}

TEST_CASE("config errors give the file, the line and the reason") {
  struct Case {
    const char* text;
    int line;
    const char* words;
  };
  const Case cases[] = {
      {"[kiosk]\nnumber = 7\nnumbr = 8\n", 3, "unknown key 'kiosk.numbr'"},
      {"[kiosk]\nnumber = 100\n", 2, "number must be a whole number from 1 to 99"},
      {"[kiosk]\nnumber = \"7\"\n", 2, "number must be a whole number"},
      {"\n\n[colours]\nx = 1\n", 3, "unknown key 'colours'"},
      {"[portal]\nurl = \"http://portal\"\n", 2, "https://"},
      {"[ui]\ntone_style = \"modern\"\n", 2, "tone_style must be one of: new, old"},
      {"[devices]\nprinter_width_mm = 72\n", 2, "58 or 80"},
      {"[privacy]\nretention_days = -1\n", 2, "retention_days"},
      {"[kiosk\nnumber = 7\n", 1, ""},
  };
  for (const auto& c : cases) {
    auto r = ParseConfig(c.text, "kiosk.toml");
    REQUIRE_FALSE(r.ok());
    INFO(r.status().message_en());
    CHECK(r.status().message_en().rfind("kiosk.toml:" + std::to_string(c.line) + ": ", 0) == 0);
    CHECK(r.status().message_en().find(c.words) != std::string::npos);
    CHECK(r.status().message_vi().rfind("kiosk.toml:" + std::to_string(c.line) + ": ", 0) == 0);
  }
}

TEST_CASE("a missing config file is a clear not-found error") {
  auto r = LoadConfig("/nonexistent/kiosk.toml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kNotFound);
  CHECK(r.status().message_vi().find("không mở được") != std::string::npos);
}

TEST_CASE("the display section: 102 dpi and the standard theme by default, out-of-range values refused") {
  auto d = ParseConfig("", "/etc/mck/kiosk.toml");
  REQUIRE(d.ok());
  CHECK(d->dpi == 102);
  CHECK(d->theme == "standard");
  auto c = ParseConfig("[display]\ndpi = 141\ntheme = \"high_contrast\"\n", "/etc/mck/kiosk.toml");
  REQUIRE(c.ok());
  CHECK(c->dpi == 141);
  CHECK(c->theme == "high_contrast");
  CHECK_FALSE(ParseConfig("[display]\ntheme = \"dark\"\n", "/etc/mck/kiosk.toml").ok());
  CHECK_FALSE(ParseConfig("[display]\ndpi = 20\n", "/etc/mck/kiosk.toml").ok());
  CHECK_FALSE(ParseConfig("[display]\ndiagonal = 21.5\n", "/etc/mck/kiosk.toml").ok());
}

TEST_CASE("the calling display section: off by default, a window or a display, out-of-range values refused") {
  auto d = ParseConfig("", "/etc/mck/kiosk.toml");
  REQUIRE(d.ok());
  CHECK_FALSE(d->calling_display_enabled);
  CHECK(d->calling_display_index == -1);
  CHECK(d->calling_display_next == 3);
  auto c = ParseConfig("[calling_display]\nenabled = true\ndisplay = 1\nwidth = 1920\nheight = 1080\nnext_count = 4\n",
                       "/etc/mck/kiosk.toml");
  REQUIRE(c.ok());
  CHECK(c->calling_display_enabled);
  CHECK(c->calling_display_index == 1);
  CHECK(c->calling_display_width == 1920);
  CHECK(c->calling_display_height == 1080);
  CHECK(c->calling_display_next == 4);
  CHECK_FALSE(ParseConfig("[calling_display]\nnext_count = 9\n", "/etc/mck/kiosk.toml").ok());
  CHECK_FALSE(ParseConfig("[calling_display]\nwidth = 10\n", "/etc/mck/kiosk.toml").ok());
  CHECK_FALSE(ParseConfig("[calling_display]\ntv = true\n", "/etc/mck/kiosk.toml").ok());
}

TEST_CASE("[suggestions]: the commune's answers by field id, checked like typed text") {
  auto c = ParseConfig("[suggestions]\nbirth_place = [\"Trạm y tế xã Mẫu\", \"Bệnh viện đa khoa huyện Lạng Giang\"]\n",
                       "/etc/mck/kiosk.toml");
  INFO(c.status().ToString());
  REQUIRE(c.ok());
  REQUIRE(c->suggestions.count("birth_place") == 1);
  CHECK(c->suggestions.at("birth_place") ==
        std::vector<std::string>{"Trạm y tế xã Mẫu", "Bệnh viện đa khoa huyện Lạng Giang"});
  CHECK(ParseConfig("", "k.toml")->suggestions.empty());
  const char* bad[] = {
      "[suggestions]\nbirth_place = \"Trạm y tế\"\n",                  // not a list
      "[suggestions]\nbirth_place = [1]\n",                            // not a string
      "[suggestions]\nbirth_place = [\"\"]\n",                         // empty
      "[suggestions]\nbirth_place = [\"Tra\\u0323m y te\\u0302\"]\n",  // decomposed (not NFC)
      "[suggestions]\nbirth_place = [\"a\\nb\"]\n",                    // two lines
      "[suggestions]\nbirth_place = [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\"]\n",  // too many
  };
  for (const char* text : bad) {
    INFO(text);
    auto r = ParseConfig(text, "/etc/mck/kiosk.toml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message_en().find("suggestions.birth_place") != std::string::npos);
    CHECK(r.status().message_en().find("kiosk.toml:") != std::string::npos);
  }
}

TEST_CASE("the scanner: none by default, sane or sane:NAME, bounded pages and bytes") {
  auto c = ParseConfig("[kiosk]\ndata_dir = \"var\"\n", "/etc/mck/kiosk.toml");
  REQUIRE(c.ok());
  CHECK(c->scanner.empty());  // the kiosk works without one
  CHECK(c->scan_max_pages == 20);
  CHECK(c->scan_max_dossier_mb == 25);
  auto s = ParseConfig(
      "[devices]\nscanner = \"sane:test:0\"\nscanner_options = \"test-picture=Grid\"\nscan_max_pages = 3\n"
      "scan_max_dossier_mb = 10\n",
      "/etc/mck/kiosk.toml");
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  CHECK(s->scanner == "sane:test:0");
  CHECK(s->scanner_options == "test-picture=Grid");
  CHECK(s->scan_max_pages == 3);
  CHECK(s->scan_max_dossier_mb == 10);
  auto bad = ParseConfig("[devices]\nscanner = \"usb\"\n", "/etc/mck/kiosk.toml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message_en().find("scanner") != std::string::npos);
  CHECK_FALSE(ParseConfig("[devices]\nscan_max_pages = 0\n", "/etc/mck/kiosk.toml").ok());
}
