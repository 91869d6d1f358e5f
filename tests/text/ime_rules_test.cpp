// Telex and VNI rules: the examples, tone placement and styles, undo, capitals, several
// words, non-Vietnamese words, the Composer's Backspace / SetText / Clear.
#include <catch2/catch.hpp>

#include "kiosk/text/ime.h"
#include "offline/domain/utf8.h"

using mck::text::Compose;
using mck::text::Composer;
using mck::text::InputMethod;
using mck::text::ToneStyle;

namespace {
std::string Telex(std::string_view keys, ToneStyle style = ToneStyle::kNew) {
  return Compose(InputMethod::kTelex, style, keys);
}
std::string Vni(std::string_view keys, ToneStyle style = ToneStyle::kNew) {
  return Compose(InputMethod::kVni, style, keys);
}
}  // namespace

TEST_CASE("the issue's example in both tone styles and both methods") {
  CHECK(Telex("Nguyeenx Thij Hoaf") == "Nguyễn Thị Hoà");
  CHECK(Telex("Nguyeenx Thij Hoaf", ToneStyle::kOld) == "Nguyễn Thị Hòa");
  CHECK(Vni("Nguye6n4 Thi5 Hoa2") == "Nguyễn Thị Hoà");
  CHECK(Vni("Nguye6n4 Thi5 Hoa2", ToneStyle::kOld) == "Nguyễn Thị Hòa");
}

TEST_CASE("tone placement: qu and gi initials") {
  CHECK(Telex("quas") == "quá");
  CHECK(Telex("gif") == "gì");
  CHECK(Telex("giaf") == "già");
  CHECK(Telex("gifa") == "già");  // the tone leaves the i once gi becomes the initial
  CHECK(Telex("giuwx") == "giữ");
  CHECK(Telex("giwx") == "giữ");
  CHECK(Telex("giuwowngf") == "giường");
  CHECK(Telex("quys") == "quý");
  CHECK(Telex("quoocs") == "quốc");
  CHECK(Telex("quyeenf") == "quyền");
  CHECK(Telex("quawng") == "quăng");
  CHECK(Telex("gins") == "gín");
}

TEST_CASE("tone placement: new and old styles for oa, oe, uy") {
  struct Case {
    const char* keys;
    const char* new_style;
    const char* old_style;
  };
  const Case cases[] = {
      {"hoaf", "hoà", "hòa"},
      {"thuys", "thuý", "thúy"},
      {"khoer", "khoẻ", "khỏe"},
      {"xoas", "xoá", "xóa"},
      {"hoaj", "hoạ", "họa"},
      {"tuyf", "tuỳ", "tùy"},
      {"thuyr", "thuỷ", "thủy"},
      {"oaf", "oà", "òa"},
      {"HOAF", "HOÀ", "HÒA"},
      // A final consonant or a third vowel decides alone: same in both styles.
      {"hoanf", "hoàn", "hoàn"},
      {"toans", "toán", "toán"},
      {"huynhf", "huỳnh", "huỳnh"},
      {"ngoaif", "ngoài", "ngoài"},
      {"khuyru", "khuỷu", "khuỷu"},
      {"quys", "quý", "quý"},
  };
  for (const auto& c : cases) {
    INFO(c.keys);
    CHECK(Telex(c.keys) == c.new_style);
    CHECK(Telex(c.keys, ToneStyle::kOld) == c.old_style);
  }
}

TEST_CASE("the tone moves when the vowel cluster changes") {
  CHECK(Telex("hofa") == "hoà");
  CHECK(Telex("hofa", ToneStyle::kOld) == "hòa");
  CHECK(Telex("hoafn", ToneStyle::kOld) == "hoàn");  // hòa + n → hoàn
  CHECK(Telex("thusy") == "thuý");
  CHECK(Telex("truowngf") == "trường");
  CHECK(Telex("truwfowng") == "trường");
  CHECK(Telex("nguyeenx") == "nguyễn");
  CHECK(Telex("nguyexen") == "nguyễn");  // tone before the circumflex: ẽ → ễ
  CHECK(Telex("tiengse") == "tiếng");
  CHECK(Telex("muaf") == "mùa");
  CHECK(Telex("muawf") == "mừa");
  CHECK(Telex("nuocws") == "nước");
  CHECK(Telex("hoawcj") == "hoặc");
  CHECK(Telex("ngoawfn") == "ngoằn");
  CHECK(Telex("ngoefo") == "ngoèo");
}

