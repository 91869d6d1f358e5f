#include "drivers/card/bac_crypto.h"

#include <openssl/evp.h>

#include <cassert>
#include <cstring>
#include <memory>

#include "drivers/card/pace_crypto.h"
#include "drivers/card/tlv.h"
#include "offline/domain/ids.h"

namespace mck::card {
namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

Bytes Tdes(ByteView key16, ByteView data, bool encrypt, const EVP_CIPHER* cipher) {
  assert(key16.size() == 16 && data.size() % 8 == 0);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  const uint8_t iv[8] = {0};
  Bytes out(data.size() + 8);
  int n1 = 0, n2 = 0;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key16.data(), iv, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &n1, data.data(), static_cast<int>(data.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + n1, &n2) != 1) {
    abort();  // 3DES with a 16-byte key and block-aligned data cannot fail
  }
  out.resize(static_cast<size_t>(n1 + n2));
  return out;
}

Bytes Concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (auto p : parts) Append(out, p);
  return out;
}

}  // namespace

Bytes Sha1(ByteView data) {
  Bytes out(20);
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, EVP_sha1(), nullptr) != 1) abort();
  return out;
}

void AdjustParity(Bytes& key) {
  for (auto& b : key) {
    int ones = 0;
    for (int i = 1; i < 8; ++i) ones += (b >> i) & 1;
    b = static_cast<uint8_t>((b & 0xFE) | ((ones % 2 == 0) ? 1 : 0));
  }
}

Bytes DeriveKey3Des(ByteView seed, uint32_t counter) {
  Bytes d(seed.begin(), seed.end());
  for (int shift = 24; shift >= 0; shift -= 8) d.push_back(static_cast<uint8_t>(counter >> shift));
  Bytes h = Sha1(d);
  h.resize(16);
  AdjustParity(h);
  return h;
}

Bytes BacKeySeed(std::string_view mrz_information) {
  Bytes h = Sha1(ToBytes(mrz_information));
  h.resize(16);
  return h;
}

KeyPair DeriveKeys(ByteView seed) {
  return {DeriveKey3Des(seed, 1), DeriveKey3Des(seed, 2)};
}

Bytes Pad(ByteView data) {
  Bytes out(data.begin(), data.end());
  out.push_back(0x80);
  while (out.size() % 8) out.push_back(0x00);
  return out;
}

std::optional<Bytes> Unpad(ByteView data, size_t block) {
  size_t n = data.size();
  while (n > 0 && data[n - 1] == 0x00) --n;
  if (n == 0 || data[n - 1] != 0x80 || data.size() - n >= block) return std::nullopt;
  return Bytes(data.begin(), data.begin() + static_cast<long>(n - 1));
}

Bytes TdesEncrypt(ByteView key, ByteView data) {
  return Tdes(key, data, true, EVP_des_ede_cbc());
}
Bytes TdesDecrypt(ByteView key, ByteView data) {
  return Tdes(key, data, false, EVP_des_ede_cbc());
}

Bytes RetailMac(ByteView key, ByteView padded) {
  assert(key.size() == 16 && padded.size() % 8 == 0 && !padded.empty());
  // Single DES with Ka == 3DES(Ka, Ka): CBC over every block but the last.
  Bytes ka2(key.begin(), key.begin() + 8);
  Append(ka2, ByteView(key.data(), 8));
  Bytes h(8, 0);
  const size_t blocks = padded.size() / 8;
  for (size_t i = 0; i + 1 < blocks; ++i) {
    for (int k = 0; k < 8; ++k) h[k] ^= padded[i * 8 + k];
    h = Tdes(ka2, h, true, EVP_des_ede_ecb());
  }
  for (int k = 0; k < 8; ++k) h[k] ^= padded[(blocks - 1) * 8 + k];
  return Tdes(key, h, true, EVP_des_ede_ecb());  // DES_Ka(DES^-1_Kb(DES_Ka(x))) = 3DES(Ka,Kb)
}

Bytes BacAuthenticateData(const KeyPair& keys, ByteView rnd_ic, ByteView rnd_ifd, ByteView k_ifd) {
  const Bytes s = Concat({rnd_ifd, rnd_ic, k_ifd});
  Bytes e = TdesEncrypt(keys.enc, s);
  const Bytes m = RetailMac(keys.mac, Pad(e));
  Append(e, m);
  return e;
}

