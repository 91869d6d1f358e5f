#include "drivers/card/emrtd.h"

#include <algorithm>

#include "drivers/card/dg13.h"
#include "drivers/card/mrz.h"
#include "drivers/card/pace_crypto.h"
#include "drivers/card/sod.h"
#include "drivers/card/tlv.h"
#include "offline/domain/ids.h"

namespace mck::card {
namespace {

const char kRetry[] = "Vui lòng đặt lại thẻ và thử lại.";

std::string SwHex(uint16_t sw) {
  char b[8];
  snprintf(b, sizeof b, "%04X", sw);
  return b;
}

struct FileSpec {
  const char* name;
  uint16_t fid;
  int dg;       // data group number, 0 for EF.COM / EF.SOD
  uint8_t tag;  // tag in EF.COM's list
};
constexpr FileSpec kEfCom{"EF.COM", 0x011E, 0, 0x60};
constexpr FileSpec kDg1{"DG1", 0x0101, 1, 0x61};
constexpr FileSpec kDg2{"DG2", 0x0102, 2, 0x75};
constexpr FileSpec kDg13{"DG13", 0x010D, 13, 0x6D};
constexpr FileSpec kSod{"EF.SOD", 0x011D, 0, 0x77};

struct PaceOffer {
  int parameter_id = 0;
};

// The PACEInfo of EF.CardAccess this reader can use: id-PACE-ECDH-GM-AES-CBC-CMAC-128, version 2,
// parameterId 12 or 13. nullopt when there is none (or the file is malformed: then BAC).
std::optional<PaceOffer> ParseCardAccess(ByteView card_access) {
  auto set = ParseTlv(card_access);
  if (!set.ok() || set->tag != 0x31) return std::nullopt;
  auto infos = ParseTlvList(set->value);
  if (!infos.ok()) return std::nullopt;
  const Bytes oid = PaceEcdhGmAes128Oid();
  for (const Tlv& info : *infos) {
    if (info.tag != 0x30) continue;
    auto items = ParseTlvList(info.value);
    if (!items.ok() || items->size() < 3) continue;
    const auto& v = *items;
    if (v[0].tag != 0x06 || !std::equal(v[0].value.begin(), v[0].value.end(), oid.begin(), oid.end())) continue;
    if (v[1].tag != 0x02 || v[1].value.size() != 1 || v[1].value[0] != 2) continue;
    if (v[2].tag != 0x02 || v[2].value.size() != 1 || (v[2].value[0] != 12 && v[2].value[0] != 13)) continue;
    return PaceOffer{v[2].value[0]};
  }
  return std::nullopt;
}

class Session {
 public:
  Session(ApduTransport& t, const EmrtdOptions& o, const ReadProgress& p, EmrtdStats* s)
      : t_(t), opt_(o), progress_(p), stats_(s) {}

  CardResult<Response> Plain(const Apdu& a) {
    const Bytes raw = EncodeApdu(a);
    auto r = t_.Transmit(raw);
    if (!r.ok()) return r.error();
    if (stats_) {
      stats_->apdus++;
      stats_->bytes_sent += raw.size();
      stats_->bytes_received += r->size();
    }
    auto response = SplitResponse(*r);
    if (!response.ok()) return AsCardError(CardFailure::kReadError, response.status());
    return std::move(*response);
  }

  CardResult<Response> Secure(const Apdu& a) {
    auto r = Plain(sm_->Protect(a));
    if (!r.ok()) return r.error();
    auto plain = sm_->Unprotect(*r);  // a wrong MAC or padding: secure messaging broke
    if (!plain.ok()) return AsCardError(CardFailure::kReadError, plain.status());
    return std::move(*plain);
  }

