#!/usr/bin/env python3
"""The installed kiosk session, as far as it can run without systemd as PID 1.

Extracts the package (dpkg-deb -x) into a throwaway root, reads the unit's ExecStart=,
Environment= and RuntimeDirectory= from the extracted unit file, remaps the package's own paths
into the root, and runs that command line as an unprivileged user (nobody) under cage with
WLR_BACKENDS=headless, the way systemd would: NOTIFY_SOCKET and WATCHDOG_USEC point at a socket
this test reads, and a supervisor loop restarts the command whenever it exits (Restart=always).

  1. no config at all: the kiosk shows the Vietnamese "tạm ngừng phục vụ" screen (OCR) and a
     journal line, and stays up (no fallback, no crash loop);
  2. the packaged config (data_dir remapped): READY=1, and — the kiosk not being enrolled — the
     technician's first-boot screen's Vietnamese title (OCR; docs/ui.md "Technician screens");
     then the kiosk is provisioned the way a fleet does it: portal-sim (the build tree's, its
     throwaway CA on loopback, a one-time token), a plan, the PACKAGED `kioskctl provision
     --from PLAN.toml` as the kiosk's user; the session started again shows the attract
     screen's "Chạm vào màn hình để bắt đầu" (OCR); WATCHDOG=1 keeps coming while it idles;
  3. SIGINT (what SDL turns into its quit event) and Alt+F4 typed on cage's keyboard (wtype,
     virtual-keyboard protocol) are logged as ignored and the kiosk is still there;
  4. a dossier is stored (kioskctl), the kiosk is SIGKILLed, the supervisor starts it again,
     READY=1 again, the attract screen again, the store checks out and holds the dossier;
     SIGTERM stops it cleanly. (The provisioned kiosk: 3 and 4 run on it.)
  session_test.py DEB OUT_DIR PORTAL_SIM
Exit 0 pass, 1 fail, 77 skip (a tool missing; with MCK_REQUIRE_ALL=1 that is a failure).
Screenshots are kept in the folder given as the second argument.
"""
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

DEB, OUT, PORTAL_SIM = sys.argv[1], sys.argv[2], sys.argv[3]
SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
REQUIRE_ALL = os.environ.get("MCK_REQUIRE_ALL") == "1"
UNIT = "lib/systemd/system/mot-cua-kiosk.service"
WATCHDOG_USEC = 500_000  # the test's own interval: the idle kiosk redraws and pings every 250 ms


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(1 if REQUIRE_ALL else 77)


SUPERVISORS = []
PORTALS = []  # portal-sim, stopped at the end or on a failure


def fail(why):
    print(f"FAIL: {why}")
    for sup in SUPERVISORS:  # leave no cage behind: each session is its own process group
        sup.stopping = True
        sup.wake.set()
        if sup.proc and sup.proc.poll() is None:
            os.killpg(sup.proc.pid, signal.SIGKILL)
    for p in PORTALS:
        p.kill()
    sys.exit(1)


for tool in ("cage", "grim", "tesseract", "wtype", "dpkg-deb", "setpriv"):
    if not shutil.which(tool):
        skip(f"{tool} is not installed (scripts/setup installs it)")
if os.geteuid() != 0:
    skip("needs root to run the kiosk as another user (setpriv)")
if "vie" not in subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout:
    skip("tesseract's Vietnamese data (tesseract-ocr-vie) is not installed")

NOBODY = pwd.getpwnam("nobody")
root = tempfile.mkdtemp(prefix="mck-pkg-")
os.chmod(root, 0o755)
subprocess.run(["dpkg-deb", "-x", DEB, root], check=True)
os.makedirs(OUT, exist_ok=True)


def unit_values(key):
    vals = []
    with open(os.path.join(root, UNIT)) as f:
        for line in f:
            if line.startswith(key + "="):
                vals.append(line.rstrip("\n")[len(key) + 1:])
    return vals