TEST_CASE("w, uow and the horn and breve") {
  CHECK(Telex("w") == "ư");
  CHECK(Telex("W") == "Ư");
  CHECK(Telex("tw") == "tư");
  CHECK(Telex("nhw") == "như");
  CHECK(Telex("uow") == "ươ");
  CHECK(Telex("uwow") == "ươ");
  CHECK(Telex("wow") == "ươ");
  CHECK(Telex("aw") == "ă");
  CHECK(Telex("ow") == "ơ");
  CHECK(Telex("uw") == "ư");
  CHECK(Telex("mwa") == "mưa");
  CHECK(Telex("muaw") == "mưa");
  CHECK(Telex("huwu") == "hưu");
  CHECK(Telex("huuw") == "hưu");
  CHECK(Telex("ruwowuj") == "rượu");
  CHECK(Telex("awa") == "â");  // a second modifier switches the mark
  CHECK(Telex("aaw") == "ă");
  CHECK(Telex("owo") == "ô");
  CHECK(Telex("uowo") == "uô");
}

TEST_CASE("undo: pressing a modifier again types it") {
  CHECK(Telex("aaa") == "aa");
  CHECK(Telex("eee") == "ee");
  CHECK(Telex("ooo") == "oo");
  CHECK(Telex("xooong") == "xoong");
  CHECK(Telex("ass") == "as");
  CHECK(Telex("aff") == "af");
  CHECK(Telex("tieengss") == "tiêngs");
  CHECK(Telex("ww") == "w");
  CHECK(Telex("uww") == "uw");
  CHECK(Telex("aww") == "aw");
  CHECK(Telex("uoww") == "uow");
  CHECK(Telex("ddd") == "dd");
  CHECK(Telex("DDD") == "DD");
  // After an undo the rest of the word is typed as is.
  CHECK(Telex("aaaa") == "aaa");
  CHECK(Telex("asss") == "ass");
  CHECK(Telex("www") == "ww");
  CHECK(Telex("aaas") == "aas");
  // ... and the next word composes again.
  CHECK(Telex("ass as") == "as á");
  CHECK(Vni("a11") == "a1");
  CHECK(Vni("a66") == "a6");
  CHECK(Vni("u77") == "u7");
  CHECK(Vni("a88") == "a8");
  CHECK(Vni("d99") == "d9");
  CHECK(Vni("a111") == "a11");
}

TEST_CASE("z and 0 remove the tone") {
  CHECK(Telex("asz") == "a");
  CHECK(Telex("hoafz") == "hoa");
  CHECK(Telex("az") == "az");  // nothing to remove: typed
  CHECK(Vni("a10") == "a");
  CHECK(Telex("asf") == "à");  // another tone replaces it
  CHECK(Vni("a12") == "à");
}

TEST_CASE("capitals are kept") {
  CHECK(Telex("DDaamf") == "Đầm");
  CHECK(Telex("NGUYEENX") == "NGUYỄN");
  CHECK(Telex("TRUOWNGF") == "TRƯỜNG");
  CHECK(Telex("Truowngf") == "Trường");
  CHECK(Telex("DDAWKS LAWKS") == "ĐẮK LẮK");
  CHECK(Telex("aA") == "â");
  CHECK(Telex("Aa") == "Â");
  CHECK(Telex("AAA") == "AA");
  CHECK(Telex("AS") == "Á");
  CHECK(Telex("ASS") == "AS");
  CHECK(Vni("D9A6M2") == "ĐẦM");
}

TEST_CASE("several words, punctuation and digits") {
  CHECK(Telex("Xin chaof, tooi teen laf Nguyeenx Vawn Thuwr.") == "Xin chào, tôi tên là Nguyễn Văn Thử.");
  CHECK(Telex("Soos 12, ngox 3/4 DDuwowngf Traafn Phus") == "Số 12, ngõ 3/4 Đường Trần Phú");
  CHECK(Telex("0912345678") == "0912345678");
  CHECK(Telex("Thoon Vis Duj, Xax Maaux\nTinhr Bawcs Ninh") == "Thôn Ví Dụ, Xã Mẫu\nTỉnh Bắc Ninh");
  CHECK(Vni("So61 12, Ngo4 3/4") == "Số 12, Ngõ 3/4");
  CHECK(Vni("0912345678") == "0912345678");
  CHECK(Vni("Xin cha2o") == "Xin chào");
  CHECK(Telex("") == "");
  CHECK(Telex("  ") == "  ");
}