  CardStatus SelectApplication() {
    Apdu a{0x00, 0xA4, 0x04, 0x0C, FromHex("A0000002471001")};
    auto r = sm_ ? Secure(a) : Plain(a);
    if (!r.ok()) return r.error();
    if (r->sw != 0x9000) {
      return MakeCardError(CardFailure::kNotAnIdCard, "SELECT eMRTD application answered " + SwHex(r->sw),
                           "Thẻ này không phải thẻ căn cước gắn chíp (hoặc hộ chiếu điện tử). "
                           "Vui lòng dùng thẻ căn cước gắn chíp, hoặc quét mã QR trên thẻ.");
    }
    return CardStatus::Ok();
  }

  // EF.CardAccess, read in the clear before anything is selected: SELECT 011C directly (Vietnamese
  // cards refuse SELECT MF). Ok(nullopt) when the card has none or refuses to give it.
  CardResult<std::optional<Bytes>> ReadCardAccess() {
    auto sel = Plain(Apdu{0x00, 0xA4, 0x02, 0x0C, {0x01, 0x1C}});
    if (!sel.ok()) return sel.error();
    if (sel->sw != 0x9000) return std::optional<Bytes>();
    Bytes data;
    while (data.size() < 0x7FFF) {
      auto r = Plain(Apdu{
          0x00, 0xB0, static_cast<uint8_t>(data.size() >> 8), static_cast<uint8_t>(data.size() & 0xFF), {}, 256, true});
      if (!r.ok()) return r.error();
      if ((r->sw != 0x9000 && r->sw != 0x6282) || r->data.empty()) break;
      Append(data, r->data);
      auto h = ParseTlvHeader(data);
      if (h.ok() && data.size() >= h->header_size + h->value_size) break;
      if (r->sw == 0x6282 || r->data.size() < 256) break;
    }
    if (data.empty()) return std::optional<Bytes>();
    return std::optional<Bytes>(std::move(data));
  }