def remap(word):
    """A path the package ships, moved into the throwaway root."""
    if word.startswith("/") and os.path.lexists(root + word):
        return root + word
    return word


RESTART_SEC = float(unit_values("RestartSec")[0])
exec_start = [remap(w) for w in shlex.split(unit_values("ExecStart")[0])]
# kiosk-session (packaging/kiosk-session: exits with the kiosk's own status) running cage -d.
if exec_start[0] != root + "/usr/lib/mot-cua/kiosk-session" or exec_start[1] != "/usr/bin/cage" or "-d" not in exec_start:
    fail(f"ExecStart= does not run kiosk-session cage -d: {exec_start}")
env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
       "WLR_BACKENDS": "headless"}
for e in unit_values("Environment"):
    k, v = e.split("=", 1)
    env[k] = v
runtime = root + "/run/" + unit_values("RuntimeDirectory")[0]  # systemd's RuntimeDirectory=
env["XDG_RUNTIME_DIR"] = runtime
env["RUNTIME_DIRECTORY"] = runtime  # what systemd sets for RuntimeDirectory= (kiosk-session uses it)
data = root + "/var/lib/mot-cua"
for d, mode in ((runtime, 0o700), (data, 0o700)):
    os.makedirs(d, exist_ok=True)
    os.chown(d, NOBODY.pw_uid, NOBODY.pw_gid)
    os.chmod(d, mode)

# systemd's side of sd_notify: a datagram socket the kiosk (cage's child) writes to.
notify_path = root + "/run/notify"
notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
notify.bind(notify_path)
os.chmod(notify_path, 0o666)
env["NOTIFY_SOCKET"] = notify_path
env["WATCHDOG_USEC"] = str(WATCHDOG_USEC)
messages = []
msg_lock = threading.Condition()


def read_notify():
    while True:
        try:
            m = notify.recv(4096).decode()
        except OSError:
            return
        with msg_lock:
            messages.append((time.monotonic(), m))
            msg_lock.notify_all()


threading.Thread(target=read_notify, daemon=True).start()

log_path = os.path.join(OUT, "session.log")
log = open(log_path, "w")
as_nobody = ["setpriv", f"--reuid={NOBODY.pw_uid}", f"--regid={NOBODY.pw_gid}", "--clear-groups", "--"]


def wait_for(what, cond, timeout=60):
    end = time.monotonic() + timeout
    with msg_lock:
        while time.monotonic() < end:
            if cond():
                return
            msg_lock.wait(0.2)
    fail(f"timed out waiting for {what}; log: {log_path}")


def log_text():
    log.flush()
    with open(log_path, encoding="utf-8", errors="replace") as f:
        return f.read()


class Supervisor:
    """Restart=always: run ExecStart again whenever it exits, until stopped."""

    def __init__(self):
        self.proc, self.starts, self.stopping = None, 0, False
        self.exit_codes = []
        self.wake = threading.Event()
        SUPERVISORS.append(self)
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.stopping:
            p = subprocess.Popen(as_nobody + exec_start, env=env, stdout=log, stderr=log, cwd="/",
                                 start_new_session=True)
            with msg_lock:
                self.proc = p
                self.starts += 1
                msg_lock.notify_all()
            self.exit_codes.append(p.wait())
            with msg_lock:
                msg_lock.notify_all()
            self.wake.wait(RESTART_SEC)  # RestartSec=; stop() cuts it short

    def kiosk_pid(self):
        # kiosk-session (the process started) → cage → kiosk
        cage = subprocess.run(["pgrep", "-P", str(self.proc.pid), "-x", "cage"], capture_output=True, text=True)
        if not cage.stdout.split():
            return None
        out = subprocess.run(["pgrep", "-P", cage.stdout.split()[0], "-x", "kiosk"], capture_output=True, text=True)
        pids = out.stdout.split()
        return int(pids[0]) if pids else None

    def stop(self):
        self.stopping = True
        self.wake.set()
        if self.proc and self.proc.poll() is None:
            # systemd sends SIGTERM to the whole cgroup; the kiosk first here, so that its clean
            # stop is what ends cage (cage exits with its client) and the log shows it.
            kp = self.kiosk_pid()
            if kp:
                os.kill(kp, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=20)
        self.thread.join(timeout=30)


