#!/usr/bin/python3
"""A virtual ICAO 9303 eMRTD chip for vsmartcard-vpcd, written independently of the kiosk's
reader code (Debian's python3-pycryptodome, imported as Cryptodome; openssl for the SOD).

It connects to vpcd (the PC/SC driver of the virtual reader, listening on 127.0.0.1:35963 for
slot 0) and answers APDUs: SELECT of the eMRTD application, GET CHALLENGE and EXTERNAL
AUTHENTICATE (Basic Access Control), then secure messaging (3DES, retail MAC, SSC) for SELECT
EF and READ BINARY (short and extended length) of EF.COM, DG1, DG2, DG13 and EF.SOD.

vpcd protocol: every message is a 2-byte big-endian length and a payload. A 1-byte payload is a
control code from the reader (0 power off, 1 power on, 2 reset, 4 "send the ATR"); anything else
is a command APDU, answered with the response APDU.

Profiles (--profile):
  cccd       a Vietnamese CCCD: TD1 MRZ, DG13, a face, extended length advertised in the ATR
  passport   the ICAO 9303 specimen (ERIKSSON ANNA MARIA, BAC key L898902C<369080619406236),
             TD3 MRZ, no DG13, short APDUs only
  not-emrtd  a card without the eMRTD application
Faults: --pull-after N (the card vanishes after N APDUs: socket closed, as when pulled away),
--tamper-dg13 (DG13 changed after the SOD was signed), --refuse-extended (extended length
advertised but refused with 6700), --icao-example (GET CHALLENGE and K.IC use
the values of ICAO 9303-11 Appendix D, and the card checks that the reader's EXTERNAL
AUTHENTICATE and first protected APDU equal the worked example when the reader pins RND.IFD and
K.IFD too; it prints "ICAO-EXAMPLE-MATCH" when they do).

Run --self-test to check this card's cryptography against the ICAO worked examples.
"""
import argparse
import hashlib
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

from Cryptodome.Cipher import DES, DES3

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
    return (int.from_bytes(ssc, "big") + 1).to_bytes(8, "big")


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


def face(size):
    """A DG2 with a biometric data block holding bytes that start like a JPEG 2000 file."""
    image = bytes.fromhex("0000000C6A5020200D0A870A") + bytes((i * 7 + 3) % 251 for i in range(size))
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
            2: face(12000),
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
    tags = {1: 0x61, 2: 0x75, 13: 0x6D}
    com = tlv(0x60, tlv(0x5F01, b"0107") + tlv(0x5F36, b"040000") + tlv(0x5C, bytes(tags[n] for n in sorted(dgs))))
    return mrz, key, dgs, com, atr


def lds_security_object(dgs):
    hashes = b"".join(tlv(0x30, tlv(0x02, bytes([n])) + tlv(0x04, hashlib.sha256(v).digest())) for n, v in sorted(dgs.items()))
    sha256 = tlv(0x30, tlv(0x06, bytes.fromhex("608648016503040201")))
    return tlv(0x30, tlv(0x02, b"\x00") + sha256 + tlv(0x30, hashes))


def sign_sod(lds, pki):
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "lds.der"), os.path.join(d, "sod.der")
        with open(src, "wb") as f:
            f.write(lds)
        subprocess.run(["openssl", "cms", "-sign", "-binary", "-nodetach", "-nosmimecap", "-econtent_type",
                        "2.23.136.1.1.1", "-md", "sha256", "-signer", os.path.join(pki, "ds.pem"), "-inkey",
                        os.path.join(pki, "ds.key"), "-in", src, "-outform", "DER", "-out", out], check=True)
        with open(out, "rb") as f:
            return tlv(0x77, f.read())


# ---------------------------------------------------------------- the chip

ICAO_RND_IC = bytes.fromhex("4608F91988702212")
ICAO_K_IC = bytes.fromhex("0B4F80323EB3191CB04970CB4052790B")
ICAO_EXT_AUTH = bytes.fromhex("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7")
ICAO_PROTECTED_SELECT = bytes.fromhex("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")