  // PACE-CAN with generic mapping (9303-11 §4.4). Ok(true): AES session up; Ok(false): the chip
  // refused the CAN (63xx / 6982 / 6300 at the last step).
  CardResult<bool> Pace(const std::string& can, const PaceOffer& offer) {
    // A local crypto step that fails (a point off the curve, ...): PACE broke down.
    auto broke = [](const Status& st) { return AsCardError(CardFailure::kReadError, st); };
    auto curve = PaceCurve::Create(offer.parameter_id);
    if (!curve.ok()) return broke(curve.status());
    const Bytes oid = PaceEcdhGmAes128Oid();
    auto refused = [](uint16_t sw) { return sw == 0x6300 || sw == 0x6982 || (sw & 0xFFF0) == 0x63C0; };
    auto fail = [](const std::string& step, uint16_t sw) {
      return MakeCardError(CardFailure::kReadError, "PACE " + step + " answered " + SwHex(sw),
                           std::string("Thẻ từ chối xác thực. ") + kRetry);
    };
    Bytes mse = EncodeTlv(0x80, oid);
    Append(mse, Bytes{0x83, 0x01, 0x02});  // password: the CAN
    Append(mse, Bytes{0x84, 0x01, static_cast<uint8_t>(offer.parameter_id)});
    auto r = Plain(Apdu{0x00, 0x22, 0xC1, 0xA4, mse});
    if (!r.ok()) return r.error();
    if (r->sw != 0x9000) return fail("MSE:Set AT", r->sw);

    // One GENERAL AUTHENTICATE: 7C { tag value } in, 7C { answer_tag ... } out. Ok(nullopt): the
    // chip refused the password.
    auto step = [&](uint8_t cla, uint32_t tag, ByteView value,
                    uint32_t answer_tag) -> CardResult<std::optional<Bytes>> {
      Bytes data = value.empty() ? Bytes{0x7C, 0x00} : EncodeTlv(0x7C, EncodeTlv(tag, value));
      auto a = Plain(Apdu{cla, 0x86, 0x00, 0x00, data, 256, true});
      if (!a.ok()) return a.error();
      if (refused(a->sw)) return std::optional<Bytes>();
      if (a->sw != 0x9000) return fail("GENERAL AUTHENTICATE", a->sw);
      auto outer = ParseTlv(a->data);
      if (!outer.ok() || outer->tag != 0x7C) return fail("GENERAL AUTHENTICATE (no 7C)", a->sw);
      auto inner = FindChild(outer->value, answer_tag);
      if (!inner.ok() || !*inner) return fail("GENERAL AUTHENTICATE (no answer object)", a->sw);
      return std::optional<Bytes>(Bytes((*inner)->value.begin(), (*inner)->value.end()));
    };
    // Step 1: the encrypted nonce.
    auto z = step(0x10, 0, {}, 0x80);
    if (!z.ok()) return z.error();
    if (!*z) return false;
    if ((*z)->size() != 16) return fail("nonce of " + std::to_string((*z)->size()) + " bytes", 0x9000);
    Bytes k_pi = PaceCanKey(can);
    Bytes s = AesCbcDecrypt(k_pi, Bytes(16, 0), **z);
    SecureZero(k_pi.data(), k_pi.size());

    // Step 2: generic mapping.
    Bytes sk_map = curve->NewPrivateKey(opt_.random);
    auto pk_map = curve->PublicKey(sk_map);
    if (!pk_map.ok()) return broke(pk_map.status());
    auto pk_map_ic = step(0x10, 0x81, *pk_map, 0x82);
    if (!pk_map_ic.ok()) return pk_map_ic.error();
    if (!*pk_map_ic) return false;
    auto h = curve->MapGenerator(s, sk_map, **pk_map_ic);
    SecureZero(s.data(), s.size());
    SecureZero(sk_map.data(), sk_map.size());
    if (!h.ok()) return broke(h.status());

    // Step 3: key agreement on the mapped generator.
    Bytes sk_eph = curve->NewPrivateKey(opt_.random);
    auto pk_eph = curve->PublicKey(sk_eph);
    if (!pk_eph.ok()) return broke(pk_eph.status());
    auto pk_eph_ic_r = step(0x10, 0x83, *pk_eph, 0x84);
    if (!pk_eph_ic_r.ok()) return pk_eph_ic_r.error();
    if (!*pk_eph_ic_r) return false;
    const Bytes pk_eph_ic = std::move(**pk_eph_ic_r);
    if (pk_eph_ic == *pk_eph) return fail("chip echoed the terminal's key", 0x9000);
    auto shared = curve->SharedSecret(sk_eph, pk_eph_ic);
    SecureZero(sk_eph.data(), sk_eph.size());
    if (!shared.ok()) return broke(shared.status());
    KeyPair keys{KdfAes128(*shared, 1), KdfAes128(*shared, 2)};
    SecureZero(shared->data(), shared->size());

    // Step 4: mutual authentication.
    auto t_ic = step(0x00, 0x85, PaceAuthToken(keys.mac, oid, pk_eph_ic), 0x86);
    if (!t_ic.ok()) return t_ic.error();
    if (!*t_ic) return false;
    if (**t_ic != PaceAuthToken(keys.mac, oid, *pk_eph)) {
      return MakeCardError(CardFailure::kReadError, "PACE: the chip's authentication token does not verify",
                           std::string("Không xác thực được thẻ. ") + kRetry);
    }
    sm_.emplace(std::move(keys), Bytes(16, 0), SmCipher::kAes128);
    return true;
  }

  bool secure() const { return sm_.has_value(); }
  void DropSession() { sm_.reset(); }

