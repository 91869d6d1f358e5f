// The eMRTD protocol session over an ApduTransport: plain and secured APDUs, PACE-CAN, BAC,
// files, and the key proofs (Chip Authentication, Active Authentication). Internal to
// emrtd.cpp (ReadEmrtd is the API); split out to keep each file readable.
// Not thread-safe: one read at a time on one transport.
#pragma once

#include <algorithm>
#include <optional>
#include <string>

#include "drivers/card/emrtd.h"
#include "drivers/card/key_proof.h"
#include "drivers/card/pace_crypto.h"
#include "drivers/card/tlv.h"
#include "offline/domain/ids.h"

namespace mck::card::emrtd_internal {

inline constexpr char kRetry[] = "Vui lòng đặt lại thẻ và thử lại.";

// The chip is not a genuine card. The English detail goes to logs; the citizen sees one message.
inline CardError NotGenuine(const std::string& why) {
  return MakeCardError(CardFailure::kNotGenuine, "card not genuine: " + why,
                       "Không xác minh được thẻ này là thẻ căn cước thật do cơ quan có thẩm quyền cấp. "
                       "Vui lòng gặp cán bộ tại quầy.");
}

inline std::string SwHex(uint16_t sw) {
  char b[8];
  snprintf(b, sizeof b, "%04X", sw);
  return b;
}

struct FileSpec {
  const char* name;
  uint16_t fid;  // its low 5 bits are the short EF identifier (ICAO 9303-10: EF.COM 1E, DGn n, SOD 1D)
  int dg;        // data group number, 0 for EF.COM / EF.SOD
  uint8_t tag;   // tag in EF.COM's list
  uint8_t sfi() const { return static_cast<uint8_t>(fid & 0x1F); }
};
inline constexpr FileSpec kEfCom{"EF.COM", 0x011E, 0, 0x60};
inline constexpr FileSpec kDg1{"DG1", 0x0101, 1, 0x61};
inline constexpr FileSpec kDg2{"DG2", 0x0102, 2, 0x75};
inline constexpr FileSpec kDg13{"DG13", 0x010D, 13, 0x6D};
inline constexpr FileSpec kDg14{"DG14", 0x010E, 14, 0x6E};
inline constexpr FileSpec kDg15{"DG15", 0x010F, 15, 0x6F};
inline constexpr FileSpec kSod{"EF.SOD", 0x011D, 0, 0x77};

struct PaceOffer {
  int parameter_id = 0;
};

// The PACEInfo of EF.CardAccess this reader can use: id-PACE-ECDH-GM-AES-CBC-CMAC-128, version 2,
// parameterId 12 or 13. nullopt when there is none (or the file is malformed: then BAC).
inline std::optional<PaceOffer> ParseCardAccess(ByteView card_access) {
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
    if (ca_pending_) {
      // The first answer under the Chip Authentication keys is the proof (9303-11 §6.2: the
      // chip is authenticated implicitly, by secure messaging under keys only the holder of
      // DG14's private key can derive). It must verify and succeed; a clone's fails here.
      if (!plain.ok()) return NotGenuine("CA: the first answer under the new keys does not verify: " +
                                         plain.status().message_en());
      if (plain->sw != 0x9000 && plain->sw != 0x6282) {
        return NotGenuine("CA: the first command under the new keys answered " + SwHex(plain->sw));
      }
      ca_pending_ = false;
      ca_proven_ = true;
    }
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
    // Read once per card: the reader keeps what it read while the card stays in the reader.
    if (opt_.card_access && opt_.card_access->known) return opt_.card_access->data;
    auto read = ReadCardAccessFromCard();
    if (read.ok() && opt_.card_access) *opt_.card_access = CardAccessCache{true, *read};
    return read;
  }

