"""The virtual eMRTD card's encoding and cryptography, written from ICAO 9303-11 (not from the kiosk's code):
BER-TLV, BAC key derivation, 3DES and the retail MAC, check digits, and PACE's ECDH generic mapping with
AES secure messaging (pycryptodome, imported as Cryptodome)."""
from Cryptodome.Cipher import AES, DES, DES3
from Cryptodome.Hash import CMAC
from Cryptodome.PublicKey import ECC
import hashlib
import os
import struct

# ---------------------------------------------------------------- TLV


def enc_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, value):
    t = tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big")
    return t + enc_len(len(value)) + value


def parse_tlvs(data):
    out, i = [], 0
    while i < len(data):
        tag = data[i]
        i += 1
        if tag & 0x1F == 0x1F:
            while True:
                tag = tag << 8 | data[i]
                i += 1
                if not data[i - 1] & 0x80:
                    break
        n = data[i]
        i += 1
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(data[i : i + k], "big")
            i += k
        out.append((tag, data[i : i + n]))
        i += n
    return out



# ---------------------------------------------------------------- crypto (9303-11 §9.7, §9.8)


def adjust_parity(key):
    out = bytearray()
    for b in key:
        ones = bin(b >> 1).count("1")
        out.append((b & 0xFE) | (1 if ones % 2 == 0 else 0))
    return bytes(out)


def kdf(seed, counter):
    return adjust_parity(hashlib.sha1(seed + struct.pack(">I", counter)).digest()[:16])


def pad(data):
    data = data + b"\x80"
    while len(data) % 8:
        data += b"\x00"
    return data


def unpad(data):
    i = len(data)
    while i > 0 and data[i - 1] == 0:
        i -= 1
    if i == 0 or data[i - 1] != 0x80:
        raise ValueError("bad padding")
    return data[: i - 1]


def tdes_enc(key, data):
    return DES3.new(key, DES3.MODE_CBC, iv=b"\x00" * 8).encrypt(data)


def tdes_dec(key, data):
    return DES3.new(key, DES3.MODE_CBC, iv=b"\x00" * 8).decrypt(data)


def retail_mac(key, data):
    """ISO 9797-1 MAC algorithm 3 over already padded data."""
    ka, kb = key[:8], key[8:]
    h = b"\x00" * 8
    for i in range(0, len(data), 8):
        block = bytes(x ^ y for x, y in zip(h, data[i : i + 8]))
        h = DES.new(ka, DES.MODE_ECB).encrypt(block)
    h = DES.new(kb, DES.MODE_ECB).decrypt(h)
    return DES.new(ka, DES.MODE_ECB).encrypt(h)


def check_digit(s):
    total = 0
    for i, c in enumerate(s):
        if c.isdigit():
            v = int(c)
        elif "A" <= c <= "Z":
            v = ord(c) - 55
        elif c == "<":
            v = 0
        else:
            raise ValueError(c)
        total += v * (7, 3, 1)[i % 3]
    return str(total % 10)


def mrz_information(docno, dob, doe):
    docno = docno.ljust(9, "<")
    return docno + check_digit(docno) + dob + check_digit(dob) + doe + check_digit(doe)


def bac_keys(mrz_info):
    seed = hashlib.sha1(mrz_info.encode()).digest()[:16]
    return kdf(seed, 1), kdf(seed, 2)


def inc(ssc):
    return (int.from_bytes(ssc, "big") + 1).to_bytes(len(ssc), "big")


# ---------------------------------------------------------------- PACE and AES SM (9303-11 §4.4, §9.7, §9.8)

PACE_OID = bytes.fromhex("04007F00070202040202")  # id-PACE-ECDH-GM-AES-CBC-CMAC-128
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
P256_G = ECC.construct(curve="P-256", d=1).pointQ


def kdf_aes(secret, counter):
    return hashlib.sha1(secret + struct.pack(">I", counter)).digest()[:16]


def pad16(data):
    data = data + b"\x80"
    while len(data) % 16:
        data += b"\x00"
    return data


def cmac8(key, data):
    return CMAC.new(key, msg=data, ciphermod=AES).digest()[:8]


def aes_cbc(key, iv, data, encrypt):
    c = AES.new(key, AES.MODE_CBC, iv=iv)
    return c.encrypt(data) if encrypt else c.decrypt(data)


def point_bytes(p):
    return b"\x04" + int(p.x).to_bytes(32, "big") + int(p.y).to_bytes(32, "big")


def point_from(b):
    if len(b) != 65 or b[0] != 4:
        raise ValueError("not an uncompressed point")
    return ECC.EccPoint(int.from_bytes(b[1:33], "big"), int.from_bytes(b[33:], "big"), "P-256")


def pace_token(ks_mac, point):
    return cmac8(ks_mac, tlv(0x7F49, tlv(0x06, PACE_OID) + tlv(0x86, point)))


def card_access():
    """EF.CardAccess: SecurityInfos { PACEInfo { OID, version 2, parameterId 12 (NIST P-256) } }."""
    return tlv(0x31, tlv(0x30, tlv(0x06, PACE_OID) + tlv(0x02, b"\x02") + tlv(0x02, b"\x0C")))


def random_scalar():
    while True:
        k = int.from_bytes(os.urandom(32), "big")
        if 0 < k < P256_ORDER:
            return k