  // One BAC attempt. Ok(true): session up; Ok(false): the chip refused the key.
  CardResult<bool> Bac(const std::string& mrz_info) {
    if (stats_) stats_->bac_attempts++;
    auto ch = Plain(Apdu{0x00, 0x84, 0x00, 0x00, {}, 8, true});
    if (!ch.ok()) return ch.error();
    if (ch->sw != 0x9000 || ch->data.size() != 8) {
      return MakeCardError(CardFailure::kReadError, "GET CHALLENGE answered " + SwHex(ch->sw),
                           std::string("Thẻ không trả lời yêu cầu xác thực. ") + kRetry);
    }
    Bytes rnd_ifd(8), k_ifd(16);
    if (opt_.random) {
      opt_.random(rnd_ifd.data(), 8);
      opt_.random(k_ifd.data(), 16);
    } else {
      SecureRandom(rnd_ifd.data(), 8);
      SecureRandom(k_ifd.data(), 16);
    }
    const KeyPair keys = DeriveKeys(BacKeySeed(mrz_info));
    auto ea = Plain(Apdu{0x00, 0x82, 0x00, 0x00, BacAuthenticateData(keys, ch->data, rnd_ifd, k_ifd), 40, true});
    if (!ea.ok()) return ea.error();
    if (ea->sw == 0x6300 || ea->sw == 0x6982 || (ea->sw & 0xFFF0) == 0x63C0) return false;
    if (ea->sw != 0x9000) {
      return MakeCardError(CardFailure::kReadError, "EXTERNAL AUTHENTICATE answered " + SwHex(ea->sw),
                           std::string("Thẻ từ chối xác thực. ") + kRetry);
    }
    auto session = BacCompleteSession(keys, ea->data, ch->data, rnd_ifd, k_ifd);
    SecureZero(k_ifd.data(), k_ifd.size());
    if (!session.ok()) return AsCardError(CardFailure::kReadError, session.status());  // the chip's MAC
    sm_.emplace(session->keys, session->ssc);
    return true;
  }

  // SELECT + READ BINARY of one elementary file. Ok(nullopt) when the file does not exist.
  CardResult<std::optional<Bytes>> ReadFile(const FileSpec& f) {
    auto sel = Secure(Apdu{0x00, 0xA4, 0x02, 0x0C, {static_cast<uint8_t>(f.fid >> 8), static_cast<uint8_t>(f.fid)}});
    if (!sel.ok()) return sel.error();
    if (sel->sw == 0x6A82) return std::optional<Bytes>();
    if (sel->sw != 0x9000) {
      return MakeCardError(CardFailure::kReadError, std::string("SELECT ") + f.name + " answered " + SwHex(sel->sw),
                           std::string("Thẻ không cho đọc dữ liệu. ") + kRetry);
    }
    Bytes data;
    MCK_RETURN_IF_CARD_ERROR(ReadBinary(f, 0, 8, &data));
    auto header = ParseTlvHeader(data);
    if (!header.ok()) return AsCardError(CardFailure::kCorruptData, header.status());
    if (header->tag != f.tag) {
      return MakeCardError(CardFailure::kCorruptData, std::string(f.name) + " starts with an unexpected tag",
                           "Dữ liệu trên thẻ không đúng định dạng. Vui lòng nhờ cán bộ hỗ trợ.");
    }
    const size_t total = header->header_size + header->value_size;
    if (total > 0x7FFF) {
      return MakeCardError(CardFailure::kCorruptData, std::string(f.name) + " larger than 32767 bytes",
                           "Dữ liệu trên thẻ lớn bất thường. Vui lòng nhờ cán bộ hỗ trợ.");
    }
    expected_ += total;
    if (data.size() > total) data.resize(total);
    while (data.size() < total) {
      const size_t n = std::min(opt_.max_chunk, total - data.size());
      MCK_RETURN_IF_CARD_ERROR(ReadBinary(f, data.size(), n, &data));
      if (progress_) progress_(done_ + data.size(), expected_);
    }
    done_ += total;
    if (stats_) stats_->files.emplace_back(f.name, total);
    return std::optional<Bytes>(std::move(data));
  }

 private:
  CardStatus ReadBinary(const FileSpec& f, size_t offset, size_t n, Bytes* out) {
    auto r =
        Secure(Apdu{0x00, 0xB0, static_cast<uint8_t>(offset >> 8), static_cast<uint8_t>(offset & 0xFF), {}, n, true});
    if (!r.ok()) return r.error();
    const bool ok = r->sw == 0x9000 || r->sw == 0x6282;  // 6282: end of file before Le bytes
    if (!ok || r->data.empty()) {
      return MakeCardError(
          CardFailure::kReadError,
          std::string("READ BINARY ") + f.name + " at " + std::to_string(offset) + " answered " + SwHex(r->sw),
          std::string("Đọc dữ liệu từ thẻ bị lỗi. ") + kRetry);
    }
    Append(*out, r->data);
    return CardStatus::Ok();
  }

