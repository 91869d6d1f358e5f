#!/usr/bin/env bash
# The maintainer scripts for real, on this machine's own /etc and /var/lib seen through overlays
# in a private mount namespace (nothing reaches the real ones): postinst configure twice (as after
# a power cut), the user, the 0700 data folder, its owner repaired; postrm remove keeps the data;
# postrm purge says what it deletes and deletes it; each again, harmlessly.
# Exit 0 pass, 1 fail, 77 skip (not root / no overlayfs; a failure with MCK_REQUIRE_ALL=1).
set -uo pipefail
deb=$1
skip() {
  echo "SKIP: $*"
  [[ ${MCK_REQUIRE_ALL:-} == 1 ]] && exit 1
  exit 77
}
[[ $(id -u) == 0 ]] || skip "needs root for a private mount namespace"
command -v unshare >/dev/null || skip "unshare is not installed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -e "$deb" "$work/ctl"
dpkg-deb -x "$deb" "$work/root"
mkdir -p "$work"/{eu,ew,vu,vw,su,sw}
cp "$work/root/lib/systemd/system/mot-cua-kiosk.service" "$work/su/"
unshare -m --propagation private bash -euo pipefail -c '
  w=$1
  mount -t overlay overlay -o lowerdir=/etc,upperdir=$w/eu,workdir=$w/ew /etc
  mount -t overlay overlay -o lowerdir=/var/lib,upperdir=$w/vu,workdir=$w/vw /var/lib
  sys=$(readlink -f /lib/systemd/system)  # the unit, as dpkg would have unpacked it
  mount -t overlay overlay -o lowerdir=$sys,upperdir=$w/su,workdir=$w/sw $sys
  export DPKG_MAINTSCRIPT_PACKAGE=mot-cua-kiosk  # deb-systemd-helper runs only under dpkg
  fail() { echo "FAIL: $*"; exit 1; }
  ! getent passwd _mot-cua >/dev/null || fail "_mot-cua exists before the install"
  sh "$w/ctl/postinst" configure
  sh "$w/ctl/postinst" configure  # again, as dpkg does after a cut-off configure
  getent passwd _mot-cua >/dev/null || fail "no _mot-cua user"
  [[ $(getent passwd _mot-cua | cut -d: -f7) == /usr/sbin/nologin ]] || fail "the kiosk user can log in"
  [[ $(stat -c "%a %U %G" /var/lib/mot-cua) == "700 _mot-cua _mot-cua" ]] || fail "data folder: $(stat -c "%a %U %G" /var/lib/mot-cua)"
  [[ -L /etc/systemd/system/graphical.target.wants/mot-cua-kiosk.service ]] || fail "the unit is not enabled"
  echo "ok: postinst twice: user, group, 0700 data folder, the unit enabled"
  chmod 0755 /var/lib/mot-cua; chown root:root /var/lib/mot-cua  # a half-done or tampered state
  sh "$w/ctl/postinst" configure
  [[ $(stat -c "%a %U" /var/lib/mot-cua) == "700 _mot-cua" ]] || fail "postinst does not repair the data folder"
  echo "ok: postinst repairs the data folder"
  echo dossier > /var/lib/mot-cua/kiosk.db
  sh "$w/ctl/prerm" remove
  out=$(sh "$w/ctl/postrm" remove)
  [[ -f /var/lib/mot-cua/kiosk.db ]] || fail "remove deleted the data"
  grep -q "kept" <<<"$out" || fail "remove does not say the data is kept: $out"
  [[ $(readlink /etc/systemd/system/mot-cua-kiosk.service) == /dev/null ]] || fail "the unit is not masked after remove"
  echo "ok: remove keeps the data and says so"
  out=$(sh "$w/ctl/postrm" purge)
  [[ ! -e /var/lib/mot-cua ]] || fail "purge left /var/lib/mot-cua"
  grep -q "purge deletes /var/lib/mot-cua" <<<"$out" || fail "purge does not say what it deletes: $out"
  [[ ! -L /etc/systemd/system/graphical.target.wants/mot-cua-kiosk.service && ! -L /etc/systemd/system/mot-cua-kiosk.service ]] ||
    fail "purge left the unit enabled or masked"
  sh "$w/ctl/postrm" purge  # again: harmless
  echo "ok: purge says what it deletes, deletes it, and runs twice"
' bash "$work" || exit 1
