#!/usr/bin/env bash
# A throwaway country-signing CA (CSCA) and document signer (DS) for the virtual card's EF.SOD,
# plus an unrelated CSCA for the "signature does not chain" test. openssl only; made at test time.
#   make_pki.sh DIR   -> DIR/csca.pem, DIR/other-csca.pem, DIR/ds.pem, DIR/ds.key
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
rm -f ds.csr csca.srl ext.cnf
