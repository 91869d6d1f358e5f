#include "drivers/card/key_proof.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>

#include "drivers/card/pace_crypto.h"
#include "drivers/card/tlv.h"
#include "offline/domain/ids.h"
#include "offline/domain/openssl_ptr.h"

namespace mck::card {
namespace {

Status Corrupt(const std::string& what) {
  return Status::Error(Code::kCorrupt, "card data: " + what, "Dữ liệu khoá của thẻ bị hỏng. Không xác minh được thẻ.");
}
Status ProofNotGenuine(const std::string& what) {
  return Status::Error(Code::kSecurity, "key proof: " + what,
                       "Thẻ không chứng minh được là thẻ thật (không có khoá bí mật của chip).");
}
Status Unsupported(const std::string& what) {
  return Status::Error(Code::kFailedPrecondition, "key proof: " + what,
                       "Thẻ dùng thuật toán xác thực chưa được hỗ trợ.");
}

bool StartsWith(ByteView b, ByteView prefix) {
  return b.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), b.begin());
}
bool Equal(ByteView a, ByteView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

std::string DottedOid(ByteView content) {
  const Bytes der = EncodeTlv(0x06, content);
  const unsigned char* p = der.data();
  ASN1_OBJECT* obj = d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(der.size()));
  if (!obj) return "(unreadable OID)";
  char buf[128];
  OBJ_obj2txt(buf, sizeof buf, obj, 1);
  ASN1_OBJECT_free(obj);
  return buf;
}

ossl::Ptr<EVP_PKEY> DecodeSpki(ByteView spki) {
  const unsigned char* p = spki.data();
  return ossl::Ptr<EVP_PKEY>(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
}

// The ECDSA hash named by an ecdsa-with-SHA* OID (1.2.840.10045.4.1 / 4.3.1-4).
const EVP_MD* EcdsaDigest(ByteView oid) {
  const Bytes base = FromHex("2A8648CE3D04");
  if (Equal(oid, FromHex("2A8648CE3D0401"))) return EVP_sha1();
  if (!StartsWith(oid, base) || oid.size() != 8 || oid[6] != 0x03) return nullptr;
  switch (oid[7]) {
    case 1: return EVP_sha224();
    case 2: return EVP_sha256();
    case 3: return EVP_sha384();
    case 4: return EVP_sha512();
  }
  return nullptr;
}

Status VerifyRsa9796(EVP_PKEY* key, ByteView nonce, ByteView signature) {
  const size_t k = static_cast<size_t>(EVP_PKEY_get_size(key));
  if (signature.size() != k) return ProofNotGenuine("RSA signature of " + std::to_string(signature.size()) + " bytes");
  ossl::Ptr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  Bytes f(k);
  size_t n = f.size();
  if (!ctx || EVP_PKEY_verify_recover_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) != 1 ||
      EVP_PKEY_verify_recover(ctx.get(), f.data(), &n, signature.data(), signature.size()) != 1) {
    return ProofNotGenuine("RSA signature cannot be opened");
  }
  f.resize(n);
  if (n < k) f.insert(f.begin(), k - n, 0);  // leading zero bytes of the recovered block
  // ISO/IEC 9796-2 scheme 1: 6A || M1 || H || trailer (BC: SHA-1; hh CC: the hash named by hh).
  if (k < 32 || f[0] != 0x6A) return ProofNotGenuine("RSA: not an ISO 9796-2 partial-recovery block");
  const EVP_MD* md = nullptr;
  size_t trailer = 1;
  if (f[k - 1] == 0xBC) {
    md = EVP_sha1();
  } else if (f[k - 1] == 0xCC) {
    trailer = 2;
    switch (f[k - 2]) {
      case 0x33: md = EVP_sha1(); break;
      case 0x34: md = EVP_sha256(); break;
      case 0x35: md = EVP_sha512(); break;
      case 0x36: md = EVP_sha384(); break;
      case 0x38: md = EVP_sha224(); break;
      default: return Unsupported("RSA ISO 9796-2 hash identifier " + ToHex(ByteView(&f[k - 2], 1)));
    }
  } else {
    return ProofNotGenuine("RSA: unknown ISO 9796-2 trailer");
  }
  const size_t hlen = static_cast<size_t>(EVP_MD_get_size(md));
  if (k < 1 + hlen + trailer) return ProofNotGenuine("RSA block too short");
  const ByteView m1(f.data() + 1, k - 1 - hlen - trailer);
  const ByteView h(f.data() + k - trailer - hlen, hlen);
  Bytes m(m1.begin(), m1.end());
  Append(m, nonce);
  Bytes digest(EVP_MAX_MD_SIZE);
  unsigned int dn = 0;
  if (EVP_Digest(m.data(), m.size(), digest.data(), &dn, md, nullptr) != 1) return ProofNotGenuine("digest failed");
  digest.resize(dn);
  if (!Equal(digest, h)) return ProofNotGenuine("RSA ISO 9796-2 signature does not verify");
  return Status::Ok();
}