  CardResult<std::optional<Bytes>> ReadCardAccessFromCard() {
    // READ BINARY by its short EF identifier (1C) first: one APDU gives the file (or 6A82, no
    // such file); a card that does not take the SFI form gets SELECT 011C + READ BINARY.
    Bytes data;
    auto first = Plain(Apdu{0x00, 0xB0, 0x9C, 0x00, {}, 256, true});
    if (!first.ok()) return first.error();
    if (first->sw == 0x6A82) return std::optional<Bytes>();
    if ((first->sw == 0x9000 || first->sw == 0x6282) && !first->data.empty()) {
      Append(data, first->data);
      auto h = ParseTlvHeader(data);
      if ((h.ok() && data.size() >= h->header_size + h->value_size) || first->sw == 0x6282 ||
          first->data.size() < 256) {
        return std::optional<Bytes>(std::move(data));
      }
    } else {
      auto sel = Plain(Apdu{0x00, 0xA4, 0x02, 0x0C, {0x01, 0x1C}});
      if (!sel.ok()) return sel.error();
      if (sel->sw != 0x9000) return std::optional<Bytes>();
    }
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

  // One elementary file. Ok(nullopt) when the file does not exist.
  // The first READ BINARY names the file by its short EF identifier (P1 = 80 | SFI, offset 0;
  // ICAO 9303-10 has eMRTD chips support it), which also makes it the current file for the
  // next chunks: no SELECT. It asks for a whole chunk: its answer carries the tag and the
  // length with the first data (a file shorter than the chunk ends with 6282 or a short 9000),
  // so no separate header read. The chunk size already leaves room for secure messaging's
  // padding and MAC in a short APDU's 256-byte answer (kShortChunk). A card that refuses the
  // SFI form (6A86, 6A81, 6B00, 6981, 6986) gets SELECT + READ BINARY from then on.
  CardResult<std::optional<Bytes>> ReadFile(const FileSpec& f) {
    Bytes data;
    if (sfi_) {
      auto r = Secure(Apdu{0x00, 0xB0, static_cast<uint8_t>(0x80 | f.sfi()), 0x00, {}, opt_.max_chunk, true});
      if (!r.ok()) return r.error();
      if (r->sw == 0x6A82) return std::optional<Bytes>();
      const bool no_sfi = r->sw == 0x6A86 || r->sw == 0x6A81 || r->sw == 0x6B00 || r->sw == 0x6981 || r->sw == 0x6986;
      if (no_sfi) {
        sfi_ = false;
      } else {
        MCK_RETURN_IF_CARD_ERROR(CheckRead(f, 0, *r));
        Append(data, r->data);
      }
    }
    if (!sfi_) {
      auto sel =
          Secure(Apdu{0x00, 0xA4, 0x02, 0x0C, {static_cast<uint8_t>(f.fid >> 8), static_cast<uint8_t>(f.fid)}});
      if (!sel.ok()) return sel.error();
      if (sel->sw == 0x6A82) return std::optional<Bytes>();
      if (sel->sw != 0x9000) {
        return MakeCardError(CardFailure::kReadError, std::string("SELECT ") + f.name + " answered " + SwHex(sel->sw),
                             std::string("Thẻ không cho đọc dữ liệu. ") + kRetry);
      }
      MCK_RETURN_IF_CARD_ERROR(ReadBinary(f, 0, opt_.max_chunk, &data));
    }
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
    if (progress_) progress_(done_ + data.size(), expected_);
    while (data.size() < total) {
      const size_t n = std::min(opt_.max_chunk, total - data.size());
      MCK_RETURN_IF_CARD_ERROR(ReadBinary(f, data.size(), n, &data));
      if (progress_) progress_(done_ + data.size(), expected_);
    }
    done_ += total;
    if (stats_) stats_->files.emplace_back(f.name, total);
    return std::optional<Bytes>(std::move(data));
  }

  // Chip Authentication (9303-11 §6.2, id-CA-ECDH-AES-CBC-CMAC-128) under the current secure
  // messaging: MSE:Set AT (80 = the protocol OID, 84 = keyId), GENERAL AUTHENTICATE with the
  // terminal's ephemeral key (7C { 80 point }), whose answer still comes under the old keys; then
  // secure messaging restarts with KS_enc / KS_mac from the ECDH secret, AES, SSC zero. The
  // proof is the next secured answer (the caller's next file, DG1): only a chip holding the
  // private key of DG14 can MAC it under these keys; Secure() refuses the card as not genuine
  // when that answer does not verify or fails. Ok(true): keys replaced, proof pending;
  // Ok(false): the chip refused the protocol (the English reason in *why); a CardError: the
  // transport's own failures.
  CardResult<bool> ChipAuthenticate(const ChipAuthOffer& offer, std::string* why) {
    auto agreement = ChipAuthenticationAgree(offer.public_key_spki);
    if (!agreement.ok()) {
      *why = agreement.status().message_en();
      return false;
    }
    Bytes mse = EncodeTlv(0x80, offer.protocol_oid);
    if (offer.key_id) Append(mse, EncodeTlv(0x84, *offer.key_id));
    auto set = Secure(Apdu{0x00, 0x22, 0x41, 0xA4, mse});
    if (!set.ok()) return KeyProofFailure(set.error(), why);
    if (set->sw != 0x9000) {
      *why = "CA: MSE:Set AT answered " + SwHex(set->sw);
      return false;
    }
    const Bytes ga = EncodeTlv(0x7C, EncodeTlv(0x80, agreement->ephemeral_public));
    // The answer is 7C 00: a short APDU, whatever the reader allows.
    auto r = Secure(Apdu{0x00, 0x86, 0x00, 0x00, ga, kShortChunk, true});
    if (!r.ok()) return KeyProofFailure(r.error(), why);
    if (r->sw == 0x6700) return WrongLength("GENERAL AUTHENTICATE");
    if (r->sw != 0x9000) {
      *why = "CA: GENERAL AUTHENTICATE answered " + SwHex(r->sw);
      return false;
    }
    sm_.emplace(std::move(agreement->session_keys), Bytes(16, 0), SmCipher::kAes128);
    ca_pending_ = true;  // proven by the next secured answer (Secure); never counted before that
    return true;
  }

  // Chip Authentication ran and an answer under its keys verified (the proof is complete).
  bool chip_auth_proven() const { return ca_proven_; }
  bool chip_auth_pending() const { return ca_pending_; }

  // Active Authentication (9303-11 §6.1): INTERNAL AUTHENTICATE with an 8-byte random nonce,
  // the answer verified against DG15's key. Ok(kOk): proven; Ok(a Status): refused, with
  // kSecurity for a signature that does not verify and kFailedPrecondition for an unknown algorithm.
  CardResult<Status> ActiveAuthenticate(ByteView dg15_spki, const std::optional<Bytes>& aa_signature_oid) {
    Bytes nonce(8);
    if (opt_.random) {
      opt_.random(nonce.data(), nonce.size());
    } else {
      SecureRandom(nonce.data(), nonce.size());
    }
    // An ECDSA or RSA-1024 signature fits a short answer; a longer one needs extended length.
    const size_t le = opt_.max_chunk > kShortChunk ? 256 : kShortChunk;
    auto r = Secure(Apdu{0x00, 0x88, 0x00, 0x00, nonce, le, true});
    if (r.ok() && r->sw == 0x6700) return WrongLength("INTERNAL AUTHENTICATE");
    if (!r.ok()) {
      std::string why;
      auto failed = KeyProofFailure(r.error(), &why);
      if (!failed.ok()) return failed.error();
      return Status::Error(Code::kSecurity, "AA: " + why, "Thẻ không chứng minh được là thẻ thật.");
    }
    if (r->sw != 0x9000 || r->data.empty()) {
      return Status::Error(Code::kSecurity, "AA: INTERNAL AUTHENTICATE answered " + SwHex(r->sw),
                           "Thẻ không chứng minh được là thẻ thật.");
    }
    return VerifyActiveAuthentication(dg15_spki, aa_signature_oid, nonce, r->data);
  }

 private:
  // 6700 (wrong length) to a key-proof command: the reader's or the card's APDU size, not the
  // proof: kReadError, so that PcscCardReader reads again with short APDUs (a clone fails there).
  CardError WrongLength(const char* command) {
    return MakeCardError(CardFailure::kReadError, std::string(command) + " answered 6700 (wrong length)",
                         std::string("Đọc dữ liệu từ thẻ bị lỗi. ") + kRetry);
  }

  // A failure during a key proof: the card pulled, the reader gone, pcscd down or a cancel pass
  // on as they are; anything else (a response MAC that does not verify under the new keys,
  // secure messaging dropped, a status word) is the proof failing.
  CardResult<bool> KeyProofFailure(const CardError& e, std::string* why) {
    if (e.kind == CardFailure::kCardRemoved || e.kind == CardFailure::kReaderGone ||
        e.kind == CardFailure::kServiceDown || e.kind == CardFailure::kCancelled || e.kind == CardFailure::kNoCard) {
      return e;
    }
    *why = e.status.message_en();
    return false;
  }

  CardStatus ReadBinary(const FileSpec& f, size_t offset, size_t n, Bytes* out) {
    auto r =
        Secure(Apdu{0x00, 0xB0, static_cast<uint8_t>(offset >> 8), static_cast<uint8_t>(offset & 0xFF), {}, n, true});
    if (!r.ok()) return r.error();
    MCK_RETURN_IF_CARD_ERROR(CheckRead(f, offset, *r));
    Append(*out, r->data);
    return CardStatus::Ok();
  }

  static CardStatus CheckRead(const FileSpec& f, size_t offset, const Response& r) {
    const bool ok = r.sw == 0x9000 || r.sw == 0x6282;  // 6282: end of file before Le bytes
    if (!ok || r.data.empty()) {
      return MakeCardError(
          CardFailure::kReadError,
          std::string("READ BINARY ") + f.name + " at " + std::to_string(offset) + " answered " + SwHex(r.sw),
          std::string("Đọc dữ liệu từ thẻ bị lỗi. ") + kRetry);
    }
    return CardStatus::Ok();
  }

  ApduTransport& t_;
  const EmrtdOptions& opt_;
  const ReadProgress& progress_;
  EmrtdStats* stats_;
  std::optional<SecureMessaging> sm_;
  bool sfi_ = true;  // files read by short EF identifier until the card refuses it
  bool ca_pending_ = false, ca_proven_ = false;
  size_t expected_ = 0, done_ = 0;
};

}  // namespace mck::card::emrtd_internal
