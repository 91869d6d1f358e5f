// Round trip over real Vietnamese text: for every word of names, places and the words of the
// procedure catalog, typing its Telex (and VNI) spelling composes the word. The spelling is made
// here from Unicode's decomposition (NFD, utf8proc), independently of the engine.
#include <catch2/catch.hpp>

#include <utf8proc.h>

#include <sstream>
#include <string>
#include <vector>

#include "kiosk/text/ime.h"
#include "offline/domain/utf8.h"

using mck::text::Compose;
using mck::text::InputMethod;
using mck::text::ToneStyle;

namespace {

// New-style tone placement (hoà, thuý). "uơ" (thuở) is left out: see docs/text-input.md.
const char* const kText = R"(
Nguyễn Trần Lê Phạm Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Lâm Mai Trịnh Đoàn Lương
Văn Thị Minh Anh Tuấn Hương Thảo Ngọc Quỳnh Trang Phương Dũng Cường Thắng Hiếu Nghĩa Khánh Yến
Uyên Quyên Tuyết Nguyệt Xuân Thu Đông Hạ Giang Gia Bảo Khoa Hưng Thịnh Quốc Việt Hùng Sơn Hải
Long Phúc Lộc Thọ Nhung Hằng Hạnh Dung Loan Oanh Hiền Thuận Quang Huy Khải Kiên Trung Hiệp
Tường Vượng Luyến Chuyên Toản Khuê Nhàn Quế Khương Thiện Nhân Hậu Đức Trí Tâm Tín Nghiêm
Hà Nội Bắc Ninh Bắc Giang Lạng Giang Thừa Thiên Huế Đà Nẵng Quảng Ngãi Cần Thơ Sóc Trăng
Bạc Liêu Cà Mau Đắk Lắk Đắk Nông Kon Tum Lâm Đồng Đồng Nai Bình Dương Tây Ninh Vĩnh Long
Tiền Giang Bến Tre Trà Vinh Hậu Giang An Giang Kiên Giang Long An Thái Nguyên Tuyên Quang
Yên Bái Lào Cai Điện Biên Sơn La Quảng Ninh Hải Phòng Hải Dương Hưng Yên Thái Bình Nam Định
Ninh Bình Nghệ An Hà Tĩnh Quảng Bình Quảng Trị Phú Yên Bình Định Gia Lai Ninh Thuận Bình Thuận
Lai Châu Cao Bằng Hà Giang Bắc Kạn Phú Thọ Vĩnh Phúc Đồng Tháp Bà Rịa Vũng Tàu Hồ Chí Minh
đăng ký khai sinh kết hôn khai tử chứng thực bản sao hộ tịch xác nhận tình trạng hôn nhân giám
hộ nhận cha mẹ con thay đổi cải chính bổ sung thông tin trích lục nuôi trợ cấp xã hội hàng tháng
hỗ chi phí mai táng nghèo cận giải tranh chấp đất đai giấy quyền sử dụng thủ tục hành một cửa
uỷ ban nhân dân phường thị trấn huyện tỉnh thành phố thôn xóm ấp bản làng tổ đường ngõ ngách
hẻm số nhà căn cước công điện thoại ngày năm giới tính nam nữ quê quán nơi thường trú tạm tộc
Kinh tôn giáo không quốc Việt người nước rượu hươu khuya khuỷu ngoằn ngoèo quyết truyền chuyện
khuyết tuyển luyện ngoáy xoáy hoắc loằng tuổi muối chuối cưới mười tươi bưởi giữ giường giếng
gìn già giặt quạ quăng quẫy ươm ướt ưỡn ừ ở ấy ông uống yêu yếu yên ý ê ế ồ ạ ơi ủ ỷ
khuấy nguây nguẩy ngoại hoạch khoảng quạt quầy quẹo thuyền khuyên xuyên huyền uyển oải
mưa cửa của lửa giữa rửa thưa đưa bữa ngựa hứa chưa vừa sữa dứa
biết tiếng việc miệng điều hiểu nhiều tiểu kiểu liệu yểu
lúc học đọc sách vở bút mực phấn bảng lớp trường thầy cô bạn
được không những các với cho và của là có trong đã này đến khi
sẽ đang rất làm việc thì mà nên hay hoặc nếu vì nhưng cũng vẫn còn
đi về ra vào lên xuống ăn uống ngủ thức dậy nói nghe nhìn thấy
mắt mũi miệng tai tay chân đầu tóc răng lưỡi lưng bụng ngực vai
nhà cửa bếp giường tủ bàn ghế đèn quạt chăn gối nồi chảo bát đũa
cơm phở bún bánh mì thịt cá trứng rau quả chuối cam bưởi xoài dừa
sáng trưa chiều tối đêm hôm qua nay mai tuần tháng năm giờ phút
một hai ba bốn năm sáu bảy tám chín mười trăm nghìn triệu tỷ
chồng vợ ông bà bố mẹ anh chị em cháu chắt cụ kỵ dì chú bác cậu mợ thím
Ê Đê Ba Na Mường Thái Tày Nùng Hmông Dao
)";

