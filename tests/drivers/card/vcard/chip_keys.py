"""The virtual card's private keys and what it publishes about them (ICAO 9303-11 §6, §9.2), written
from the standard, not from the kiosk's code:
  DG14  SecurityInfos: ChipAuthenticationInfo (id-CA-ECDH-AES-CBC-CMAC-128, version 1),
        ChipAuthenticationPublicKeyInfo (id-PK-ECDH, the chip's P-256 key), and, for ECDSA Active
        Authentication, ActiveAuthenticationInfo (id-AA, version 1, ecdsa-with-SHA256)
  DG15  the Active Authentication public key (SubjectPublicKeyInfo): ECDSA P-256 or RSA 1024
Chip Authentication: ECDH of the chip's static key with the terminal's ephemeral key, new AES
session keys KDF(x, 1) and KDF(x, 2). Active Authentication: ECDSA (plain r||s, SHA-256) or RSA
with ISO/IEC 9796-2 digital signature scheme 1 (SHA-1, trailer BC) over the terminal's nonce.
A clone holds the same public files but other private keys (it cannot have the real ones)."""
import hashlib
import os

from Cryptodome.Hash import SHA256
from Cryptodome.PublicKey import ECC, RSA
from Cryptodome.Signature import DSS

from emrtd_crypto import kdf_aes, point_bytes, point_from, tlv

CA_OID = bytes.fromhex("04007F00070202030202")  # id-CA-ECDH-AES-CBC-CMAC-128
PK_ECDH_OID = bytes.fromhex("04007F000702020102")  # id-PK-ECDH
AA_OID = bytes.fromhex("678108010105")  # id-AA 2.23.136.1.1.5
ECDSA_SHA256_OID = bytes.fromhex("2A8648CE3D040302")


class ChipKeys:
    """key_proof: 'both' (DG14 with CA, and DG15), 'ca', 'aa' or 'none'; aa_alg: 'ecdsa' or 'rsa'.
    clone: the public files are the genuine ones, the private keys are not."""

    def __init__(self, key_proof="both", aa_alg="ecdsa", clone=False):
        self.key_proof, self.aa_alg, self.clone = key_proof, aa_alg, clone
        self.ca_key = ECC.generate(curve="P-256") if key_proof in ("both", "ca") else None
        self.aa_key = None
        if key_proof in ("both", "aa"):
            self.aa_key = ECC.generate(curve="P-256") if aa_alg == "ecdsa" else RSA.generate(1024)
        # What the chip actually computes with: a clone has keys of its own.
        self.ca_private = self.ca_key.d if self.ca_key else None
        self.aa_private = self.aa_key
        if clone:
            if self.ca_key:
                self.ca_private = ECC.generate(curve="P-256").d
            if self.aa_key:
                self.aa_private = ECC.generate(curve="P-256") if aa_alg == "ecdsa" else RSA.generate(1024)

    def data_groups(self):
        """{14: DG14, 15: DG15} for the offered proofs (may be empty)."""
        infos = b""
        if self.ca_key:
            spki = self.ca_key.public_key().export_key(format="DER")
            infos += tlv(0x30, tlv(0x06, CA_OID) + tlv(0x02, b"\x01"))
            infos += tlv(0x30, tlv(0x06, PK_ECDH_OID) + spki)
        if self.aa_key and self.aa_alg == "ecdsa":
            infos += tlv(0x30, tlv(0x06, AA_OID) + tlv(0x02, b"\x01") + tlv(0x06, ECDSA_SHA256_OID))
        out = {}
        if infos:
            out[14] = tlv(0x6E, tlv(0x31, infos))
        if self.aa_key:
            out[15] = tlv(0x6F, self.aa_key.public_key().export_key(format="DER"))
        return out

    # -- Chip Authentication: the new session keys from the terminal's ephemeral public key
    def chip_authentication(self, terminal_point):
        if self.ca_private is None:
            return None
        shared = int((point_from(terminal_point) * self.ca_private).x).to_bytes(32, "big")
        return kdf_aes(shared, 1), kdf_aes(shared, 2)

    # -- Active Authentication: the signature over the terminal's nonce
    def internal_authenticate(self, nonce):
        if self.aa_private is None:
            return None
        if self.aa_alg == "ecdsa":
            return DSS.new(self.aa_private, "fips-186-3").sign(SHA256.new(nonce))
        return rsa_9796_2_sign(self.aa_private, nonce)


def rsa_9796_2_sign(key, m2):
    """ISO/IEC 9796-2 scheme 1, partial recovery, SHA-1: F = 6A || M1 || SHA-1(M1 || M2) || BC."""
    k = key.size_in_bytes()
    m1 = os.urandom(k - 2 - 20)
    f = b"\x6A" + m1 + hashlib.sha1(m1 + m2).digest() + b"\xBC"
    return pow(int.from_bytes(f, "big"), key.d, key.n).to_bytes(k, "big")


def rsa_9796_2_verify(public, m2, sig):
    k = public.size_in_bytes()
    f = pow(int.from_bytes(sig, "big"), public.e, public.n).to_bytes(k, "big")
    if f[0] != 0x6A or f[-1] != 0xBC:
        return False
    m1, h = f[1 : k - 21], f[k - 21 : k - 1]
    return hashlib.sha1(m1 + m2).digest() == h


def self_test():
    """CA: both sides of the ECDH agree on the session keys (and a clone's do not); AA: signatures
    verify with the published key (and a clone's do not); DG14/DG15 are well-formed TLV."""
    genuine = ChipKeys("both")
    t = ECC.generate(curve="P-256")
    chip_point = point_bytes(genuine.ca_key.pointQ)
    shared = int((point_from(chip_point) * t.d).x).to_bytes(32, "big")
    assert genuine.chip_authentication(point_bytes(t.pointQ)) == (kdf_aes(shared, 1), kdf_aes(shared, 2))
    nonce = os.urandom(8)
    sig = genuine.internal_authenticate(nonce)
    DSS.new(genuine.aa_key.public_key(), "fips-186-3").verify(SHA256.new(nonce), sig)
    cloned = ChipKeys("both", clone=True)
    cloned_point = point_bytes(cloned.ca_key.pointQ)
    shared_c = int((point_from(cloned_point) * t.d).x).to_bytes(32, "big")
    assert cloned.chip_authentication(point_bytes(t.pointQ)) != (kdf_aes(shared_c, 1), kdf_aes(shared_c, 2))
    try:
        DSS.new(cloned.aa_key.public_key(), "fips-186-3").verify(SHA256.new(nonce), cloned.internal_authenticate(nonce))
        raise AssertionError("a clone's AA signature verified")
    except ValueError:
        pass
    rsa = ChipKeys("aa", aa_alg="rsa")
    assert rsa_9796_2_verify(rsa.aa_key.public_key(), nonce, rsa.internal_authenticate(nonce))
    assert not rsa_9796_2_verify(rsa.aa_key.public_key(), bytes(8), rsa.internal_authenticate(nonce))
    rsa_clone = ChipKeys("aa", aa_alg="rsa", clone=True)
    assert not rsa_9796_2_verify(rsa_clone.aa_key.public_key(), nonce, rsa_clone.internal_authenticate(nonce))
    dgs = genuine.data_groups()
    assert dgs[14][0] == 0x6E and dgs[15][0] == 0x6F
    assert 14 not in ChipKeys("aa", aa_alg="rsa").data_groups() and ChipKeys("none").data_groups() == {}
    print("chip_keys self-test: CA agreement, AA ECDSA and ISO 9796-2, clones refused OK")
