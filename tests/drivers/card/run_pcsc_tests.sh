#!/usr/bin/env bash
# Runs the PC/SC integration tests against real peers: starts Debian's pcscd (which loads the
# vsmartcard-vpcd reader from /etc/reader.conf.d/vpcd: "Virtual PCD 00 00" listening for a card
# on 127.0.0.1:35963, "00 01" on 35964), makes a throwaway CSCA + document signer with openssl,
# runs the Catch2 program (which starts the Python virtual card per test), then stops pcscd.
#   run_pcsc_tests.sh TEST_BINARY [KIOSKCTL]
# There is one pcscd per machine and vpcd listens on fixed ports: the script holds
# `flock /tmp/mck-pcscd.lock` for its whole run (unless a calling process already holds it, as
# with `flock /tmp/mck-pcscd.lock ctest -L pcsc`), so concurrent ctest runs take turns.
# When pcscd, vpcd, python3-pycryptodome or openssl is missing, or pcscd cannot start here:
# with MCK_REQUIRE_ALL=1 (scripts/test, CI) that is a failure (exit 1, with the reason);
# without it, a visible SKIP (exit 77, ctest SKIP_RETURN_CODE).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$1
ctl=${2:-}
skip() {
  if [ "${MCK_REQUIRE_ALL:-0}" = 1 ]; then
    echo "FAIL: $* (MCK_REQUIRE_ALL=1: every test must run)"
    exit 1
  fi
  echo "SKIP: $* (set MCK_REQUIRE_ALL=1 to make this a failure)"
  exit 77
}

lock=/tmp/mck-pcscd.lock
# True when an ancestor of this shell (e.g. `flock /tmp/mck-pcscd.lock ctest ...`) holds the lock:
# taking it again would wait for ourselves.
lock_held_by_ancestor() {
  [ -e "$lock" ] || return 1
  local ino holders p
  ino=$(stat -c %i "$lock") || return 1
  holders=$(awk -v ino="$ino" '$2 == "FLOCK" { n = split($6, a, ":"); if (a[n] == ino) print $5 }' /proc/locks)
  [ -n "$holders" ] || return 1
  p=$$
  while [ -n "$p" ] && [ "$p" -gt 1 ]; do
    for h in $holders; do [ "$h" = "$p" ] && return 0; done
    p=$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ')
  done
  return 1
}
if [ -z "${MCK_PCSCD_LOCKED:-}" ] && ! lock_held_by_ancestor; then
  command -v flock >/dev/null || skip "flock (util-linux) is not installed"
  export MCK_PCSCD_LOCKED=1
  exec flock "$lock" "$0" "$@"
fi

command -v pcscd >/dev/null || skip "pcscd is not installed (scripts/setup --deps installs pcscd)"
[ -f /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || skip "vsmartcard-vpcd is not installed"
[ -f /etc/reader.conf.d/vpcd ] || skip "/etc/reader.conf.d/vpcd is missing (vsmartcard-vpcd)"
/usr/bin/python3 -c "import Cryptodome" 2>/dev/null || skip "python3-pycryptodome is not installed"
command -v openssl >/dev/null || skip "openssl is not installed"

# The virtual card must agree with ICAO 9303-11's worked examples before it tests anything.
/usr/bin/python3 "$here/vcard/emrtd_card.py" --self-test || exit 1

work=$(mktemp -d /tmp/mck-pcsc.XXXXXX)
started=0
cleanup() {
  if ((started)) && [ -f /run/pcscd/pcscd.pid ]; then
    pid=$(tr -d "\0" < /run/pcscd/pcscd.pid)
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  # We started pcscd while holding the machine's pcscd lock: any pcscd left now is ours (one the
  # restart test started after a failure, say). Left running it would serve the next test run.
  if ((started)); then pkill -x pcscd 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$here/vcard/make_pki.sh" "$work/pki" || { echo "make_pki.sh failed"; exit 1; }

if [ -S /run/pcscd/pcscd.comm ] && [ -f /run/pcscd/pcscd.pid ] && kill -0 "$(tr -d "\0" < /run/pcscd/pcscd.pid)" 2>/dev/null; then
  echo "note: using the pcscd already running (pid $(tr -d "\0" < /run/pcscd/pcscd.pid))"
else
  [ "$(id -u)" -eq 0 ] || [ -w /run ] || skip "pcscd needs to create /run/pcscd: run as root"
  # No pcscd answers on the socket, yet one may still run (a leftover of a killed run, its socket
  # unlinked): it would keep vpcd's ports. We hold the lock, so none of them is anyone else's.
  if pgrep -x pcscd >/dev/null; then
    echo "note: stopping a leftover pcscd ($(pgrep -x pcscd | tr '\n' ' '))"
    pkill -x pcscd || true
    for _ in $(seq 50); do pgrep -x pcscd >/dev/null || break; sleep 0.1; done
    rm -f /run/pcscd/pcscd.comm /run/pcscd/pcscd.pid
  fi
  # Started without the lock's descriptor (3..9 closed): a pcscd that outlives this script must not
  # keep the machine's pcscd lock held (seen: an orphaned pcscd blocked every later pcsc run).
  pcscd -f >"$work/pcscd.log" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  started=1
  for _ in $(seq 100); do [ -S /run/pcscd/pcscd.comm ] && break; sleep 0.1; done
  if [ ! -S /run/pcscd/pcscd.comm ]; then
    cat "$work/pcscd.log"
    skip "pcscd did not start in this environment"
  fi
fi

export MCK_VCARD="$here/vcard/emrtd_card.py" MCK_PKI="$work/pki" MCK_KIOSKCTL="$ctl" MCK_PCSCD_RESTART=$started
"$bin"
rc=$?
if ((rc != 0)) && [ -f "$work/pcscd.log" ]; then
  echo "--- pcscd log (last 30 lines) ---"
  tail -30 "$work/pcscd.log"
fi
exit $rc