  ApduTransport& t_;
  const EmrtdOptions& opt_;
  const ReadProgress& progress_;
  EmrtdStats* stats_;
  std::optional<SecureMessaging> sm_;
  size_t expected_ = 0, done_ = 0;
};

CardError CorruptDg(const char* dg, const Status& st) {
  return MakeCardError(CardFailure::kCorruptData, std::string(dg) + ": " + st.message_en(),
                       "Dữ liệu trên thẻ bị hỏng, không đọc được. Vui lòng nhờ cán bộ hỗ trợ.");
}

}  // namespace

bool AtrSupportsExtendedLength(ByteView atr) {
  // ATR: TS T0 [TA1 TB1 TC1 TD1 ...] historical bytes [TCK]. Walk the interface bytes.
  if (atr.size() < 2) return false;
  size_t i = 1;
  uint8_t td = atr[i++];
  const size_t k = td & 0x0F;  // number of historical bytes
  bool more = true;
  while (more) {
    const uint8_t y = td >> 4;
    for (int bit = 0; bit < 3; ++bit) {
      if (y & (1 << bit)) ++i;  // TA, TB, TC
    }
    more = (y & 0x8) != 0;
    if (more) {
      if (i >= atr.size()) return false;
      td = atr[i++];
    }
  }
  if (i + k > atr.size() || k == 0) return false;
  ByteView hist = atr.subspan(i, k);
  if (hist[0] != 0x80) return false;  // only the compact-TLV category indicator is understood
  for (size_t p = 1; p < hist.size();) {
    const uint8_t tag = hist[p] >> 4, len = hist[p] & 0x0F;
    if (p + 1 + len > hist.size()) return false;
    if (tag == 0x7 && len >= 3) return (hist[p + 3] & 0x40) != 0;
    p += 1 + len;
  }
  return false;
}

Bytes ExtractFaceImage(ByteView dg2) {
  static const uint8_t kJp2[] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20};
  static const uint8_t kJ2k[] = {0xFF, 0x4F, 0xFF, 0x51};
  static const uint8_t kJpeg[] = {0xFF, 0xD8, 0xFF};
  for (auto sig : {ByteView(kJp2), ByteView(kJ2k), ByteView(kJpeg)}) {
    auto it = std::search(dg2.begin(), dg2.end(), sig.begin(), sig.end());
    if (it != dg2.end()) return Bytes(it, dg2.end());
  }
  return {};
}

CardResult<std::vector<std::string>> BacKeyCandidates(const AccessKey& key, CivilDate today) {
  std::vector<std::string> expiries;
  if (!key.date_of_expiry.empty()) {
    expiries.push_back(key.date_of_expiry);
  } else {
    auto dob = ParseYymmdd(key.date_of_birth, today, true);
    if (!dob) {
      return MakeCardError(CardFailure::kBadKey, "date of birth is not YYMMDD",
                           "Ngày sinh không hợp lệ. Vui lòng kiểm tra lại.");
    }
    std::optional<CivilDate> issue;
    if (!key.date_of_issue.empty()) issue = ParseDate(key.date_of_issue);
    expiries = ExpiryCandidates(*dob, issue, today);
  }
  std::vector<std::string> infos;
  for (const auto& e : expiries) {
    auto info = BacMrzInformation(key.document_number, key.date_of_birth, e);
    if (!info.ok()) {
      return MakeCardError(CardFailure::kBadKey, info.status().message_en(), info.status().message_vi());
    }
    infos.push_back(*info);
  }
  return infos;
}

