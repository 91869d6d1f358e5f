#!/usr/bin/python3
"""A virtual ICAO 9303 eMRTD chip for vsmartcard-vpcd, written independently of the kiosk's
reader code (Debian's python3-pycryptodome, imported as Cryptodome; openssl for the SOD).

It connects to vpcd (the PC/SC driver of the virtual reader, listening on 127.0.0.1:35963 for
slot 0) and answers APDUs: SELECT of the eMRTD application, GET CHALLENGE and EXTERNAL
AUTHENTICATE (Basic Access Control), then secure messaging (3DES, retail MAC, SSC) for SELECT
EF and READ BINARY (short and extended length; by offset in the selected file or, P1 = 80 | SFI,
by short EF identifier, ICAO 9303-10) of EF.COM, DG1, DG2, DG13, DG14, DG15 and EF.SOD.

vpcd protocol: every message is a 2-byte big-endian length and a payload. A 1-byte payload is a
control code from the reader (0 power off, 1 power on, 2 reset, 4 "send the ATR"); anything else
is a command APDU, answered with the response APDU.

Profiles (--profile):
  cccd       a Vietnamese CCCD: TD1 MRZ, DG13, a face, extended length advertised in the ATR
  passport   the ICAO 9303 specimen (ERIKSSON ANNA MARIA, BAC key L898902C<369080619406236),
             TD3 MRZ, no DG13, short APDUs only
  not-emrtd  a card without the eMRTD application
Faults: --pull-after N (the card vanishes after N APDUs: socket closed, as when pulled away),
--tamper-dg13 (DG13 changed after the SOD was signed), --no-sfi (READ BINARY by short EF
identifier refused with 6A86, as an older chip might), --refuse-extended (extended length
advertised but refused with 6700), --icao-example (GET CHALLENGE and K.IC use
the values of ICAO 9303-11 Appendix D, and the card checks that the reader's EXTERNAL
AUTHENTICATE and first protected APDU equal the worked example when the reader pins RND.IFD and
K.IFD too; it prints "ICAO-EXAMPLE-MATCH" when they do).

--pace: the cccd card also offers EF.CardAccess (PACEInfo: id-PACE-ECDH-GM-AES-CBC-CMAC-128,
version 2, parameterId 12 = NIST P-256) and PACE-CAN with CAN 000017 (the last 6 digits of its ID
number), then AES secure messaging; BAC keeps working on it.

Key proofs (chip_keys.py): --key-proof both|ca|aa|none (default both: DG14 offering Chip
Authentication, id-CA-ECDH-AES-CBC-CMAC-128 on P-256, and DG15 for Active Authentication,
--aa-alg ecdsa|rsa); --clone keeps the genuine files but not the private keys (CA gives other
session keys, AA signatures do not verify); --signer other-ds|revoked-ds signs EF.SOD with a
document signer under another CSCA, or one revoked in make_pki.sh's crl.pem.

Run --self-test to check this card's cryptography against the ICAO worked examples, and the CA /
AA mathematics (chip_keys.py).
"""
import argparse
import hashlib
import os
import socket
import struct
import sys
import time

from Cryptodome.Cipher import AES

import chip_keys
from emrtd_crypto import *  # noqa: F401,F403  (the card's cryptography)
from lds import *  # noqa: F401,F403  (the files on the card)

# ---------------------------------------------------------------- the chip

ICAO_RND_IC = bytes.fromhex("4608F91988702212")
ICAO_K_IC = bytes.fromhex("0B4F80323EB3191CB04970CB4052790B")
ICAO_EXT_AUTH = bytes.fromhex("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7")
ICAO_PROTECTED_SELECT = bytes.fromhex("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")