def ready_count():
    return sum(1 for _, m in messages if "READY=1" in m)


STUCK = "Basic output test failed"


def screenshot_text(name, want, timeout=40, may_be_stuck=False):
    """grim as the session's user, then tesseract; again until `want` is read (stale frames).

    Returns False, with `may_be_stuck`, only when cage's headless output was stuck: tesseract read
    nothing at all and wlroots refused the output's commit at (nearly) every capture, so the
    screen never showed any frame while the kiosk kept presenting them (seen once in CI under
    heavy load: 37 refusals in 40 s, a black 1280x720 capture; the kiosk had sent READY=1)."""
    end = time.monotonic() + timeout
    text = ""
    stuck_before = log_text().count(STUCK)
    tries = 0
    while time.monotonic() < end:
        shot = os.path.join(runtime, "shot.png")
        r = subprocess.run(as_nobody + ["env", f"XDG_RUNTIME_DIR={runtime}", "WAYLAND_DISPLAY=wayland-0",
                                        "grim", shot], capture_output=True, text=True)
        tries += 1
        if r.returncode == 0:
            shutil.copy(shot, os.path.join(OUT, name))
            text = subprocess.run(["tesseract", shot, "-", "-l", "vie"], capture_output=True,
                                  text=True).stdout
            if want.lower() in " ".join(text.split()).lower():
                print(f"ok: {name}: read '{want}'")
                return
        # grim's headless capture can be a stale frame: capture again (tesseract paces the loop)
    refused = log_text().count(STUCK) - stuck_before
    watchdogs = sum(1 for _, m in messages if "WATCHDOG=1" in m)
    if may_be_stuck and not text.strip() and tries >= 3 and refused >= tries - 1:
        print(f"NOTE: {name}: cage's headless output refused {refused} commits in {tries} captures "
              f"('{STUCK}') and showed nothing, while the kiosk presented frames ({watchdogs} "
              f"WATCHDOG=1 from its render loop); the session is started once more")
        return False
    fail(f"'{want}' not read on {name}; tesseract read: {text!r}; {refused} output commits refused "
         f"by cage in {tries} captures; {watchdogs} WATCHDOG=1 so far")


config = root + "/etc/mot-cua/kiosk.toml"
original = open(config, encoding="utf-8").read()

# ---- 1. no configuration ----
os.rename(config, config + ".away")
sup = Supervisor()
wait_for("READY=1 from the start-up failure screen", lambda: ready_count() >= 1)
screenshot_text("no-config.png", "tạm ngừng phục vụ")
if "cannot start" not in log_text() or "cannot open the config file" not in log_text():
    fail("no journal line saying why the kiosk cannot start")
if sup.starts != 1:
    fail(f"the kiosk without a config exited and was restarted ({sup.starts} starts)")
sup.stop()
print("ok: a missing /etc/mot-cua/kiosk.toml is a screen and a journal line, no fallback")

# ---- 2. the packaged config ----
os.rename(config + ".away", config)
with open(config, "w", encoding="utf-8") as f:  # what a technician sets; only the data folder moves
    f.write(original.replace('"/var/lib/mot-cua"', json.dumps(data)).replace(
        '"/usr/share/mot-cua/procedures.json"', json.dumps(root + "/usr/share/mot-cua/procedures.json")))


def start_session(shot, want):
    """A new session (Supervisor); READY=1 and `want` read on its screen. A compositor that never
    showed a frame is cage's, not the kiosk's: the session is started once more; a second stuck
    one fails."""
    with msg_lock:
        messages.clear()
    s = Supervisor()
    wait_for("READY=1 after the first frame", lambda: ready_count() >= 1)
    if screenshot_text(shot, want, may_be_stuck=True) is False:
        s.stop()
        with msg_lock:
            messages.clear()
        s = Supervisor()
        wait_for("READY=1 after the first frame (second session)", lambda: ready_count() >= 1)
        screenshot_text(shot, want)
    return s


