#!/usr/bin/env python3
"""The unit's ExecStart= ends with the kiosk's own status: 75 for "Tắt máy", 76 for "Khởi động lại".

Debian 12's cage 0.1.4 exits 0 whatever its client returned, so systemd would never see the
technician's 75 (RestartPreventExitStatus=75) and would restart a kiosk that was shut down. The
unit's main process is therefore kiosk-session (packaging/kiosk-session), which runs cage and
exits with the status the kiosk left in the RuntimeDirectory=. This test extracts the package
(dpkg-deb -x), runs the unit's ExecStart= command line (paths remapped into the root) as nobody
under cage with WLR_BACKENDS=headless and RUNTIME_DIRECTORY set as systemd sets it, and checks
the command's exit status:
  1. the technician's "Tắt máy" → 75;   2. a stale 75 left behind, then the kiosk SIGKILLed → not
  75/76 (Restart=always restarts it);   3. "Khởi động lại" → 76.
The kiosk must take the technician's path without a keyboard: cage 0.1.4 offers no virtual
keyboard or pointer and the headless backend has no input devices. So the kiosk in the command
line is the DEVELOPMENT build's (the same main.cpp and session_host.cpp, plus --script), given
--script tests/package/technician-*.script; the packaged kiosk has no --script at all
(package_contents checks it refuses it), so the hook cannot be reached from the installed unit.
Everything else is the package's: kiosk-session, the unit's command line and Environment=, the
config, the assets, and the technician PIN set with the packaged kioskctl.
  session_exit_test.py DEB DEV_KIOSK OUT_DIR
Exit 0 pass, 1 fail, 77 skip (a tool missing; with MCK_REQUIRE_ALL=1 that is a failure).
"""
import json
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

DEB, DEV_KIOSK, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
HERE = os.path.dirname(os.path.abspath(__file__))
REQUIRE_ALL = os.environ.get("MCK_REQUIRE_ALL") == "1"
UNIT = "lib/systemd/system/mot-cua-kiosk.service"
TECH_PIN = "593017"


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(1 if REQUIRE_ALL else 77)


def fail(why):
    print(f"FAIL: {why}")
    sys.exit(1)


for tool in ("cage", "dpkg-deb", "setpriv", "pgrep"):
    if not shutil.which(tool):
        skip(f"{tool} is not installed (scripts/setup installs it)")
if os.geteuid() != 0:
    skip("needs root to run the kiosk as another user (setpriv)")

NOBODY = pwd.getpwnam("nobody")
root = tempfile.mkdtemp(prefix="mck-pkg-exit-")
os.chmod(root, 0o755)
subprocess.run(["dpkg-deb", "-x", DEB, root], check=True)
os.makedirs(OUT, exist_ok=True)


def unit_values(key):
    with open(os.path.join(root, UNIT)) as f:
        return [line.rstrip("\n")[len(key) + 1:] for line in f if line.startswith(key + "=")]


def remap(word):
    if word.startswith("/") and os.path.lexists(root + word):
        return root + word
    return word


# The development kiosk beside the packaged one, in the root (nobody must be able to run it).
dev_kiosk = root + "/usr/bin/kiosk.development-build"
shutil.copy(DEV_KIOSK, dev_kiosk)
os.chmod(dev_kiosk, 0o755)
exec_start = [remap(w) for w in shlex.split(unit_values("ExecStart")[0])]
if root + "/usr/bin/kiosk" not in exec_start:
    fail(f"ExecStart= does not run /usr/bin/kiosk: {exec_start}")
exec_start[exec_start.index(root + "/usr/bin/kiosk")] = dev_kiosk

env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "WLR_BACKENDS": "headless"}
for e in unit_values("Environment"):
    k, v = e.split("=", 1)
    env[k] = v
runtime = root + "/run/" + unit_values("RuntimeDirectory")[0]
env["XDG_RUNTIME_DIR"] = runtime
env["RUNTIME_DIRECTORY"] = runtime  # what systemd sets for RuntimeDirectory=
data = root + "/var/lib/mot-cua"
for d in (runtime, data):
    os.makedirs(d, exist_ok=True)
    os.chown(d, NOBODY.pw_uid, NOBODY.pw_gid)
    os.chmod(d, 0o700)

config = root + "/etc/mot-cua/kiosk.toml"
original = open(config, encoding="utf-8").read()
with open(config, "w", encoding="utf-8") as f:  # only the data folder and the catalog move
    f.write(original.replace('"/var/lib/mot-cua"', json.dumps(data)).replace(
        '"/usr/share/mot-cua/procedures.json"', json.dumps(root + "/usr/share/mot-cua/procedures.json")))