class Chip:
    def __init__(self, args):
        self.args = args
        self.mrz, self.mrz_info, self.dgs, self.com, self.atr = profile_files(args.profile)
        # The key proofs (DG14: Chip Authentication, DG15: Active Authentication) on the CCCD.
        proof = args.key_proof if args.profile == "cccd" else "none"
        self.keys = chip_keys.ChipKeys(proof, args.aa_alg, args.clone)
        self.dgs.update(self.keys.data_groups())
        self.com = ef_com(self.dgs)
        sod = sign_sod(lds_security_object(self.dgs), args.pki, args.signer) if args.pki else None
        if args.tamper_dg13 and 13 in self.dgs:
            d = bytearray(self.dgs[13])
            d[-1] ^= 0x01
            self.dgs[13] = bytes(d)
        self.files = {0x011E: self.com, 0x0101: self.dgs.get(1), 0x0102: self.dgs.get(2), 0x010D: self.dgs.get(13),
                      0x010E: self.dgs.get(14), 0x010F: self.dgs.get(15), 0x011D: sod}
        self.kenc, self.kmac = bac_keys(self.mrz_info)
        # PACE-CAN (--pace): the CAN is the last 6 digits of the ID number (VN convention, UNCONFIRMED).
        self.can = "000017" if args.pace and args.profile == "cccd" else None
        self.reset()

    def reset(self):
        self.selected_app = False
        self.rnd_ic = None
        self.session = None  # (ks_enc, ks_mac, ssc)
        self.current = None
        self.first_sm = True
        self.aes = False
        self.pace = None  # the PACE exchange in progress: a dict of its state
        self.plain_file = None

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
        if ins == 0xB0 and p1 & 0x80 and not self.selected_app:
            # READ BINARY by short EF identifier in the MF: EF.CardAccess (1C) on a PACE card
            if self.args.no_sfi:
                return b"\x6A\x86"
            if (p1 & 0x1F) != 0x1C or not self.can:
                return b"\x6A\x82"
            self.plain_file = card_access()
            _, le = body(c)
            chunk = self.plain_file[p2 : p2 + le]
            return chunk + (b"\x90\x00" if len(chunk) == le else b"\x62\x82")
        if self.can and not self.selected_app:
            r = self.pace_apdu(c)
            if r is not None:
                return r
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
            self.aes = False
            self.rnd_ic = None
            return r + retail_mac(self.kmac, pad(r)) + b"\x90\x00"
        return b"\x69\x82"  # security status not satisfied: plain access to files is refused

    # -- EF.CardAccess (readable in the clear) and PACE-CAN with generic mapping on P-256
    def pace_apdu(self, c):
        cla, ins, p1, p2 = c[0], c[1], c[2], c[3]
        data, le = body(c)
        if ins == 0xA4 and p1 == 0x02:
            if data == b"\x01\x1C":
                self.plain_file = card_access()
                return b"\x90\x00"
            return b"\x6A\x82"
        if ins == 0xB0 and self.plain_file is not None:
            offset = p1 << 8 | p2
            if offset >= len(self.plain_file):
                return b"\x6B\x00"
            chunk = self.plain_file[offset : offset + le]
            return chunk + (b"\x90\x00" if len(chunk) == le else b"\x62\x82")
        if ins == 0x22 and p1 == 0xC1 and p2 == 0xA4:
            objs = dict(parse_tlvs(data))
            if objs.get(0x80) != PACE_OID or objs.get(0x83) != b"\x02" or objs.get(0x84, b"\x0C") != b"\x0C":
                return b"\x6A\x80"
            self.pace = {"step": 0}
            self.session = None
            return b"\x90\x00"
        if ins != 0x86:
            return None
        st = self.pace
        if st is None:
            return b"\x69\x85"
        try:
            (outer_tag, outer), = parse_tlvs(data)
            objs = dict(parse_tlvs(outer)) if outer else {}
            if outer_tag != 0x7C:
                raise ValueError("no 7C")
            step = st["step"]
            if step == 0:
                st["s"] = int.from_bytes(os.urandom(16), "big")
                k_pi = kdf_aes(self.can.encode("latin-1"), 3)
                z = aes_cbc(k_pi, b"\x00" * 16, st["s"].to_bytes(16, "big"), True)
                answer = tlv(0x80, z)
            elif step == 1:
                pk_map_ifd = point_from(objs[0x81])
                sk = random_scalar()
                h = pk_map_ifd * sk
                st["g"] = P256_G * st["s"] + h
                answer = tlv(0x82, point_bytes(P256_G * sk))
            elif step == 2:
                st["pk_ifd"] = objs[0x83]
                pk_ifd = point_from(objs[0x83])
                sk = random_scalar()
                st["pk_ic"] = point_bytes(st["g"] * sk)
                if st["pk_ic"] == st["pk_ifd"]:
                    raise ValueError("same key")
                shared = int((pk_ifd * sk).x).to_bytes(32, "big")
                st["ks"] = (kdf_aes(shared, 1), kdf_aes(shared, 2))
                answer = tlv(0x84, st["pk_ic"])
            else:
                ks_enc, ks_mac = st["ks"]
                self.pace = None
                if objs.get(0x85) != pace_token(ks_mac, st["pk_ic"]):
                    return b"\x63\x00"  # wrong CAN: the tokens disagree
                self.session = [ks_enc, ks_mac, b"\x00" * 16]
                self.aes = True
                return tlv(0x7C, tlv(0x86, pace_token(ks_mac, st["pk_ifd"]))) + b"\x90\x00"
        except (ValueError, KeyError):
            self.pace = None
            return b"\x6A\x80"
        if (cla & 0x10) == 0:
            self.pace = None
            return b"\x69\x85"  # the chain ended too early
        st["step"] += 1
        return tlv(0x7C, answer) + b"\x90\x00"

    # -- secure messaging (3DES after BAC, AES after PACE)
    def wrap(self, ks_enc, ssc, data, encrypt):
        if getattr(self, "aes", False):
            iv = AES.new(ks_enc, AES.MODE_ECB).encrypt(ssc)
            return aes_cbc(ks_enc, iv, data, encrypt)
        return tdes_enc(ks_enc, data) if encrypt else tdes_dec(ks_enc, data)

    def mac(self, ks_mac, data):
        if getattr(self, "aes", False):
            return cmac8(ks_mac, pad16(data))
        return retail_mac(ks_mac, pad(data))

    def secure(self, c):
        if not self.session:
            return b"\x69\x82"
        first_sm, self.first_sm = self.first_sm, False
        ks_enc, ks_mac, ssc = self.session
        data, _ = body(c)
        objs = parse_tlvs(data)
        ssc = inc(ssc)
        aes = getattr(self, "aes", False)
        mac_input = ssc + (pad16 if aes else pad)(bytes(c[:4]))
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
        if do8e is None or self.mac(ks_mac, mac_input) != do8e:
            self.session = None
            return b"\x69\x88"
        if first_sm and self.args.icao_example and getattr(self, "example_auth", False):
            # The reader's first protected command verifies under the worked example's session
            # (KS_enc, KS_mac from K.IFD xor K.IC, SSC 887022120C06C226: --self-test checks them
            # against Appendix D). The reader now starts with READ BINARY by short EF identifier,
            # not the example's SELECT EF.COM, so the bytes are compared only when it is that.
            if not bytes(c).startswith(bytes.fromhex("0CA4020C")) or bytes(c) == ICAO_PROTECTED_SELECT:
                print("ICAO-EXAMPLE-MATCH", flush=True)
        plain = unpad(self.wrap(ks_enc, ssc, do87[1:], False)) if do87 else b""
        le = int.from_bytes(do97, "big") if do97 else 0
        if do97 is not None and le == 0:
            le = 65536 if len(do97) == 2 else 256
        ins, p1, p2 = c[1], c[2], c[3]
        rdata, sw = b"", b"\x90\x00"
        new_session = None
        if ins == 0x22 and p1 == 0x41 and p2 == 0xA4 and self.selected_app:
            # MSE:Set AT for Chip Authentication: 80 = the protocol OID (84 = keyId, one key here)
            objs = dict(parse_tlvs(plain))
            self.ca_ready = objs.get(0x80) == chip_keys.CA_OID and self.keys.ca_key is not None
            sw = b"\x90\x00" if self.ca_ready else b"\x6A\x80"
        elif ins == 0x86 and getattr(self, "ca_ready", False):
            # GENERAL AUTHENTICATE 7C { 80 the terminal's ephemeral key }: answered under the old
            # keys, then secure messaging restarts with the new ones (AES, SSC 0).
            self.ca_ready = False
            try:
                (outer_tag, outer), = parse_tlvs(plain)
                keys = self.keys.chip_authentication(dict(parse_tlvs(outer))[0x80])
                rdata = b"\x7C\x00"
                new_session = [keys[0], keys[1], b"\x00" * 16]
            except (ValueError, KeyError):
                sw = b"\x6A\x80"
        elif ins == 0x88 and self.selected_app:
            # INTERNAL AUTHENTICATE (Active Authentication): sign the 8-byte nonce
            sig = self.keys.internal_authenticate(plain) if len(plain) == 8 else None
            if sig is None:
                sw = b"\x6D\x00" if self.keys.aa_key is None else b"\x67\x00"
            else:
                rdata = sig
        elif ins == 0xA4 and p1 == 0x04:
            if self.args.profile == "not-emrtd" or plain != bytes.fromhex("A0000002471001"):
                sw = b"\x6A\x82"
            else:
                self.selected_app = True
        elif not self.selected_app:
            sw = b"\x69\x82"
        elif ins == 0xA4 and p1 == 0x02:
            fid = int.from_bytes(plain, "big")
            if self.files.get(fid) is None:
                sw = b"\x6A\x82"
            else:
                self.current = fid
        elif ins == 0xB0 and p1 & 0x80 and self.args.no_sfi:
            sw = b"\x6A\x86"  # a chip without short EF identifiers: P1 is no offset it knows
        elif ins == 0xB0 and p1 & 0x80 and not any(fid & 0x1F == p1 & 0x1F and f for fid, f in self.files.items()):
            sw = b"\x6A\x82"
        elif ins == 0xB0:
            if p1 & 0x80:  # short EF identifier: that file becomes the current one, P2 the offset
                self.current = next(fid for fid, f in self.files.items() if fid & 0x1F == p1 & 0x1F and f)
                p1 = 0
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
            ssc_r = inc(ssc)
            resp += tlv(0x87, b"\x01" + self.wrap(ks_enc, ssc_r, (pad16 if aes else pad)(rdata), True))
        resp += tlv(0x99, sw)
        ssc = inc(ssc)
        resp += tlv(0x8E, self.mac(ks_mac, ssc + resp))
        self.session[2] = ssc
        if new_session:
            self.session = new_session
            self.aes = True
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
    # PACE, ICAO 9303-11 Appendix G.1 (the parts that do not depend on the curve: Cryptodome has
    # no brainpoolP256r1): K_pi, the nonce, the session keys and the authentication tokens.
    k_pi = kdf_aes(hashlib.sha1(b"T22000129364081251010318").digest(), 3)
    assert k_pi.hex().upper() == "89DED1B26624EC1E634C1989302849DD"
    assert aes_cbc(k_pi, b"\x00" * 16, bytes.fromhex("95A3A016522EE98D01E76CB6B98B42C3"), False).hex().upper() == \
        "3F00C4D39D153F2B2A214A078D899B22"
    shared = bytes.fromhex("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925")
    ks_mac = kdf_aes(shared, 2)
    assert kdf_aes(shared, 1).hex().upper() == "F5F0E35C0D7161EE6724EE513A0D9A7F"
    assert ks_mac.hex().upper() == "FE251C7858B356B24514B3BD5F4297D1"
    pk_dh_ic = bytes.fromhex("049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"
                             "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094")
    pk_dh_ifd = bytes.fromhex("042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"
                              "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462")
    assert pace_token(ks_mac, pk_dh_ic).hex().upper() == "C2B0BD78D94BA866"
    assert pace_token(ks_mac, pk_dh_ifd).hex().upper() == "3ABB9674BCE93C08"
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
    p.add_argument("--no-sfi", action="store_true",
                   help="refuse READ BINARY by short EF identifier (6A86): only SELECT + READ BINARY")
    p.add_argument("--refuse-extended", action="store_true",
                   help="advertise extended length in the ATR but answer 6700 to extended APDUs")
    p.add_argument("--icao-example", action="store_true")
    p.add_argument("--pace", action="store_true",
                   help="cccd profile: offer EF.CardAccess with PACE-CAN (P-256, AES-128); BAC still answered")
    p.add_argument("--key-proof", choices=["both", "ca", "aa", "none"], default="both",
                   help="cccd: offer Chip Authentication (DG14) and/or Active Authentication (DG15); default both")
    p.add_argument("--aa-alg", choices=["ecdsa", "rsa"], default="ecdsa",
                   help="Active Authentication key: ECDSA P-256 (with DG14's ActiveAuthenticationInfo) or RSA 1024 "
                        "(ISO 9796-2 scheme 1)")
    p.add_argument("--clone", action="store_true",
                   help="the genuine files (DG14/DG15 included) without the genuine private keys")
    p.add_argument("--signer", choices=["ds", "other-ds", "revoked-ds"], default="ds",
                   help="who signs EF.SOD: the DS under csca.pem, one under other-csca.pem, or a DS revoked in crl.pem")
    p.add_argument("--trace", action="store_true")
    p.add_argument("--connect-timeout", type=float, default=10.0)
    p.add_argument("--self-test", action="store_true")
    args = p.parse_args()
    if args.self_test:
        self_test()
        chip_keys.self_test()
        return 0
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