struct Pair {
  const char* new_style;
  const char* old_style;
};
const Pair kStylePairs[] = {{"Hoà", "Hòa"},
                            {"Khánh Hoà", "Khánh Hòa"},
                            {"Thanh Hoá", "Thanh Hóa"},
                            {"Hoà Bình", "Hòa Bình"},
                            {"thuý", "thúy"},
                            {"Thuỷ", "Thủy"},
                            {"khoẻ", "khỏe"},
                            {"xoá", "xóa"},
                            {"hoạ", "họa"},
                            {"tuỳ", "tùy"},
                            {"luỹ", "lũy"},
                            {"loà", "lòa"},
                            {"toà", "tòa"},
                            {"hoè", "hòe"},
                            {"thoả", "thỏa"},
                            {"Thuý Kiều", "Thúy Kiều"},
                            {"thuỵ", "thụy"}};

std::vector<std::string> Words(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::vector<int32_t> Nfd(const std::string& s) {
  utf8proc_uint8_t* out = nullptr;
  const auto n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()), &out,
                   static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE));
  REQUIRE(n >= 0);
  std::vector<int32_t> cps;
  utf8proc_ssize_t i = 0;
  while (i < n) {
    int32_t cp;
    const auto len = utf8proc_iterate(out + i, n - i, &cp);
    REQUIRE(len > 0);
    cps.push_back(cp);
    i += len;
  }
  std::free(out);
  return cps;
}

enum class Where { kEnd, kAfterVowel };

// The keys a person types for a word. VNI: digits; Telex: letters.
std::string Spell(const std::string& word, InputMethod method, Where tone_at) {
  const bool telex = method == InputMethod::kTelex;
  std::string keys, tone;
  char last_base = 0;
  for (int32_t cp : Nfd(word)) {
    std::string key;
    switch (cp) {
      case 0x0302: key = telex ? std::string(1, last_base) : "6"; break;  // circumflex
      case 0x0306: key = telex ? "w" : "8"; break;                        // breve
      case 0x031B: key = telex ? "w" : "7"; break;                        // horn
      case 0x0301: tone = telex ? "s" : "1"; break;
      case 0x0300: tone = telex ? "f" : "2"; break;
      case 0x0309: tone = telex ? "r" : "3"; break;
      case 0x0303: tone = telex ? "x" : "4"; break;
      case 0x0323: tone = telex ? "j" : "5"; break;
      case 0x0111: key = telex ? "dd" : "d9"; break;
      case 0x0110: key = telex ? "DD" : "D9"; break;
      default:
        REQUIRE(cp < 0x80);
        last_base = static_cast<char>(cp);
        key = std::string(1, last_base);
    }
    if (!tone.empty() && tone_at == Where::kAfterVowel) {
      keys += tone;
      tone.clear();
    }
    keys += key;
  }
  return keys + tone;
}

// The keys for a text of several words, each word spelled on its own.
std::string SpellText(const std::string& text, InputMethod method, Where tone_at) {
  std::string keys;
  for (const auto& w : Words(text)) keys += (keys.empty() ? "" : " ") + Spell(w, method, tone_at);
  return keys;
}

}  // namespace

TEST_CASE("typing the Telex and VNI spelling of real words composes them (round trip)") {
  const auto words = Words(kText);
  REQUIRE(words.size() > 400);
  size_t checked = 0;
  for (const auto& w : words) {
    REQUIRE(mck::ToNfc(w) == w);
    for (auto method : {InputMethod::kTelex, InputMethod::kVni}) {
      for (auto where : {Where::kEnd, Where::kAfterVowel}) {
        const std::string keys = Spell(w, method, where);
        INFO("word " << w << ", keys " << keys);
        CHECK(Compose(method, ToneStyle::kNew, keys) == w);
        ++checked;
      }
    }
  }
  // The whole text as one key sequence, words separated by spaces.
  std::string keys, text;
  for (const auto& w : words) {
    keys += (keys.empty() ? "" : " ") + Spell(w, InputMethod::kTelex, Where::kEnd);
    text += (text.empty() ? "" : " ") + w;
  }
  CHECK(Compose(InputMethod::kTelex, ToneStyle::kNew, keys) == text);
  CHECK(checked == words.size() * 4);
}

TEST_CASE("round trip in both tone styles for oa, oe, uy") {
  for (const auto& p : kStylePairs) {
    for (auto method : {InputMethod::kTelex, InputMethod::kVni}) {
      for (auto where : {Where::kEnd, Where::kAfterVowel}) {
        // Either spelling composes the style's own form.
        for (const char* typed : {p.new_style, p.old_style}) {
          const std::string keys = SpellText(typed, method, where);
          INFO("typed " << typed << " as " << keys);
          CHECK(Compose(method, ToneStyle::kNew, keys) == p.new_style);
          CHECK(Compose(method, ToneStyle::kOld, keys) == p.old_style);
        }
      }
    }
  }
}
