"""The files on the virtual card: BER-TLV, the MRZ (TD1, TD3), DG13 with Vietnam's citizen
fields, a face (DG2), the card profiles, and the document security object signed with openssl."""
import hashlib
import os
import subprocess
import tempfile

from emrtd_crypto import check_digit, mrz_information, tlv  # noqa: F401 (parse_tlvs is re-exported)
from emrtd_crypto import enc_len, parse_tlvs  # noqa: F401

# ---------------------------------------------------------------- the documents


def td1(doc_code, state, docno, optional, dob, sex, doe, nat, surname, given):
    l1 = (doc_code.ljust(2, "<") + state + docno + check_digit(docno) + optional.ljust(15, "<"))[:30]
    l2 = dob + check_digit(dob) + sex + doe + check_digit(doe) + nat + "<" * 11
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    l2 += check_digit(composite)
    l3 = (surname + "<<" + given.replace(" ", "<")).ljust(30, "<")[:30]
    assert len(l1) == len(l2) == len(l3) == 30
    return l1 + l2 + l3


def td3(state, surname, given, docno, nat, dob, sex, doe, personal):
    l1 = ("P<" + state + surname + "<<" + given.replace(" ", "<")).ljust(44, "<")[:44]
    docno = docno.ljust(9, "<")
    personal = personal.ljust(14, "<")
    pcd = check_digit(personal)
    l2 = docno + check_digit(docno) + nat + dob + check_digit(dob) + sex + doe + check_digit(doe) + personal + pcd
    composite = l2[0:10] + l2[13:20] + l2[21:43]
    l2 += check_digit(composite)
    assert len(l1) == len(l2) == 44
    return l1 + l2


def dg13(fields):
    """6D { SEQUENCE { INTEGER 1, OID 1.0.10646.1.0.8, SET { SEQUENCE { INTEGER n, value } } } }"""
    items = b""
    for n, value in fields:
        if isinstance(value, list):
            inner = b"".join(tlv(0x0C, v.encode()) for v in value)
            items += tlv(0x30, tlv(0x02, bytes([n])) + tlv(0x30, inner))
        else:
            items += tlv(0x30, tlv(0x02, bytes([n])) + tlv(0x0C, value.encode()))
    content = tlv(0x02, b"\x01") + tlv(0x06, bytes.fromhex("28D316010008")) + tlv(0x31, items)
    return tlv(0x6D, tlv(0x30, content))


def face():
    """A DG2 whose biometric data block holds face.jp2: a real JPEG 2000 file (12.8 kB: DG2 takes
    several extended-length reads) of a synthetic face drawn by make_face.py."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "face.jp2"), "rb") as f:
        image = f.read()
    bdb = b"FAC\x00" + b"010\x00" + b"\x00" * 24 + image
    bit = tlv(0x7F60, tlv(0xA1, tlv(0x80, b"\x01\x01")) + tlv(0x5F2E, bdb))
    return tlv(0x75, tlv(0x7F61, tlv(0x02, b"\x01") + bit))


def profile_files(profile):
    if profile == "passport":
        mrz = td3("UTO", "ERIKSSON", "ANNA MARIA", "L898902C", "UTO", "690806", "F", "940623", "ZE184226B")
        key = mrz_information("L898902C", "690806", "940623")
        dgs = {1: tlv(0x61, tlv(0x5F1F, mrz.encode()))}
        atr = bytes.fromhex("3B8080010101")  # no historical bytes: short APDUs
    else:
        mrz = td1("ID", "VNM", "090000017", "024090000017<<" + check_digit("024090000017"), "900315", "M", "300315",
                  "VNM", "NGUYEN", "VAN THU")
        key = mrz_information("090000017", "900315", "300315")
        dgs = {
            1: tlv(0x61, tlv(0x5F1F, mrz.encode())),
            2: face(),
            13: dg13([
                (1, "024090000017"), (2, "Nguyễn Văn Thử"), (3, "15/03/1990"), (4, "Nam"), (5, "Việt Nam"),
                (6, "Kinh"), (7, "Không"), (8, "Xã Mẫu, Lạng Giang, Bắc Giang"),
                (9, "Thôn Ví Dụ, Xã Mẫu, Lạng Giang, Bắc Giang"), (10, "Nốt ruồi cách 2cm dưới mép trái"),
                (11, "10/05/2021"), (12, "15/03/2030"), (13, ["Nguyễn Văn Cha", "Lê Thị Mẹ"]),
                (14, ["Trần Thị Vợ"]), (15, "121234567"),
            ]),
        }
        # Historical bytes 80 | 73 80 21 C0: card capabilities, extended Lc/Le supported (b7 of byte 3).
        body = bytes.fromhex("858001" "807380" "21C0")
        tck = 0
        for b in body:
            tck ^= b
        atr = bytes([0x3B]) + body + bytes([tck])
    return mrz, key, dgs, ef_com(dgs), atr


def ef_com(dgs):
    """EF.COM: LDS version, Unicode version, and the tags of the data groups present."""
    tags = {1: 0x61, 2: 0x75, 13: 0x6D, 14: 0x6E, 15: 0x6F}
    return tlv(0x60, tlv(0x5F01, b"0107") + tlv(0x5F36, b"040000") + tlv(0x5C, bytes(tags[n] for n in sorted(dgs))))


def lds_security_object(dgs):
    hashes = b"".join(tlv(0x30, tlv(0x02, bytes([n])) + tlv(0x04, hashlib.sha256(v).digest())) for n, v in sorted(dgs.items()))
    sha256 = tlv(0x30, tlv(0x06, bytes.fromhex("608648016503040201")))
    return tlv(0x30, tlv(0x02, b"\x00") + sha256 + tlv(0x30, hashes))


def sign_sod(lds, pki, signer="ds"):
    """signer: "ds" (under csca.pem), "other-ds" (under other-csca.pem), "revoked-ds" (under
    csca.pem, revoked in crl.pem): the files of make_pki.sh."""
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "lds.der"), os.path.join(d, "sod.der")
        with open(src, "wb") as f:
            f.write(lds)
        subprocess.run(["openssl", "cms", "-sign", "-binary", "-nodetach", "-nosmimecap", "-econtent_type",
                        "2.23.136.1.1.1", "-md", "sha256", "-signer", os.path.join(pki, signer + ".pem"),
                        "-inkey", os.path.join(pki, signer + ".key"), "-in", src, "-outform", "DER", "-out", out], check=True)
        with open(out, "rb") as f:
            return tlv(0x77, f.read())
