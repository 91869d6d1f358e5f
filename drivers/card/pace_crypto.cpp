#include "drivers/card/pace_crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <cassert>

#include "drivers/card/bac_crypto.h"
#include "drivers/card/tlv.h"
#include "offline/domain/ids.h"
#include "offline/domain/openssl_ptr.h"

namespace mck::card {
namespace {

using BnPtr = ossl::Ptr<BIGNUM>;
using PointPtr = ossl::Ptr<EC_POINT>;
using GroupPtr = ossl::Ptr<EC_GROUP>;

Status CryptoError(const char* what) {
  return Status::Error(Code::kSecurity, std::string("card_error: PACE: ") + what,
                       "Không xác thực được với thẻ. Vui lòng đặt lại thẻ và thử lại.");
}

BnPtr ToBn(ByteView b) {
  return BnPtr(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
}

Bytes AesCbc(ByteView key, ByteView iv, ByteView data, bool encrypt) {
  assert(key.size() == 16 && iv.size() == 16 && data.size() % 16 == 0);
  ossl::Ptr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  Bytes out(data.size() + 16);
  int n1 = 0, n2 = 0;
  EVP_CipherInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.data(), iv.data(), encrypt ? 1 : 0);
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  EVP_CipherUpdate(ctx.get(), out.data(), &n1, data.data(), static_cast<int>(data.size()));
  EVP_CipherFinal_ex(ctx.get(), out.data() + n1, &n2);
  out.resize(static_cast<size_t>(n1 + n2));
  return out;
}

}  // namespace

Bytes PaceEcdhGmAes128Oid() {
  return FromHex("04007F00070202040202");
}

Bytes KdfAes128(ByteView secret, uint32_t counter) {
  Bytes in(secret.begin(), secret.end());
  for (int i = 3; i >= 0; --i) in.push_back(static_cast<uint8_t>(counter >> (8 * i)));
  Bytes h = Sha1(in);
  SecureZero(in.data(), in.size());
  h.resize(16);
  return h;
}

Bytes PaceCanKey(std::string_view can) {
  return KdfAes128(ToBytes(can), 3);
}

Bytes AesCbcEncrypt(ByteView key, ByteView iv, ByteView data) {
  return AesCbc(key, iv, data, true);
}
Bytes AesCbcDecrypt(ByteView key, ByteView iv, ByteView data) {
  return AesCbc(key, iv, data, false);
}

Bytes AesCmac(ByteView key, ByteView data) {
  ossl::Ptr<EVP_MAC> mac(EVP_MAC_fetch(nullptr, "CMAC", nullptr));
  ossl::Ptr<EVP_MAC_CTX> ctx(EVP_MAC_CTX_new(mac.get()));
  char cipher[] = "AES-128-CBC";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
                         OSSL_PARAM_construct_end()};
  Bytes out(16);
  size_t n = 0;
  EVP_MAC_init(ctx.get(), key.data(), key.size(), params);
  EVP_MAC_update(ctx.get(), data.data(), data.size());
  EVP_MAC_final(ctx.get(), out.data(), &n, out.size());
  out.resize(n);
  return out;
}

Bytes PaceAuthToken(ByteView ks_mac, ByteView oid, ByteView public_point) {
  Bytes inner = EncodeTlv(0x06, oid);
  Append(inner, EncodeTlv(0x86, public_point));
  Bytes t = AesCmac(ks_mac, EncodeTlv(0x7F49, inner));
  t.resize(8);
  return t;
}

struct PaceCurve::State {
  GroupPtr group;
  BnPtr order;
  ossl::Ptr<BN_CTX> ctx{BN_CTX_new()};
};

PaceCurve::PaceCurve(std::unique_ptr<State> s) : s_(std::move(s)) {}
PaceCurve::PaceCurve(PaceCurve&&) noexcept = default;
PaceCurve& PaceCurve::operator=(PaceCurve&&) noexcept = default;
PaceCurve::~PaceCurve() = default;

Result<PaceCurve> PaceCurve::Create(int parameter_id) {
  int nid = 0;
  if (parameter_id == 12) nid = NID_X9_62_prime256v1;
  if (parameter_id == 13) nid = NID_brainpoolP256r1;
  if (nid == 0) {
    return Status::Error(Code::kInvalidArgument, "PACE parameterId " + std::to_string(parameter_id) + " not supported",
                         "Thẻ dùng tham số PACE chưa được hỗ trợ.");
  }
  auto s = std::make_unique<State>();
  s->group.reset(EC_GROUP_new_by_curve_name(nid));
  s->order.reset(BN_dup(EC_GROUP_get0_order(s->group.get())));
  if (!s->group || !s->order || !s->ctx) return CryptoError("cannot load the curve");
  return PaceCurve(std::move(s));
}