Status VerifyEcdsaPlain(EVP_PKEY* key, const std::optional<Bytes>& sig_oid, ByteView nonce, ByteView signature) {
  if (!sig_oid) return Unsupported("ECDSA Active Authentication without DG14's ActiveAuthenticationInfo");
  const EVP_MD* md = EcdsaDigest(*sig_oid);
  if (!md) return Unsupported("AA signature algorithm " + DottedOid(*sig_oid));
  const size_t n = static_cast<size_t>((EVP_PKEY_get_bits(key) + 7) / 8);
  if (signature.size() != 2 * n) return ProofNotGenuine("ECDSA signature of " + std::to_string(signature.size()) + " bytes");
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(signature.data(), static_cast<int>(n), nullptr);
  BIGNUM* s = BN_bin2bn(signature.data() + n, static_cast<int>(n), nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return ProofNotGenuine("ECDSA signature unusable");
  }
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (der_len <= 0) return ProofNotGenuine("ECDSA signature unusable");
  ossl::Ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx.get(), der, static_cast<size_t>(der_len), nonce.data(), nonce.size()) == 1;
  OPENSSL_free(der);
  if (!ok) return ProofNotGenuine("ECDSA signature does not verify");
  return Status::Ok();
}

}  // namespace

Bytes CaEcdhAes128Oid() {
  return FromHex("04007F00070202030202");
}
Bytes PkEcdhOid() {
  return FromHex("04007F000702020102");
}
Bytes ActiveAuthOid() {
  return FromHex("678108010105");
}

Result<Dg14> ParseDg14(ByteView dg14) {
  auto outer = ParseTlv(dg14);
  if (!outer.ok()) return Corrupt("DG14: " + outer.status().message_en());
  if (outer->tag != 0x6E) return Corrupt("DG14 does not start with 6E");
  auto set = ParseTlv(outer->value);
  if (!set.ok() || set->tag != 0x31) return Corrupt("DG14 holds no SET of SecurityInfos");
  auto infos = ParseTlvList(set->value);
  if (!infos.ok()) return Corrupt("DG14: " + infos.status().message_en());
  const Bytes ca_prefix = FromHex("04007F0007020203"), pk_prefix = FromHex("04007F0007020201");
  struct CaInfo {
    Bytes oid;
    std::optional<Bytes> key_id;
  };
  struct PkInfo {
    Bytes oid, spki;
    std::optional<Bytes> key_id;
  };
  std::vector<CaInfo> cas;
  std::vector<PkInfo> pks;
  Dg14 out;
  for (const Tlv& info : *infos) {
    if (info.tag != 0x30) return Corrupt("DG14: a SecurityInfo is not a SEQUENCE");
    auto items = ParseTlvList(info.value);
    if (!items.ok()) return Corrupt("DG14: " + items.status().message_en());
    const auto& v = *items;
    if (v.size() < 2 || v[0].tag != 0x06) return Corrupt("DG14: a SecurityInfo has the wrong shape");
    const ByteView oid = v[0].value;
    std::optional<Bytes> key_id;
    if (v.size() >= 3 && v[2].tag == 0x02) key_id = Bytes(v[2].value.begin(), v[2].value.end());
    if (StartsWith(oid, ca_prefix) && oid.size() == 10) {
      if (v[1].tag != 0x02) return Corrupt("DG14: ChipAuthenticationInfo without a version");
      cas.push_back({Bytes(oid.begin(), oid.end()), key_id});
    } else if (StartsWith(oid, pk_prefix) && oid.size() == 9) {
      if (v[1].tag != 0x30) return Corrupt("DG14: ChipAuthenticationPublicKeyInfo without a key");
      pks.push_back({Bytes(oid.begin(), oid.end()), EncodeTlv(0x30, v[1].value), key_id});
    } else if (Equal(oid, ActiveAuthOid())) {
      if (v.size() < 3 || v[1].tag != 0x02 || v[2].tag != 0x06) return Corrupt("DG14: ActiveAuthenticationInfo");
      out.aa_signature_oid = Bytes(v[2].value.begin(), v[2].value.end());
    }
  }
  if (cas.empty() && !pks.empty()) {
    // CA version 1 may be announced by the public key alone: ECDH implies id-CA-ECDH-3DES (9303-11 §9.2.5).
    const bool ec = Equal(pks[0].oid, PkEcdhOid());
    cas.push_back({ec ? FromHex("04007F00070202030201") : FromHex("04007F00070202030101"), pks[0].key_id});
  }
  if (cas.empty()) return out;
  // Prefer the protocol this reader implements; pair it with the key of the same keyId.
  auto ca = std::find_if(cas.begin(), cas.end(), [](const CaInfo& c) { return Equal(c.oid, CaEcdhAes128Oid()); });
  if (ca == cas.end()) ca = cas.begin();
  ChipAuthOffer offer;
  offer.protocol_oid = ca->oid;
  offer.key_id = ca->key_id;
  offer.protocol_name = Equal(ca->oid, CaEcdhAes128Oid()) ? "id-CA-ECDH-AES-CBC-CMAC-128" : DottedOid(ca->oid);
  auto pk =
      std::find_if(pks.begin(), pks.end(), [&](const PkInfo& p) { return !ca->key_id || p.key_id == ca->key_id; });
  if (pk == pks.end()) return Corrupt("DG14: Chip Authentication offered without its public key");
  offer.public_key_spki = pk->spki;
  offer.supported = Equal(ca->oid, CaEcdhAes128Oid()) && Equal(pk->oid, PkEcdhOid());
  out.chip_auth = std::move(offer);
  return out;
}