CardStatus CheckAccessKey(const AccessKey& key, CivilDate today) {
  const bool has_can = key.can && !key.can->empty();
  if (has_can && (key.can->size() != 6 ||
                  !std::all_of(key.can->begin(), key.can->end(), [](char c) { return c >= '0' && c <= '9'; }))) {
    return MakeCardError(CardFailure::kBadKey, "CAN is not 6 digits", "Số truy cập thẻ (CAN) phải gồm 6 chữ số.");
  }
  // With a CAN and no BAC data, PACE alone may open the card.
  if (has_can && key.document_number.empty()) return CardStatus::Ok();
  auto candidates = BacKeyCandidates(key, today);
  return candidates.ok() ? CardStatus::Ok() : CardStatus(candidates.error());
}

CardResult<Identity> ReadEmrtd(ApduTransport& transport, const AccessKey& key, const EmrtdOptions& opt,
                               const ReadProgress& progress, EmrtdStats* stats) {
  // The access data first: a malformed key is the caller's to fix, before any card I/O.
  MCK_RETURN_IF_CARD_ERROR(CheckAccessKey(key, opt.today));
  const bool has_can = key.can && !key.can->empty();
  auto candidates = BacKeyCandidates(key, opt.today);
  const std::vector<std::string> infos = candidates.ok() ? *candidates : std::vector<std::string>{};

  Session s(transport, opt, progress, stats);
  bool pace_refused = false;
  if (has_can) {
    auto ca = s.ReadCardAccess();
    if (!ca.ok()) return ca.error();
    std::optional<PaceOffer> offer;
    if (*ca) offer = ParseCardAccess(**ca);
    if (offer) {
      if (stats) stats->pace_attempts++;
      auto ok = s.Pace(*key.can, *offer);
      if (!ok.ok()) {
        const CardFailure p = ok.failure();
        if (p == CardFailure::kCardRemoved || p == CardFailure::kReaderGone || p == CardFailure::kServiceDown ||
            p == CardFailure::kCancelled || infos.empty()) {
          return ok.error();
        }
        s.DropSession();  // a PACE that broke down: BAC may still open the card
      } else if (!*ok) {
        pace_refused = true;
      }
    }
  }
  if (!s.secure() && infos.empty()) {
    if (pace_refused) {
      return MakeCardError(CardFailure::kWrongKey, "the chip refused the CAN (PACE)",
                           "Thẻ không chấp nhận số truy cập (CAN, 6 số cuối của số định danh). "
                           "Vui lòng kiểm tra lại số định danh cá nhân.");
    }
    return MakeCardError(CardFailure::kBadKey, "no PACE on this card and no BAC data",
                         "Thẻ cần ngày sinh để mở khoá. Vui lòng nhập ngày sinh hoặc quét mã QR trên thẻ.");
  }
  MCK_RETURN_IF_CARD_ERROR(s.SelectApplication());  // under AES SM after PACE, in the clear for BAC
  if (!s.secure()) {
    bool authenticated = false;
    for (const auto& info : infos) {
      auto ok = s.Bac(info);
      if (!ok.ok()) return ok.error();
      if (*ok) {
        authenticated = true;
        break;
      }
    }
    if (!authenticated) {
      return MakeCardError(CardFailure::kWrongKey, "the chip refused the BAC key (6300)",
                           "Thẻ không chấp nhận thông tin mở khoá (số định danh, ngày sinh, ngày hết hạn). "
                           "Vui lòng kiểm tra lại ngày sinh hoặc nhập ngày hết hạn in trên thẻ.");
    }
  }

  // EF.COM tells which data groups exist; without it, try the ones a CCCD has.
  std::vector<uint8_t> present = {kDg1.tag, kDg13.tag, kDg2.tag};
  auto com = s.ReadFile(kEfCom);
  if (!com.ok()) return com.error();
  if (*com) {
    auto outer = ParseTlv(**com);
    if (!outer.ok()) return CorruptDg("EF.COM", outer.status());
    auto list = FindChild(outer->value, 0x5C);
    if (!list.ok()) return CorruptDg("EF.COM", list.status());
    if (*list) present.assign((*list)->value.begin(), (*list)->value.end());
  }
  auto has = [&](const FileSpec& f) { return std::find(present.begin(), present.end(), f.tag) != present.end(); };

  std::map<int, Bytes> groups;
  for (const FileSpec* f : {&kDg1, &kDg13, &kDg2}) {
    if (!has(*f) || (f == &kDg2 && !opt.read_face)) continue;
    auto data = s.ReadFile(*f);
    if (!data.ok()) return data.error();
    if (*data) groups[f->dg] = std::move(**data);
  }
  if (!groups.count(1)) {
    return MakeCardError(CardFailure::kCorruptData, "DG1 (MRZ) missing",
                         "Thẻ thiếu dữ liệu cơ bản. Vui lòng nhờ cán bộ hỗ trợ.");
  }
  auto sod_bytes = s.ReadFile(kSod);
  if (!sod_bytes.ok()) return sod_bytes.error();

  Identity id;
  id.source = "chip";
  {
    auto dg1 = ParseTlv(groups[1]);
    if (!dg1.ok()) return CorruptDg("DG1", dg1.status());
    auto mrz_tlv = FindChild(dg1->value, 0x5F1F);
    if (!mrz_tlv.ok()) return CorruptDg("DG1", mrz_tlv.status());
    if (!*mrz_tlv) return CorruptDg("DG1", Status::Error(Code::kCorrupt, "no 5F1F"));
    auto mrz = ParseMrz(ToString((*mrz_tlv)->value), opt.today);
    if (!mrz.ok()) return CorruptDg("DG1", mrz.status());
    id.mrz = *mrz;
    // Without DG13, the MRZ's fields (Latin, no diacritics) stand in.
    id.full_name = mrz->surname + (mrz->given_names.empty() ? "" : " " + mrz->given_names);
    id.date_of_birth = mrz->date_of_birth;
    if (!mrz->date_of_expiry.empty()) id.date_of_expiry = mrz->date_of_expiry;
    if (mrz->sex == "M") id.gender = "Nam";
    if (mrz->sex == "F") id.gender = "Nữ";
    if (mrz->document_code.rfind("I", 0) == 0 && mrz->optional_data.size() >= 12 &&
        std::all_of(mrz->optional_data.begin(), mrz->optional_data.begin() + 12,
                    [](char c) { return c >= '0' && c <= '9'; })) {
      id.id_number = mrz->optional_data.substr(0, 12);
    } else {
      id.id_number = mrz->document_number;
    }
  }
  if (groups.count(13)) {
    auto fields = ParseDg13(groups[13]);
    if (!fields.ok()) return CorruptDg("DG13", fields.status());
    ApplyDg13(*fields, &id);
  }
  if (groups.count(2)) id.face_jp2 = ToString(ExtractFaceImage(groups[2]));

  // Passive authentication.
  id.chip_verified = false;
  if (*sod_bytes) {
    auto sod = ParseSod(**sod_bytes);
    if (!sod.ok()) return CorruptDg("EF.SOD", sod.status());
    bool all = true;
    for (const auto& [dg, bytes] : groups) {
      auto it = sod->dg_hashes.find(dg);
      auto digest = SodDigest(*sod, bytes);
      if (it == sod->dg_hashes.end() || !digest.ok() || *digest != it->second) all = false;
    }
    id.chip_verified = all;
    // Hashes alone prove consistency, not origin: never "verified" here (issue 11).
    if (all) id.assurance = Assurance::kChipNoCsca;
    if (!opt.csca_file.empty()) {
      Status sig = VerifySodSignature(**sod_bytes, opt.csca_file);
      // The CSCA file missing or unreadable is the kiosk's set-up, not the card.
      if (sig.code() == Code::kNotFound || sig.code() == Code::kInvalidArgument) {
        return AsCardError(CardFailure::kSetupError, sig);
      }
      id.sod_signature_valid = sig.ok();
    }
  }
  return id;
}

}  // namespace mck::card