size_t PaceCurve::field_size() const {
  return static_cast<size_t>((EC_GROUP_get_degree(s_->group.get()) + 7) / 8);
}

Bytes PaceCurve::NewPrivateKey(const std::function<void(uint8_t*, size_t)>& random) const {
  Bytes k(field_size());
  for (;;) {
    if (random)
      random(k.data(), k.size());
    else
      SecureRandom(k.data(), k.size());
    BnPtr bn = ToBn(k);
    if (!BN_is_zero(bn.get()) && BN_cmp(bn.get(), s_->order.get()) < 0) return k;
  }
}

static Bytes Encode(const EC_GROUP* g, const EC_POINT* p, BN_CTX* ctx) {
  Bytes out(EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, nullptr, 0, ctx));
  EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, out.data(), out.size(), ctx);
  return out;
}

static Result<PointPtr> Decode(const EC_GROUP* g, ByteView b, BN_CTX* ctx) {
  PointPtr p(EC_POINT_new(g));
  // EC_POINT_oct2point refuses a point that is not on the curve.
  if (b.empty() || b[0] != 0x04 || !EC_POINT_oct2point(g, p.get(), b.data(), b.size(), ctx) ||
      EC_POINT_is_at_infinity(g, p.get()) || EC_POINT_is_on_curve(g, p.get(), ctx) != 1) {
    return CryptoError("the chip's public key is not a point of the curve");
  }
  return p;
}

Result<Bytes> PaceCurve::PublicKey(ByteView private_key) const {
  BnPtr k = ToBn(private_key);
  PointPtr p(EC_POINT_new(s_->group.get()));
  if (!EC_POINT_mul(s_->group.get(), p.get(), k.get(), nullptr, nullptr, s_->ctx.get()))
    return CryptoError("EC_POINT_mul");
  return Encode(s_->group.get(), p.get(), s_->ctx.get());
}

Result<Bytes> PaceCurve::MapGenerator(ByteView nonce_s, ByteView sk_map, ByteView pk_map_ic) {
  EC_GROUP* g = s_->group.get();
  auto peer = Decode(g, pk_map_ic, s_->ctx.get());
  if (!peer.ok()) return peer.status();
  BnPtr sk = ToBn(sk_map), s = ToBn(nonce_s), one(BN_new());
  BN_one(one.get());
  PointPtr h(EC_POINT_new(g)), mapped(EC_POINT_new(g));
  if (!EC_POINT_mul(g, h.get(), nullptr, peer->get(), sk.get(), s_->ctx.get()) || EC_POINT_is_at_infinity(g, h.get())) {
    return CryptoError("mapping: H");
  }
  // G~ = s*G + 1*H
  if (!EC_POINT_mul(g, mapped.get(), s.get(), h.get(), one.get(), s_->ctx.get()) ||
      EC_POINT_is_at_infinity(g, mapped.get())) {
    return CryptoError("mapping: G~");
  }
  Bytes h_bytes = Encode(g, h.get(), s_->ctx.get());
  BnPtr cofactor(BN_dup(EC_GROUP_get0_cofactor(g)));
  GroupPtr mapped_group(EC_GROUP_dup(g));
  if (!mapped_group || !EC_GROUP_set_generator(mapped_group.get(), mapped.get(), s_->order.get(), cofactor.get())) {
    return CryptoError("mapping: set generator");
  }
  s_->group = std::move(mapped_group);
  return h_bytes;
}

Bytes PaceCurve::Generator() const {
  return Encode(s_->group.get(), EC_GROUP_get0_generator(s_->group.get()), s_->ctx.get());
}

Result<Bytes> PaceCurve::SharedSecret(ByteView private_key, ByteView peer_point) const {
  EC_GROUP* g = s_->group.get();
  auto peer = Decode(g, peer_point, s_->ctx.get());
  if (!peer.ok()) return peer.status();
  BnPtr k = ToBn(private_key), x(BN_new());
  PointPtr p(EC_POINT_new(g));
  if (!EC_POINT_mul(g, p.get(), nullptr, peer->get(), k.get(), s_->ctx.get()) || EC_POINT_is_at_infinity(g, p.get()) ||
      !EC_POINT_get_affine_coordinates(g, p.get(), x.get(), nullptr, s_->ctx.get())) {
    return CryptoError("key agreement");
  }
  Bytes out(field_size());
  BN_bn2binpad(x.get(), out.data(), static_cast<int>(out.size()));
  return out;
}

}  // namespace mck::card