Result<BacSession> BacCompleteSession(const KeyPair& keys, ByteView response, ByteView rnd_ic, ByteView rnd_ifd,
                                      ByteView k_ifd) {
  auto fail = [](const char* why) {
    return Status::Error(Code::kSecurity, std::string("card_error: BAC: ") + why,
                         "Thẻ trả lời xác thực không hợp lệ. Vui lòng đặt lại thẻ và thử lại.");
  };
  if (response.size() != 40) return fail("mutual authentication response is not 40 bytes");
  const ByteView e_ic = response.first(32), m_ic = response.subspan(32, 8);
  const Bytes mac = RetailMac(keys.mac, Pad(e_ic));
  if (!std::equal(mac.begin(), mac.end(), m_ic.begin())) return fail("chip's MAC does not verify");
  const Bytes r = TdesDecrypt(keys.enc, e_ic);
  if (!std::equal(rnd_ic.begin(), rnd_ic.end(), r.begin()) ||
      !std::equal(rnd_ifd.begin(), rnd_ifd.end(), r.begin() + 8)) {
    return fail("chip's nonces do not match");
  }
  Bytes seed(16);
  for (int i = 0; i < 16; ++i) seed[i] = k_ifd[i] ^ r[16 + i];
  BacSession s{DeriveKeys(seed), Concat({rnd_ic.subspan(4, 4), rnd_ifd.subspan(4, 4)})};
  SecureZero(seed.data(), seed.size());
  return s;
}

Bytes EncodeApdu(const Apdu& a) {
  Bytes out = {a.cla, a.ins, a.p1, a.p2};
  const bool extended = a.data.size() > 255 || (a.has_le && a.le > 256);
  if (!a.data.empty()) {
    if (extended) {
      out.push_back(0);
      out.push_back(static_cast<uint8_t>(a.data.size() >> 8));
    }
    out.push_back(static_cast<uint8_t>(a.data.size() & 0xFF));
    Append(out, a.data);
  }
  if (a.has_le) {
    if (extended) {
      if (a.data.empty()) out.push_back(0);
      const size_t le = a.le >= 65536 ? 0 : a.le;
      out.push_back(static_cast<uint8_t>(le >> 8));
      out.push_back(static_cast<uint8_t>(le & 0xFF));
    } else {
      out.push_back(static_cast<uint8_t>(a.le >= 256 ? 0 : a.le));
    }
  }
  return out;
}

Result<Response> SplitResponse(ByteView raw) {
  if (raw.size() < 2) {
    return Status::Error(Code::kIo, "card_error: response shorter than a status word",
                         "Thẻ trả lời không đầy đủ. Vui lòng đặt lại thẻ và thử lại.");
  }
  Response r;
  r.data.assign(raw.begin(), raw.end() - 2);
  r.sw = static_cast<uint16_t>(raw[raw.size() - 2] << 8 | raw[raw.size() - 1]);
  return r;
}

Bytes PadTo(ByteView data, size_t block) {
  Bytes out(data.begin(), data.end());
  out.push_back(0x80);
  while (out.size() % block) out.push_back(0x00);
  return out;
}

Bytes SecureMessaging::Encrypt(ByteView padded) const {
  if (cipher_ == SmCipher::k3Des) return TdesEncrypt(keys_.enc, padded);
  const Bytes zero(16, 0);
  return AesCbcEncrypt(keys_.enc, AesCbcEncrypt(keys_.enc, zero, ssc_), padded);  // IV = E(KS_enc, SSC)
}

Bytes SecureMessaging::Decrypt(ByteView data) const {
  if (cipher_ == SmCipher::k3Des) return TdesDecrypt(keys_.enc, data);
  const Bytes zero(16, 0);
  return AesCbcDecrypt(keys_.enc, AesCbcEncrypt(keys_.enc, zero, ssc_), data);
}

Bytes SecureMessaging::Mac(ByteView padded) const {
  if (cipher_ == SmCipher::k3Des) return RetailMac(keys_.mac, padded);
  Bytes m = AesCmac(keys_.mac, padded);
  m.resize(8);
  return m;
}

void SecureMessaging::IncrementSsc() {
  for (size_t i = ssc_.size(); i-- > 0;) {
    if (++ssc_[i] != 0) break;
  }
}