# Not enrolled: the first-boot screen (docs/ui.md "Technician screens"), not the attract screen.
FIRST_BOOT = "Máy chưa được cài đặt"
sup = start_session("first-boot.png", FIRST_BOOT)
sup.stop()
print("ok: the packaged kiosk, not enrolled, boots into the technician's first-boot screen")

# ---- 2b. provisioned the way a fleet does it: kioskctl provision --from PLAN.toml ----
# The portal simulator with its throwaway CA on loopback and a one-time enrolment token, as
# tests/ui/run-kiosk-script starts it; the PACKAGED kioskctl, as the kiosk's (here: nobody's) user.
portal_dir = tempfile.mkdtemp(prefix="mck-pkg-portal-")
os.chmod(portal_dir, 0o755)
subprocess.run([os.path.join(SOURCE, "scripts", "make-certs"), portal_dir + "/certs"], check=True,
               capture_output=True)
os.chmod(portal_dir + "/certs", 0o755)  # nobody reads the CA (and the plan below)
os.chmod(portal_dir + "/certs/ca.pem", 0o644)
ready = portal_dir + "/portal.ready"
portal_log = open(os.path.join(OUT, "portal.log"), "w")
portal = subprocess.Popen([PORTAL_SIM, "--certs", portal_dir + "/certs", "--db", portal_dir + "/portal.db",
                           "--port", "0", "--admin-port", "0", "--ready-file", ready,
                           "--token", "pkg-test-token", "--catalog", root + "/usr/share/mot-cua/procedures.json"],
                          stdout=portal_log, stderr=portal_log)
PORTALS.append(portal)
end = time.monotonic() + 30
while not (os.path.exists(ready) and os.path.getsize(ready) > 0):
    if portal.poll() is not None or time.monotonic() > end:
        fail(f"portal-sim did not start; log: {OUT}/portal.log")
    time.sleep(0.05)  # the ready file is portal-sim's only signal
port = json.load(open(ready))["port"]
plan = portal_dir + "/plan.toml"
with open(plan, "w", encoding="utf-8") as f:
    f.write(f"""[kiosk]
number = 7
commune_code = "000.00.24.H03"
[portal]
url = "https://127.0.0.1:{port}"
token = "pkg-test-token"
ca_file = "certs/ca.pem"
[devices]
printer = "usb:/dev/usb/lp0"
printer_width_mm = 80
card_reader = "pcsc"
qr_scanner = "wedge"
[pins]
technician = "593017"
staff = "246810"
""")
os.chmod(plan, 0o644)
kioskctl = [root + "/usr/bin/kioskctl", "--config", config]
prov = subprocess.run(as_nobody + kioskctl + ["provision", "--from", plan, "--json"], capture_output=True,
                      text=True, cwd="/")
if prov.returncode != 0 or not json.loads(prov.stdout).get("ok"):
    fail(f"kioskctl provision --from PLAN.toml: exit {prov.returncode}: {prov.stdout} {prov.stderr}")
if "593017" in prov.stdout + prov.stderr or "pkg-test-token" in prov.stdout + prov.stderr:
    fail("kioskctl provision printed a PIN or the token")
print(f"ok: the packaged kioskctl provisioned the kiosk against portal-sim (kiosk {json.loads(prov.stdout).get('kiosk_id')})")

# The session again: enrolled now, the citizen's attract screen.
ATTRACT = "Chạm vào màn hình để bắt đầu"
sup = start_session("attract.png", ATTRACT)
t0 = time.monotonic()
wait_for("three WATCHDOG=1 while idle",
         lambda: sum(1 for t, m in messages if t > t0 and "WATCHDOG=1" in m) >= 3, timeout=10)