Result<Bytes> ParseDg15(ByteView dg15) {
  auto outer = ParseTlv(dg15);
  if (!outer.ok()) return Corrupt("DG15: " + outer.status().message_en());
  if (outer->tag != 0x6F) return Corrupt("DG15 does not start with 6F");
  auto spki = ParseTlv(outer->value);
  if (!spki.ok() || spki->tag != 0x30) return Corrupt("DG15 holds no SubjectPublicKeyInfo");
  Bytes der(outer->value.begin(), outer->value.begin() + static_cast<long>(spki->size));
  if (!DecodeSpki(der)) return Corrupt("DG15: the public key cannot be decoded");
  return der;
}

Result<ChipAuthAgreement> ChipAuthenticationAgree(ByteView chip_public_key_spki) {
  auto peer = DecodeSpki(chip_public_key_spki);
  if (!peer) return Corrupt("DG14: the Chip Authentication public key cannot be decoded");
  if (EVP_PKEY_get_base_id(peer.get()) != EVP_PKEY_EC) return Unsupported("Chip Authentication key is not EC");
  ossl::Ptr<EVP_PKEY_CTX> gen(EVP_PKEY_CTX_new_from_pkey(nullptr, peer.get(), nullptr));
  EVP_PKEY* eph_raw = nullptr;
  if (!gen || EVP_PKEY_keygen_init(gen.get()) != 1 || EVP_PKEY_keygen(gen.get(), &eph_raw) != 1) {
    return ProofNotGenuine("cannot make an ephemeral key on the chip key's curve");
  }
  ossl::Ptr<EVP_PKEY> eph(eph_raw);
  ChipAuthAgreement out;
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(eph.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0, &len) != 1) {
    return ProofNotGenuine("ephemeral public key");
  }
  out.ephemeral_public.resize(len);
  if (EVP_PKEY_get_octet_string_param(eph.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out.ephemeral_public.data(), len,
                                      &len) != 1 ||
      out.ephemeral_public.empty() || out.ephemeral_public[0] != 0x04) {
    return ProofNotGenuine("ephemeral public key is not an uncompressed point");
  }
  ossl::Ptr<EVP_PKEY_CTX> dh(EVP_PKEY_CTX_new_from_pkey(nullptr, eph.get(), nullptr));
  size_t k_len = 0;
  if (!dh || EVP_PKEY_derive_init(dh.get()) != 1 || EVP_PKEY_derive_set_peer(dh.get(), peer.get()) != 1 ||
      EVP_PKEY_derive(dh.get(), nullptr, &k_len) != 1) {
    return ProofNotGenuine("ECDH with the chip's key failed");
  }
  Bytes k(k_len);
  if (EVP_PKEY_derive(dh.get(), k.data(), &k_len) != 1) return ProofNotGenuine("ECDH with the chip's key failed");
  k.resize(k_len);
  out.session_keys = KeyPair{KdfAes128(k, 1), KdfAes128(k, 2)};
  SecureZero(k.data(), k.size());
  return out;
}

Status VerifyActiveAuthentication(ByteView dg15_spki, const std::optional<Bytes>& aa_signature_oid, ByteView nonce,
                                  ByteView signature) {
  auto key = DecodeSpki(dg15_spki);
  if (!key) return Corrupt("DG15: the public key cannot be decoded");
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA: return VerifyRsa9796(key.get(), nonce, signature);
    case EVP_PKEY_EC: return VerifyEcdsaPlain(key.get(), aa_signature_oid, nonce, signature);
  }
  return Unsupported(std::string("Active Authentication key type ") +
                     (OBJ_nid2sn(EVP_PKEY_get_base_id(key.get())) ? OBJ_nid2sn(EVP_PKEY_get_base_id(key.get())) : "?"));
}

}  // namespace mck::card