TEST_CASE("keys that cannot make Vietnamese are typed as they are") {
  CHECK(Telex("email") == "email");
  CHECK(Telex("London") == "London");  // "nd" is no final: the o stays
  CHECK(Telex("matf") == "matf");      // huyền on a stop final: impossible
  CHECK(Telex("mats") == "mát");
  CHECK(Telex("matj") == "mạt");
  CHECK(Telex("qws") == "qws");  // q without u
  CHECK(Telex("iw") == "iw");
  CHECK(Telex("hoaa") == "hoaa");  // "oâ" is no Vietnamese cluster
  CHECK(Telex("s") == "s");
  CHECK(Telex("xyz") == "xyz");
  CHECK(Vni("x2") == "x2");
  CHECK(Vni("A1 B2") == "Á B2");
  CHECK(Telex("Kroong Pawcs") == "Krông Pắc");  // minority place names keep their clusters
}

// Names of the Central Highlands (Ê Đê, Jrai, Bahnar, Mnông, Xơ Đăng …) as the national ID
// database writes them: words that are not Kinh syllables. The keys still apply their marks, on the
// word's last syllable-like part, as Unikey does with its spelling check off.
TEST_CASE("names that are not Kinh syllables get their marks in Telex and VNI") {
  struct Name {
    const char* telex;
    const char* vni;
    const char* card;
  };
  const Name names[] = {
      {"Y Moan Eenuool", "Y Moan E6nuo6l", "Y Moan Ênuôl"},  // the example (Ê Đê)
      {"Ayun Hddowk", "Ayun Hd9o7k", "Ayun Hđơk"},
      {"Adrowng", "Adro7ng", "Adrơng"},
      {"Nie Kddawm", "Nie Kd9a8m", "Nie Kđăm"},
      {"Niee Kdawm", "Nie6 Kda8m", "Niê Kdăm"},
      {"Y Blook Eeban", "Y Blo6k E6ban", "Y Blôk Êban"},
      {"Rowmah Kpaw", "Ro7mah Kpa8", "Rơmah Kpă"},
      {"Bkroong", "Bkro6ng", "Bkrông"},
      {"Mdrawk", "Mdra8k", "Mdrăk"},
      {"H'Ngawm Glee", "H'Nga8m Gle6", "H'Ngăm Glê"},
      {"Row Chaam", "Ro7 Cha6m", "Rơ Châm"},
      {"Eebans", "E6ban1", "Êbán"},  // a tone on the last part
      {"Jrai H'Juin", "Jrai H'Juin", "Jrai H'Juin"},
  };
  for (const auto& n : names) {
    CAPTURE(n.telex, n.vni);
    CHECK(Telex(n.telex) == n.card);
    CHECK(Vni(n.vni) == n.card);
    CHECK(Telex(n.telex, ToneStyle::kOld) == n.card);
  }
  // Telex: a tone key after a vowel is a tone, as in any Telex; pressing it again types it.
  CHECK(Telex("Ksor") == "Ksỏ");
  CHECK(Telex("Ksorr") == "Ksor");
  CHECK(Vni("Ksor") == "Ksor");
  // Undo works on the last part too, and the rest of the word is then typed as is.
  CHECK(Telex("Eenuooo") == "Ênuoo");
  CHECK(Telex("Hdddow") == "Hddow");
  CHECK(Vni("E6nuo66l") == "Ênuo6l");
  // English words that are no Kinh syllable behave the same way (the undo key types them).
  CHECK(Telex("Facebook") == "Facebôk");
  CHECK(Telex("Faceboook") == "Facebook");
  CHECK(Telex("Obamaa") == "Obama");
  // Kinh words keep the spelling check: an impossible cluster or tone stays as typed.
  CHECK(Telex("hoaa") == "hoaa");
  CHECK(Telex("matf") == "matf");
}