print("ok: READY=1, and WATCHDOG=1 keeps coming while the kiosk idles")

# ---- 3. quit attempts ----
kiosk = sup.kiosk_pid()
if not kiosk:
    fail("no kiosk process under cage")
os.kill(kiosk, signal.SIGINT)
wait_for("the SIGINT to be logged as ignored", lambda: "SIGINT ignored" in log_text(), timeout=20)
wtype = subprocess.run(as_nobody + ["env", f"XDG_RUNTIME_DIR={runtime}", "WAYLAND_DISPLAY=wayland-0",
                                    "wtype", "-M", "alt", "-k", "F4", "-m", "alt"], capture_output=True, text=True)
if "does not support the virtual keyboard protocol" in wtype.stderr:
    # Debian 12's cage 0.1.4 does not offer zwp_virtual_keyboard_v1 (wtype says so), and the
    # headless backend has no libinput: no real way to type into it here. Said, not hidden.
    print("NOTE: Alt+F4 not sent: cage 0.1.4 lacks the virtual keyboard protocol (docs/packaging.md)")
elif wtype.returncode != 0:
    fail(f"wtype could not type on cage's keyboard: {wtype.stderr}")
else:
    wait_for("Alt+F4 to be logged as ignored", lambda: "Alt+F4 ignored" in log_text(), timeout=20)
t1 = time.monotonic()
wait_for("a WATCHDOG=1 after the quit attempts", lambda: any(t > t1 and "WATCHDOG=1" in m for t, m in messages))
if sup.starts != 1 or sup.kiosk_pid() != kiosk:
    fail("the kiosk ended on SIGINT or Alt+F4")
print("ok: SIGINT (SDL's quit event) and Alt+F4 (when it could be typed) are ignored; the same kiosk is still running")

# ---- 4. crash, restart, store intact ----
work = tempfile.mkdtemp(prefix="mck-pkg-dossier-")
os.chmod(work, 0o755)
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "config", "examples")
for f in ("khai-sinh.json", "giay-chung-sinh.txt"):
    shutil.copy(os.path.join(src, f), work)
sub = subprocess.run(as_nobody + kioskctl + ["dossier", "submit", os.path.join(work, "khai-sinh.json"), "--json"],
                     capture_output=True, text=True, cwd=work)
if sub.returncode != 0:
    fail(f"kioskctl dossier submit: {sub.stdout} {sub.stderr}")
client_id = json.loads(sub.stdout)["client_id"]
os.kill(kiosk, signal.SIGKILL)
wait_for("the supervisor to start the session again", lambda: sup.starts >= 2)
wait_for("READY=1 from the restarted kiosk", lambda: ready_count() >= 2)
screenshot_text("attract-after-restart.png", ATTRACT)
if sup.exit_codes[0] in (75, 76):  # kiosk-session must not pass a crash off as the technician's choice
    fail(f"ExecStart= exited {sup.exit_codes[0]} after the kiosk was killed")
sup.stop()
if "stopping on a signal" not in log_text():
    fail("SIGTERM did not stop the kiosk cleanly")
check = subprocess.run(as_nobody + kioskctl + ["db", "check", "--json"], capture_output=True, text=True)
listed = subprocess.run(as_nobody + kioskctl + ["queue", "list", "--json"], capture_output=True, text=True)
if check.returncode != 0:
    fail(f"kioskctl db check after the crash: {check.stdout} {check.stderr}")
if client_id not in listed.stdout:
    fail(f"the dossier stored before the crash is gone: {listed.stdout}")
print(f"ok: after SIGKILL the supervisor restarted the kiosk; the store checks out and holds {client_id}")
print(f"screenshots: {OUT}")
portal.terminate()
portal.wait(timeout=20)
shutil.rmtree(root, ignore_errors=True)
shutil.rmtree(portal_dir, ignore_errors=True)
shutil.rmtree(work, ignore_errors=True)