Apdu SecureMessaging::Protect(const Apdu& plain) {
  Apdu out;
  out.cla = plain.cla | 0x0C;
  out.ins = plain.ins;
  out.p1 = plain.p1;
  out.p2 = plain.p2;
  const Bytes header = PadTo(Bytes{out.cla, out.ins, out.p1, out.p2}, block());
  Bytes body;
  // The SSC is incremented before encrypting: AES's IV is E(KS_enc, SSC) of this command.
  IncrementSsc();
  if (!plain.data.empty()) {
    Bytes do87_value = {0x01};
    Append(do87_value, Encrypt(PadTo(plain.data, block())));
    Append(body, EncodeTlv(0x87, do87_value));
  }
  if (plain.has_le) {
    Bytes le;
    if (plain.le > 256) {
      le = {static_cast<uint8_t>(plain.le >> 8), static_cast<uint8_t>(plain.le & 0xFF)};
      if (plain.le >= 65536) le = {0, 0};
    } else {
      le = {static_cast<uint8_t>(plain.le == 256 ? 0 : plain.le)};
    }
    Append(body, EncodeTlv(0x97, le));
  }
  Bytes n = ssc_;
  Append(n, header);
  Append(n, body);
  const Bytes cc = Mac(PadTo(n, block()));
  Append(body, EncodeTlv(0x8E, cc));
  out.data = std::move(body);
  out.has_le = true;
  // Le of the protected command: 256 (short) or 65536 (extended) = "whatever the chip returns".
  out.le = (plain.has_le && plain.le > 223) || out.data.size() > 255 ? 65536 : 256;
  return out;
}

Result<Response> SecureMessaging::Unprotect(const Response& resp) {
  IncrementSsc();
  const uint8_t sw1 = static_cast<uint8_t>(resp.sw >> 8);
  if (resp.data.empty() && resp.sw != 0x9000 && sw1 != 0x62 && sw1 != 0x61 && resp.sw != 0x6987 && resp.sw != 0x6988) {
    return Response{{}, resp.sw};  // a plain error status: nothing to verify, nothing to trust but the SW
  }
  auto objects = ParseTlvList(resp.data);
  if (!objects.ok() || resp.data.empty()) {
    char sw[8];
    snprintf(sw, sizeof sw, "%04X", resp.sw);
    return Status::Error(Code::kIo, std::string("card_error: unprotected response, SW ") + sw,
                         "Phiên làm việc bảo mật với thẻ bị ngắt. Vui lòng đặt lại thẻ và thử lại.");
  }
  Bytes mac_input = ssc_;
  std::optional<Tlv> do87, do99, do8e;
  for (const Tlv& t : *objects) {
    if (t.tag == 0x87)
      do87 = t;
    else if (t.tag == 0x99)
      do99 = t;
    else if (t.tag == 0x8E)
      do8e = t;
  }
  if (!do8e || do8e->value.size() != 8 || !do99 || do99->value.size() != 2) {
    return Status::Error(Code::kIo, "card_error: response lacks DO99 or DO8E",
                         "Phiên làm việc bảo mật với thẻ bị ngắt. Vui lòng đặt lại thẻ và thử lại.");
  }
  // The MAC covers every data object before DO8E, in order.
  size_t covered = static_cast<size_t>(do8e->value.data() - resp.data.data()) - 2;
  Append(mac_input, ByteView(resp.data.data(), covered));
  const Bytes cc = Mac(PadTo(mac_input, block()));
  if (!std::equal(cc.begin(), cc.end(), do8e->value.begin())) {
    return Status::Error(Code::kSecurity, "card_error: response MAC does not verify",
                         "Không xác thực được dữ liệu từ thẻ. Vui lòng đặt lại thẻ và thử lại.");
  }
  Response out;
  out.sw = static_cast<uint16_t>(do99->value[0] << 8 | do99->value[1]);
  if (do87) {
    if (do87->value.empty() || do87->value[0] != 0x01 || (do87->value.size() - 1) % block() != 0) {
      return Status::Error(Code::kIo, "card_error: malformed DO87",
                           "Dữ liệu từ thẻ không hợp lệ. Vui lòng đặt lại thẻ và thử lại.");
    }
    const Bytes plain = Decrypt(do87->value.subspan(1));
    auto unpadded = Unpad(plain, block());
    if (!unpadded) {
      return Status::Error(Code::kIo, "card_error: bad padding in DO87",
                           "Dữ liệu từ thẻ không hợp lệ. Vui lòng đặt lại thẻ và thử lại.");
    }
    out.data = std::move(*unpadded);
  }
  return out;
}

}  // namespace mck::card