TEST_CASE("Backspace deletes one character and later keys compose onto what is left") {
  Composer c(InputMethod::kTelex, ToneStyle::kNew);
  c.Backspace();  // nothing to delete
  CHECK(c.Text().empty());
  c.Key("tieengs");
  CHECK(c.Text() == "tiếng");
  c.Backspace();
  CHECK(c.Text() == "tiến");
  c.Key("g");
  CHECK(c.Text() == "tiếng");
  c.Backspace();
  c.Backspace();
  c.Backspace();
  CHECK(c.Text() == "ti");
  c.Key("e");
  CHECK(c.Text() == "tie");
  c.Key("e");
  CHECK(c.Text() == "tiê");

  Composer d(InputMethod::kTelex, ToneStyle::kNew);
  d.Key("Hoaf Binhf");
  CHECK(d.Text() == "Hoà Bình");
  for (int i = 0; i < 5; ++i) d.Backspace();
  CHECK(d.Text() == "Hoà");
  d.Key("n");
  CHECK(d.Text() == "Hoàn");
  d.Key("h");
  CHECK(d.Text() == "Hoành");

  // After an undo, Backspace lets the word compose again.
  Composer e(InputMethod::kTelex, ToneStyle::kNew);
  e.Key("aaa");
  CHECK(e.Text() == "aa");
  e.Backspace();
  CHECK(e.Text() == "a");
  e.Key("a");
  CHECK(e.Text() == "â");
  e.Key("s");
  CHECK(e.Text() == "ấ");
  // Backspace removes one code point, never half of one.
  e.Backspace();
  CHECK(e.Text().empty());
  e.Backspace();
  CHECK(e.Text().empty());

  // Backspace over a space joins the previous word again.
  Composer f(InputMethod::kTelex, ToneStyle::kNew);
  f.Key("Vieet ");
  f.Backspace();
  f.Key("j");
  CHECK(f.Text() == "Việt");
}

TEST_CASE("SetText: keys compose onto the last word and text is kept NFC") {
  Composer c(InputMethod::kTelex, ToneStyle::kNew);
  c.SetText("Nguyễn Van");
  CHECK(c.Text() == "Nguyễn Van");
  c.Key("w");
  CHECK(c.Text() == "Nguyễn Văn");
  c.SetText(
      "Ho\xCC\x80"
      "a");  // decomposed "Hòa"
  CHECK(c.Text() == "Hòa");
  c.Key("n");  // the tone moves per the rules
  CHECK(c.Text() == "Hoàn");
  c.SetText("Hòa");  // a word in the other style stays as it is until a key is typed
  CHECK(c.Text() == "Hòa");
  c.SetText(
      "ab\xFF"
      "c");  // not UTF-8: the bad byte is dropped
  CHECK(c.Text() == "abc");
  c.SetText("x\xC3\xA1\xC3\xA1");  // two tones in a word: keys are typed as they are
  c.Key("f");
  CHECK(c.Text() == "xááf");
}

TEST_CASE("non-ASCII keys and combining marks") {
  Composer c(InputMethod::kTelex, ToneStyle::kNew);
  c.Key("đ");
  c.Key("i");
  c.Key("f");
  CHECK(c.Text() == "đì");
  c.Key(" a");
  c.Key("\xCC\x81");  // combining acute joins the a
  CHECK(c.Text() == "đì á");
  c.Key("\x01");  // control characters are ignored
  CHECK(c.Text() == "đì á");
  c.Key("\xE2\x82\xAB");  // ₫ is not a letter: a separator
  CHECK(c.Text() == "đì á₫");
}

TEST_CASE("Clear empties the composer and starts a fresh word - method and style switch") {
  Composer c(InputMethod::kTelex, ToneStyle::kNew);
  c.Key("aaa");
  c.Clear();
  CHECK(c.Text().empty());
  c.Key("aa");
  CHECK(c.Text() == "â");
  c.Clear();
  c.SetMethod(InputMethod::kVni);
  c.SetToneStyle(ToneStyle::kOld);
  c.Key("hoa2");
  CHECK(c.Text() == "hòa");
  c.SetMethod(InputMethod::kTelex);
  c.Key(" hoaf");
  CHECK(c.Text() == "hòa hòa");
}
