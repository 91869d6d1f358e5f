#!/usr/bin/env bash
# A throwaway country-signing CA (CSCA) and document signer (DS) for the virtual card's EF.SOD,
# plus an unrelated CSCA for the "signature does not chain" test. openssl (and python3 for the
# master list's DER content); made at test time.
#   make_pki.sh DIR -> DIR/csca.pem, DIR/ds.pem + .key      the genuine chain
#                      DIR/other-csca.pem, DIR/other-ds.pem + .key   a DS under another CSCA
#                      DIR/revoked-ds.pem + .key, DIR/crl.pem        a DS under csca.pem that
#                                                            csca's CRL (crl.pem) revokes
#                      DIR/bundle.pem       other-csca.pem and csca.pem in one PEM file
#                      DIR/csca.ml          an ICAO CSCA master list (DER CMS, eContentType
#                                           2.23.136.1.1.2) listing other-csca and csca, signed
#                                           by a master list signer under csca
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
cat > ext.cnf <<'CNF'
[csca]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ds]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
q() { "$@" >/dev/null 2>&1; }
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout csca.key -out csca.pem \
  -days 3650 -subj "/C=VN/O=Test CSCA (throwaway)/CN=CSCA Test" -extensions csca -config <(cat /etc/ssl/openssl.cnf ext.cnf)
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other-csca.key -out other-csca.pem \
  -days 3650 -subj "/C=VN/O=Other CSCA (throwaway)/CN=Other CSCA" -extensions csca -config <(cat /etc/ssl/openssl.cnf ext.cnf)
q openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ds.key -out ds.csr \
  -subj "/C=VN/O=Test CSCA (throwaway)/CN=Document Signer Test"
q openssl x509 -req -in ds.csr -CA csca.pem -CAkey csca.key -CAcreateserial -out ds.pem -days 3650 \
  -extfile ext.cnf -extensions ds
issue() {  # issue NAME CA: NAME.pem/NAME.key, a document signer certified by CA.pem/CA.key
  q openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$1.key" -out "$1.csr" \
    -subj "/C=VN/O=Test (throwaway)/CN=$1"
  q openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -out "$1.pem" -days 3650 \
    -extfile ext.cnf -extensions ds
  rm -f "$1.csr"
}
issue other-ds other-csca
issue revoked-ds csca
issue ml-signer csca
# csca's CRL revoking revoked-ds (openssl ca needs its small database).
mkdir -p cadb
: > cadb/index.txt
echo 01 > cadb/crlnumber
cat > ca.cnf <<'CNF'
[ca]
default_ca = csca
[csca]
database = cadb/index.txt
crlnumber = cadb/crlnumber
certificate = csca.pem
private_key = csca.key
default_md = sha256
default_crl_days = 3650
CNF
q openssl ca -config ca.cnf -revoke revoked-ds.pem
q openssl ca -config ca.cnf -gencrl -out crl.pem
cat other-csca.pem csca.pem > bundle.pem
# The master list: CscaMasterList ::= SEQUENCE { version INTEGER 0, certList SET OF Certificate }.
openssl x509 -in other-csca.pem -outform DER -out other-csca.der
openssl x509 -in csca.pem -outform DER -out csca.der
/usr/bin/python3 - <<'PY'
def tlv(tag, v):
    n = len(v)
    l = bytes([n]) if n < 0x80 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag]) + l + v
certs = b"".join(open(f, "rb").read() for f in ("other-csca.der", "csca.der"))
open("ml-content.der", "wb").write(tlv(0x30, tlv(0x02, b"\x00") + tlv(0x31, certs)))
PY
q openssl cms -sign -binary -nodetach -nosmimecap -econtent_type 2.23.136.1.1.2 -md sha256 -signer ml-signer.pem \
  -inkey ml-signer.key -in ml-content.der -outform DER -out csca.ml
[ -s csca.ml ] && [ -s crl.pem ] && [ -s other-ds.pem ] || { echo "make_pki.sh: openssl failed" >&2; exit 1; }
rm -rf ds.csr csca.srl other-csca.srl ext.cnf ca.cnf cadb ml-content.der other-csca.der csca.der
