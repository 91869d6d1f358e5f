#include "drivers/card/emrtd.h"

#include <algorithm>

#include "drivers/card/dg13.h"
#include "drivers/card/emrtd_session.h"
#include "drivers/card/key_proof.h"
#include "drivers/card/mrz.h"
#include "drivers/card/pace_crypto.h"
#include "drivers/card/sod.h"
#include "drivers/card/tlv.h"
#include "offline/domain/ids.h"

namespace mck::card {
namespace {

using namespace emrtd_internal;

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

  // EF.SOD first: passive authentication needs it anyway, and its hash list names every data
  // group the card has, so EF.COM (unsigned, and saying nothing more) is read only when there
  // is no SOD. EF.SOD is signed: reading it before Chip Authentication trusts nothing early.
  std::vector<uint8_t> present = {kDg1.tag, kDg13.tag, kDg2.tag, kDg14.tag, kDg15.tag};
  auto sod_bytes = s.ReadFile(kSod);
  if (!sod_bytes.ok()) return sod_bytes.error();
  std::optional<SodContent> sod;
  if (*sod_bytes) {
    auto parsed = ParseSod(**sod_bytes);
    if (!parsed.ok()) return CorruptDg("EF.SOD", parsed.status());
    sod = std::move(*parsed);
    present.clear();
    for (const FileSpec* f : {&kDg1, &kDg2, &kDg13, &kDg14, &kDg15}) {
      if (sod->dg_hashes.count(f->dg)) present.push_back(f->tag);
    }
  } else {
    auto com = s.ReadFile(kEfCom);
    if (!com.ok()) return com.error();
    if (*com) {
      auto outer = ParseTlv(**com);
      if (!outer.ok()) return CorruptDg("EF.COM", outer.status());
      auto list = FindChild(outer->value, 0x5C);
      if (!list.ok()) return CorruptDg("EF.COM", list.status());
      if (*list) present.assign((*list)->value.begin(), (*list)->value.end());
    }
  }
  auto has = [&](const FileSpec& f) { return std::find(present.begin(), present.end(), f.tag) != present.end(); };

  std::map<int, Bytes> groups;
  std::string key_proof = "none";
  // DG14 first: Chip Authentication replaces the session keys, and every file after it (the
  // citizen's data included) is read under keys only the genuine chip can share. The first of
  // them, DG1's first READ BINARY, is the proof: its answer must verify under the new keys.
  std::optional<Dg14> dg14;
  if (has(kDg14)) {
    auto data = s.ReadFile(kDg14);
    if (!data.ok()) return data.error();
    if (*data) {
      auto parsed = ParseDg14(**data);
      if (!parsed.ok()) return CorruptDg("DG14", parsed.status());
      dg14 = std::move(*parsed);
      groups[14] = std::move(**data);
    }
  }
  if (dg14 && dg14->chip_auth && dg14->chip_auth->supported) {
    if (stats) stats->chip_auth_attempts++;
    std::string why;
    auto ok = s.ChipAuthenticate(*dg14->chip_auth, &why);
    if (!ok.ok()) return ok.error();
    if (!*ok) return NotGenuine("Chip Authentication failed: " + why);
  }
  // DG1 first (mandatory: the Chip Authentication proof). DG15 only when it is needed for
  // Active Authentication: after a Chip Authentication it would prove nothing more.
  for (const FileSpec* f : {&kDg1, &kDg13, &kDg2, &kDg15}) {
    if (!has(*f) || (f == &kDg2 && !opt.read_face)) continue;
    if (f == &kDg15 && s.chip_auth_proven()) continue;
    auto data = s.ReadFile(*f);
    if (!data.ok()) return data.error();
    if (*data) groups[f->dg] = std::move(**data);
  }
  if (s.chip_auth_pending()) {
    // No answer under the new keys at all (no DG1 on the card): the proof never completed.
    return NotGenuine("Chip Authentication: no answer under the new keys");
  }
  if (s.chip_auth_proven()) key_proof = "ca";
  if (!groups.count(1)) {
    return MakeCardError(CardFailure::kCorruptData, "DG1 (MRZ) missing",
                         "Thẻ thiếu dữ liệu cơ bản. Vui lòng nhờ cán bộ hỗ trợ.");
  }
  // Active Authentication when the card offers no Chip Authentication this reader can run.
  if (key_proof == "none" && groups.count(15)) {
    auto spki = ParseDg15(groups[15]);
    if (!spki.ok()) return CorruptDg("DG15", spki.status());
    if (stats) stats->active_auth_attempts++;
    auto aa = s.ActiveAuthenticate(*spki, dg14 ? dg14->aa_signature_oid : std::nullopt);
    if (!aa.ok()) return aa.error();
    if (aa->ok()) {
      key_proof = "aa";
    } else if (aa->code() == Code::kSecurity) {
      return NotGenuine("Active Authentication failed: " + aa->message_en());
    } else if (aa->code() == Code::kCorrupt) {
      return CorruptDg("DG15", *aa);
    }  // kFailedPrecondition: an algorithm this reader does not know: no proof, never "verified"
  }

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

  // Passive authentication, then the rule of offline/domain/assurance.h.
  id.chip_verified = false;
  id.key_proof = key_proof;
  id.assurance = Assurance::kTyped;
  if (sod) {
    bool all = true;
    for (const auto& [dg, bytes] : groups) {
      auto it = sod->dg_hashes.find(dg);
      auto digest = SodDigest(*sod, bytes);
      if (it == sod->dg_hashes.end() || !digest.ok() || *digest != it->second) all = false;
    }
    id.chip_verified = all;
    if (!opt.csca_file.empty()) {
      Status sig = VerifySodSignature(**sod_bytes, opt.csca_file, opt.crl_file);
      // The CSCA or CRL file missing or unreadable is the kiosk's set-up, not the card.
      if (sig.code() == Code::kNotFound || sig.code() == Code::kInvalidArgument) {
        return AsCardError(CardFailure::kSetupError, sig);
      }
      if (!sig.ok()) return NotGenuine(sig.message_en());  // not under our CSCA, or revoked
      id.sod_signature_valid = true;
    }
    if (all) {
      // Hashes alone prove consistency, not origin (issue 11).
      const bool origin = id.sod_signature_valid.value_or(false) && key_proof != "none";
      id.assurance = origin ? Assurance::kChipVerified : Assurance::kChipNoCsca;
    }
  }
  return id;
}

}  // namespace mck::card