as_nobody = ["setpriv", f"--reuid={NOBODY.pw_uid}", f"--regid={NOBODY.pw_gid}", "--clear-groups", "--"]
kioskctl = [root + "/usr/bin/kioskctl", "--config", config]
pin = subprocess.run(as_nobody + kioskctl + ["staff", "set-pin", "--role", "technician"], input=TECH_PIN + "\n",
                     capture_output=True, text=True, cwd="/")
if pin.returncode != 0:
    fail(f"kioskctl staff set-pin --role technician: {pin.stdout} {pin.stderr}")
status_file = runtime + "/kiosk-exit-status"


def run_session(name, extra, on_start=None):
    """Runs ExecStart= (plus `extra` for the kiosk) to its end; returns (exit status, log)."""
    log_path = os.path.join(OUT, name + ".log")
    with open(log_path, "w") as log:
        p = subprocess.Popen(as_nobody + exec_start + extra, env=env, stdout=log, stderr=log, cwd="/",
                             start_new_session=True)
        if on_start:
            on_start(p, log_path)
        try:
            rc = p.wait(timeout=180)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            fail(f"{name}: the session did not end; log: {log_path}")
    with open(log_path, encoding="utf-8", errors="replace") as f:
        return rc, f.read()


def script(what):
    # Copied into the root: the source tree may sit in a folder nobody cannot read (a CI clone in
    # a 0700 mktemp -d: "cannot open script", seen in a clean-clone run).
    dst = os.path.join(root, f"technician-{what}.script")
    shutil.copyfile(os.path.join(HERE, f"technician-{what}.script"), dst)
    os.chmod(dst, 0o644)
    return ["--script", dst]


# ---- 1. "Tắt máy" ----
rc, text = run_session("shutdown", script("shutdown"))
if "shut down asked by the technician" not in text:
    fail(f"the kiosk did not take the technician's shut-down path; log: {OUT}/shutdown.log")
if rc != 75:
    fail(f"ExecStart= exited {rc} after the technician's 'Tắt máy', want 75 (RestartPreventExitStatus=75)")
print("ok: 'Tắt máy' → ExecStart= exits 75: systemd does not restart the kiosk")
if os.path.exists(status_file):
    fail("kiosk-session left the status file behind")


# ---- 2. a stale status, then a crash ----
def kill_kiosk(p, log_path):
    # READY=1 (after the kiosk's first frame) on the test's notify socket, then SIGKILL the kiosk:
    # cage's child, cage being kiosk-session's.
    notify.settimeout(60)
    try:
        while "READY=1" not in notify.recv(4096).decode():
            pass
    except socket.timeout:
        fail(f"crash: no READY=1 from the kiosk; log: {log_path}")
    cage = subprocess.run(["pgrep", "-P", str(p.pid), "-x", "cage"], capture_output=True, text=True).stdout.split()
    kiosk = subprocess.run(["pgrep", "-P", cage[0]], capture_output=True, text=True).stdout.split() if cage else []
    if not kiosk:
        fail("crash: no kiosk process under cage under kiosk-session")
    os.kill(int(kiosk[0]), signal.SIGKILL)


notify_path = root + "/run/notify"
notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
notify.bind(notify_path)
os.chmod(notify_path, 0o666)
env["NOTIFY_SOCKET"] = notify_path
with open(status_file, "w") as f:  # what a session cut short after the kiosk wrote it leaves
    f.write("75\n")
os.chown(status_file, NOBODY.pw_uid, NOBODY.pw_gid)
rc, text = run_session("crash", [], kill_kiosk)
if rc in (75, 76):
    fail(f"ExecStart= exited {rc} after the kiosk was killed (a stale status was taken): it would not restart")
print(f"ok: the kiosk killed (a stale 75 left in the runtime folder) → ExecStart= exits {rc}: Restart=always")

# ---- 3. "Khởi động lại" ----
rc, text = run_session("restart", script("restart"))
if "restart asked by the technician" not in text:
    fail(f"the kiosk did not take the technician's restart path; log: {OUT}/restart.log")
if rc != 76:
    fail(f"ExecStart= exited {rc} after the technician's 'Khởi động lại', want 76")
print("ok: 'Khởi động lại' → ExecStart= exits 76: Restart=always starts it again")
shutil.rmtree(root, ignore_errors=True)
