"""Software updates and the LED in the admin API (docs/API.md): /api/status
has the installed and offered versions (updated's daily check), the LED's
pattern and reason (paneld) and the clock; POST /api/update needs the
CSRF token, starts the update command once (202), refuses a second while
one runs (409), and once done the check shows the new version; with
updated down it answers 503 within a second.

    update_checks.py HTTP_PORT SCRATCH_DIR SERVICE_DIR"""
import os
import subprocess
import sys
import time

from webclient import admin, check, wait_for

port, t, service = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = admin(port)


def status():
    return c.get("/api/status").json


u = wait_for("updated's first check", lambda: (status().get("update") or {}).get("checked") and status()["update"], 20)
check(u["installed"] == "0.1.0-1" and u["candidate"] == "0.2.0-1" and u["update_available"] is True
      and u["check_error"] is None and u["package"] == "eniscope-hub", "status: 0.1.0-1 installed, 0.2.0-1 offered", u)
p = wait_for("paneld's LED", lambda: (status().get("panel") or {}).get("pattern") and status()["panel"], 20)
check(p["pattern"] in ("normal", "upload_pending", "ntp_failed") and p["reason"], "status: the LED's pattern and reason", p)
clk = status()["clock"]
check(clk["state"] in ("synchronised", "unsynchronised") and isinstance(clk["known"], bool) and clk["required"] is False,
      "status: the clock's state under the config's rule", clk)

r = c.post("/api/update", {}, csrf=False)
check(r.status == 403, "update without the CSRF token: 403", r)
check(not os.path.exists(f"{t}/installs"), "and nothing ran")
r = c.post("/api/update", {})
check(r.status == 202 and r.json["job"] == "update" and r.json["started"] > 0, "update: 202, started", r)
wait_for("update running", lambda: status()["update"]["job"] == "update")
r = c.post("/api/update", {})
check(r.status == 409 and "busy" in r.json["error"], "a second update while one runs: 409", r)
with open(f"{t}/hold", "w") as f:
    f.write("go\n")
u = wait_for("update done and checked", lambda: (lambda s: s["job"] is None and s["installed"] == "0.2.0-1" and s)(status()["update"]), 20)
check(u["update"]["state"] == "done" and not u["update_available"] and "Setting up" in u["update"]["output"],
      "after the update: done, 0.2.0-1 installed, nothing offered", u)
with open(f"{t}/installs") as f:
    check(f.read() == "-y eniscope-hub\n", "the update command ran once, with the package")

subprocess.run(["sv", "down", f"{service}/updated"], check=True, capture_output=True)
wait_for("updated stopped", lambda: subprocess.run(["sv", "status", f"{service}/updated"], capture_output=True,
                                                    text=True).stdout.startswith("down"), 60)
t0 = time.monotonic()
r = c.post("/api/update", {})
took = time.monotonic() - t0
check(r.status == 503 and r.json["error"] == "updated: not running" and took < 1.0, f"updated down: 503 in {took:.2f} s", r)
check(status()["update"] == {"error": "not running"}, "status says updated is not running")

# ---- what the hub runs is set on the hub only: a web session cannot
# choose a command updated runs as root, nor paneld's
conf = os.environ["ENISCOPE_CONF"]
with open(conf, "rb") as f:
    before = f.read()
for section, key, value in [("update", "install_command", ["sh", "-c", "id >/tmp/pwned"]),
                            ("update", "check_command", ["/bin/sh", "-c", "id"]),
                            ("update", "apt_keyring", "/tmp/attacker.gpg"),
                            ("update", "package", "netcat-openbsd"),
                            ("panel", "reboot_command", ["sh", "-c", "id"]),
                            ("panel", "reset_command", ["true"])]:
    r = c.put(f"/api/config/{section}", {key: value})
    check(r.status == 403 and r.json["field"] == f"{section}.{key}" and "on the hub itself" in r.json["error"],
          f"PUT {section}.{key} over the web: 403", r)
with open(conf, "rb") as f:
    check(f.read() == before, "the config file is unchanged")
cur = c.get("/api/config/update").json["value"]
r = c.put("/api/config/update", {"apt_url": "https://apt.example.com/eniscope", "install_command": cur["install_command"],
                                 "package": cur["package"]})
check(r.status == 200 and r.json["value"]["apt_url"] == "https://apt.example.com/eniscope",
      "the apt source is set over the web, the command sent back unchanged passes", r)