class Chip:
    def __init__(self, args):
        self.args = args
        self.mrz, self.mrz_info, self.dgs, self.com, self.atr = profile_files(args.profile)
        sod = sign_sod(lds_security_object(self.dgs), args.pki) if args.pki else None
        if args.tamper_dg13 and 13 in self.dgs:
            d = bytearray(self.dgs[13])
            d[-1] ^= 0x01
            self.dgs[13] = bytes(d)
        self.files = {0x011E: self.com, 0x0101: self.dgs.get(1), 0x0102: self.dgs.get(2), 0x010D: self.dgs.get(13),
                      0x011D: sod}
        self.kenc, self.kmac = bac_keys(self.mrz_info)
        self.reset()

    def reset(self):
        self.selected_app = False
        self.rnd_ic = None
        self.session = None  # (ks_enc, ks_mac, ssc)
        self.current = None
        self.first_sm = True

    # -- plain APDUs
    def apdu(self, c):
        cla, ins, p1, p2 = c[0], c[1], c[2], c[3]
        if self.args.refuse_extended and len(c) >= 7 and c[4] == 0:
            self.session = None  # like a chip whose I/O buffer cannot take it: SM session lost
            return b"\x67\x00"
        if cla & 0x0C == 0x0C:
            return self.secure(c)
        if ins == 0xA4 and p1 == 0x04:
            data, _ = body(c)
            if self.args.profile != "not-emrtd" and data == bytes.fromhex("A0000002471001"):
                self.reset()
                self.selected_app = True
                return b"\x90\x00"
            return b"\x6A\x82"
        if not self.selected_app:
            return b"\x6D\x00" if ins != 0xA4 else b"\x6A\x82"
        if ins == 0x84:
            self.rnd_ic = ICAO_RND_IC if self.args.icao_example else os.urandom(8)
            return self.rnd_ic + b"\x90\x00"
        if ins == 0x82:
            data, _ = body(c)
            if self.rnd_ic is None or len(data) != 40:
                return b"\x69\x85"
            e, m = data[:32], data[32:]
            if retail_mac(self.kmac, pad(e)) != m:
                self.rnd_ic = None
                return b"\x63\x00"
            s = tdes_dec(self.kenc, e)
            rnd_ifd, rnd_ic, k_ifd = s[:8], s[8:16], s[16:]
            if rnd_ic != self.rnd_ic:
                self.rnd_ic = None
                return b"\x63\x00"
            if self.args.icao_example and data == ICAO_EXT_AUTH:
                self.example_auth = True
            k_ic = ICAO_K_IC if self.args.icao_example else os.urandom(16)
            r = tdes_enc(self.kenc, rnd_ic + rnd_ifd + k_ic)
            seed = bytes(x ^ y for x, y in zip(k_ifd, k_ic))
            self.session = [kdf(seed, 1), kdf(seed, 2), rnd_ic[4:] + rnd_ifd[4:]]
            self.rnd_ic = None
            return r + retail_mac(self.kmac, pad(r)) + b"\x90\x00"
        return b"\x69\x82"  # security status not satisfied: plain access to files is refused

    # -- secure messaging
    def secure(self, c):
        if not self.session:
            return b"\x69\x82"
        if self.first_sm and self.args.icao_example:
            if bytes(c) == ICAO_PROTECTED_SELECT and getattr(self, "example_auth", False):
                print("ICAO-EXAMPLE-MATCH", flush=True)
        self.first_sm = False
        ks_enc, ks_mac, ssc = self.session
        data, _ = body(c)
        objs = parse_tlvs(data)
        ssc = inc(ssc)
        mac_input = ssc + pad(bytes(c[:4]))
        do87 = do97 = do8e = None
        for tag, value in objs:
            if tag == 0x87:
                do87 = value
                mac_input += tlv(0x87, value)
            elif tag == 0x97:
                do97 = value
                mac_input += tlv(0x97, value)
            elif tag == 0x8E:
                do8e = value
        if do8e is None or retail_mac(ks_mac, pad(mac_input)) != do8e:
            self.session = None
            return b"\x69\x88"
        plain = unpad(tdes_dec(ks_enc, do87[1:])) if do87 else b""
        le = int.from_bytes(do97, "big") if do97 else 0
        if do97 is not None and le == 0:
            le = 65536 if len(do97) == 2 else 256
        ins, p1, p2 = c[1], c[2], c[3]
        rdata, sw = b"", b"\x90\x00"
        if ins == 0xA4 and p1 == 0x02:
            fid = int.from_bytes(plain, "big")
            if self.files.get(fid) is None:
                sw = b"\x6A\x82"
            else:
                self.current = fid
        elif ins == 0xB0:
            f = self.files.get(self.current)
            offset = p1 << 8 | p2
            if f is None:
                sw = b"\x69\x86"
            elif offset >= len(f):
                sw = b"\x6B\x00"
            else:
                rdata = f[offset : offset + le]
                if len(rdata) < le:
                    sw = b"\x62\x82"
        else:
            sw = b"\x6D\x00"
        resp = b""
        if rdata:
            resp += tlv(0x87, b"\x01" + tdes_enc(ks_enc, pad(rdata)))
        resp += tlv(0x99, sw)
        ssc = inc(ssc)
        resp += tlv(0x8E, retail_mac(ks_mac, pad(ssc + resp)))
        self.session[2] = ssc
        return resp + sw


def body(c):
    """(data, le) of a command APDU, short or extended."""
    if len(c) <= 4:
        return b"", 0
    if len(c) == 5:
        return b"", c[4] or 256
    if c[4] == 0 and len(c) >= 7:  # extended
        lc = int.from_bytes(c[5:7], "big")
        if len(c) == 7:
            return b"", lc or 65536
        data = c[7 : 7 + lc]
        rest = c[7 + lc :]
        return data, (int.from_bytes(rest, "big") or 65536) if rest else 0
    lc = c[4]
    data = c[5 : 5 + lc]
    rest = c[5 + lc :]
    return data, (rest[0] or 256) if rest else 0


# ---------------------------------------------------------------- vpcd connection


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("vpcd closed the connection")
        buf += chunk
        # vpcd writes the length and the APDU separately: acknowledge at once, or Nagle on its
        # side and delayed ACKs on ours add ~40 ms to every APDU.
        if hasattr(socket, "TCP_QUICKACK"):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
    return buf


def serve(args):
    chip = Chip(args)
    deadline = time.time() + args.connect_timeout
    while True:
        try:
            sock = socket.create_connection((args.host, args.port))
            break
        except OSError:
            if time.time() > deadline:
                print("emrtd_card: cannot connect to vpcd on %s:%d" % (args.host, args.port), file=sys.stderr)
                return 3
            time.sleep(0.1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    print("emrtd_card: inserted (%s)" % args.profile, flush=True)
    apdus = 0
    try:
        while True:
            n = struct.unpack(">H", recv_exact(sock, 2))[0]
            msg = recv_exact(sock, n)
            if n == 1:
                if msg[0] == 4:
                    sock.sendall(struct.pack(">H", len(chip.atr)) + chip.atr)
                elif msg[0] in (0, 1, 2):
                    chip.reset()
                continue
            apdus += 1
            if args.pull_after and apdus > args.pull_after:
                print("emrtd_card: pulled away after %d APDUs" % args.pull_after, flush=True)
                sock.close()
                return 0
            rapdu = chip.apdu(bytearray(msg))
            if args.trace:
                print("> %s\n< %s" % (msg.hex().upper(), rapdu.hex().upper()), file=sys.stderr, flush=True)
            sock.sendall(struct.pack(">H", len(rapdu)) + rapdu)
    except (ConnectionError, OSError):
        return 0


# ---------------------------------------------------------------- self-test


def self_test():
    info = mrz_information("L898902C", "690806", "940623")
    assert info == "L898902C<369080619406236", info
    kenc, kmac = bac_keys(info)
    assert kenc.hex().upper() == "AB94FDECF2674FDFB9B391F85D7F76F2"
    assert kmac.hex().upper() == "7962D9ECE03D1ACD4C76089DCE131543"
    rnd_ifd, k_ifd = bytes.fromhex("781723860C06C226"), bytes.fromhex("0B795240CB7049B01C19B33E32804F0B")
    e = tdes_enc(kenc, rnd_ifd + ICAO_RND_IC + k_ifd)
    assert e + retail_mac(kmac, pad(e)) == ICAO_EXT_AUTH
    r = tdes_enc(kenc, ICAO_RND_IC + rnd_ifd + ICAO_K_IC)
    assert (r + retail_mac(kmac, pad(r))).hex().upper() == (
        "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449")
    seed = bytes(x ^ y for x, y in zip(k_ifd, ICAO_K_IC))
    assert kdf(seed, 1).hex().upper() == "979EC13B1CBFE9DCD01AB0FED307EAE5"
    assert kdf(seed, 2).hex().upper() == "F1CB1F1FB5ADF208806B89DC579DC1F8"
    ks_mac = kdf(seed, 2)
    ssc = inc(bytes.fromhex("887022120C06C226"))
    do87 = tlv(0x87, b"\x01" + tdes_enc(kdf(seed, 1), pad(bytes.fromhex("011E"))))
    cc = retail_mac(ks_mac, pad(ssc + pad(bytes.fromhex("0CA4020C")) + do87))
    assert bytes.fromhex("0CA4020C15") + do87 + tlv(0x8E, cc) + b"\x00" == ICAO_PROTECTED_SELECT
    assert td3("UTO", "ERIKSSON", "ANNA MARIA", "L898902C", "UTO", "690806", "F", "940623", "ZE184226B")[44:] == \
        "L898902C<3UTO6908061F9406236ZE184226B<<<<<14"
    print("emrtd_card self-test: ICAO 9303-11 worked examples OK")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=35963)
    p.add_argument("--profile", choices=["cccd", "passport", "not-emrtd"], default="cccd")
    p.add_argument("--pki", help="folder with ds.pem and ds.key (make_pki.sh); without it, no EF.SOD")
    p.add_argument("--pull-after", type=int, default=0)
    p.add_argument("--tamper-dg13", action="store_true")
    p.add_argument("--refuse-extended", action="store_true",
                   help="advertise extended length in the ATR but answer 6700 to extended APDUs")
    p.add_argument("--icao-example", action="store_true")
    p.add_argument("--trace", action="store_true")
    p.add_argument("--connect-timeout", type=float, default=10.0)
    p.add_argument("--self-test", action="store_true")
    args = p.parse_args()
    if args.self_test:
        return self_test()
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
