"""The maintenance calls over lighttpd and the running simulated hub
(docs/API.md, Maintenance): the support bundle holds no secret, backup
and restore (validated whole, migrated, refused whole with the fields),
reboot, and both resets through paneld.

argv: HTTP port, config path, data dir, run dir, the reboot record file,
the factory config path."""
import hashlib
import io
import json
import os
import sqlite3
import sys
import tarfile

from webclient import Client, admin, check, wait_for

port, conf, data, run, record, factory = sys.argv[1:7]
ADMIN_PW = "correct horse battery"
MQTT_PW = "MqttSecret-123"
TOKEN = "UploadToken-456"
DISPLAY_PW = "DisplayPass-789"

c = admin(port, ADMIN_PW)
r = c.put("/api/config/mqtt", [{"title": "Broker", "host": "127.0.0.1", "username": "hub", "password": MQTT_PW}])
check(r.status == 200, "an MQTT password set", r)
r = c.put("/api/config/upload", [{"name": "cloud", "url": "http://127.0.0.1:9/in", "token": TOKEN}])
check(r.status == 200, "an upload token set", r)
r = c.put("/api/display-password", {"password": DISPLAY_PW})
check(r.status == 200, "a display password set", r)
r = c.put("/api/config/security", {"display_login": True})
check(r.status == 200, "the display login on", r)
admin_hash = open(data + "/web/credentials").read().strip().split(":", 1)[1]
DISPLAY_HASH = json.load(open(conf))["security"]["display_password_hash"]

# ---- the support bundle ----
r = c.get("/api/support")
check(r.status == 200 and r.header("content-type") == "application/gzip", "the support bundle downloads", r)
check('attachment; filename="eniscope-support-' in (r.header("content-disposition") or ""),
      "as an attachment named eniscope-support-HOST-TIME.tar.gz", r.header("content-disposition"))
files = {}
with tarfile.open(fileobj=io.BytesIO(r.data), mode="r:gz") as tar:
    for m in tar.getmembers():
        if m.isfile():
            files[m.name.split("/", 1)[1]] = tar.extractfile(m).read()
print("bundle:", ", ".join(sorted(files)), f"({len(r.data)} bytes)")
for f in ("README.txt", "versions.json", "status.json", "config.json", "logs/meterd.log", "logs/paneld.log"):
    check(f in files and files[f], f"the bundle has {f}")
status = json.loads(files["status.json"])
check(status["daemons"]["meterd"].get("state") and status["daemons"]["paneld"].get("pid"),
      "status.json: each daemon's whole status", status["daemons"]["meterd"])
check("error" in status["daemons"]["alarmd"], "status.json: a daemon not running says why",
      status["daemons"]["alarmd"])
versions = json.loads(files["versions.json"])
check(versions["hub"] and versions["daemons"]["meterd"] == versions["hub"] and versions["kernel"],
      "versions.json: the hub's, each daemon's, the kernel's", versions)
# the OS as os-release(5) names it, its quotes not part of the name
pretty = next((l.split("=", 1)[1] for p in ("/etc/os-release", "/usr/lib/os-release") if os.path.exists(p)
               for l in open(p).read().splitlines() if l.startswith("PRETTY_NAME=")), None)
if pretty is not None:
    check(versions["os"] == pretty.strip("\"'") and '"' not in versions["os"],
          "versions.json: the OS's PRETTY_NAME without its quotes", versions["os"])
config = json.loads(files["config.json"])
check(config["valid"] and config["file"]["mqtt"][0]["password"] == "***"
      and config["file"]["upload"][0]["token"] == "***"
      and config["file"]["security"]["display_password_hash"] == "***", "config.json: secrets as ***", config)
check(b"leaked " + b"***" in files["logs/leaky.log"], "a secret written in a log is replaced by ***",
      files["logs/leaky.log"])
secrets = {"admin password": ADMIN_PW, "admin password hash": admin_hash, "MQTT password": MQTT_PW,
           "upload token": TOKEN, "display password": DISPLAY_PW, "display password hash": DISPLAY_HASH}
forms = {}
for what, v in secrets.items():
    forms[what] = v.encode()
    for h in ("md5", "sha1", "sha256", "sha512"):
        forms[f"{what} ({h})"] = hashlib.new(h, v.encode()).hexdigest().encode()
found = [(what, name) for what, v in forms.items() for name, body in files.items() if v in body]
check(not found, f"none of {len(secrets)} secrets, raw or hashed ({len(forms)} forms), is in the bundle", found)
check(not any(n.startswith(("web/", "tls/")) or "credentials" in n or "session" in n for n in files),
      "no credentials, session or TLS file in it", sorted(files))

# ---- backup ----
r = c.get("/api/backup")
check(r.status == 200 and r.json["format"] == "eniscope-settings" and r.json["secrets_included"],
      "the backup downloads, marked as holding secrets", r)
backup = r.json
check(sorted(backup["secrets"]) == ["mqtt[0].password", "security.display_password_hash", "upload[0].token"],
      "the backup lists the secret keys it holds", backup["secrets"])
check(backup["config"]["mqtt"][0]["password"] == MQTT_PW and backup["config"]["upload"][0]["token"] == TOKEN,
      "the backup holds the secrets (a hub can be restored from it)")
check(Client(port).get("/api/backup").status == 401, "no backup without a session")

# ---- restore ----
def file_bytes():
    return open(conf, "rb").read()

before = file_bytes()
bad = json.loads(json.dumps(backup))
bad["config"].setdefault("meters", [{"id": 1}])[0]["ct_rating_a"] = -5
bad["config"].setdefault("network", {})["hostname"] = "bad host"
r = c.post("/api/restore", bad)
fields = sorted(e["field"] for e in (r.json or {}).get("errors", []))
check(r.status == 400 and "meters[0].ct_rating_a" in fields and "network.hostname" in fields,
      "a bad backup is refused whole, every field named", r)
check(file_bytes() == before, "the file is unchanged after the refusal")
hidden = json.loads(json.dumps(backup))
hidden["config"]["mqtt"][0]["password"] = "***"
r = c.post("/api/restore", hidden)
check(r.status == 400 and r.json["field"] == "mqtt[0].password", "a *** from a support bundle is refused", r)
r = c.post("/api/restore", {"version": 99, "adc": {"source": "sim"}})
check(r.status == 400 and r.json["field"] == "version", "a newer version is refused", r)
r = c.post("/api/restore", {"format": "something else", "config": {}})
check(r.status == 400 and r.json["field"] == "format", "another format is refused", r)
check(file_bytes() == before, "the file is unchanged after every refusal")
r = c.post("/api/restore", backup, headers={"X-CSRF-Token": "0" * 64})
check(r.status == 403, "a restore without the CSRF token is refused", r)

old = {"adc": {"source": "sim"}, "meters": [{"id": 1, "enabled": True, "name": "Main", "ct_rating": 80}],
       "mqtt": [{"title": "Old", "host": "127.0.0.1", "interval": 30}]}
r = c.post("/api/restore", old)
saved = json.load(open(conf))
check(r.status == 200 and r.json["version_from"] == 0 and saved["version"] == 1
      and saved["meters"][0]["ct_rating_a"] == 80 and saved["mqtt"][0]["interval_s"] == 30
      and "ct_rating" not in saved["meters"][0], "a version-0 document is migrated and saved", (r, saved))
good = json.loads(json.dumps(backup))
good["config"].setdefault("hub", {})["company"] = "Restored Ltd"
r = c.post("/api/restore", good)
saved = json.load(open(conf))
check(r.status == 200 and saved["hub"]["company"] == "Restored Ltd" and saved["mqtt"][0]["password"] == MQTT_PW
      and saved["upload"][0]["token"] == TOKEN and r.json["local_kept"] == [],
      "a backup is restored, secrets included", (r, saved))
# the commands the hub runs (set on the hub only) never come from a file
# sent over the web: the hub's own are kept and named
evil = json.loads(json.dumps(good))
evil["config"]["panel"]["reboot_command"] = ["/bin/sh", "-c", "id > /tmp/owned"]
evil["config"]["panel"]["reset_command"] = ["/bin/true"]
reboot_before = saved["panel"]["reboot_command"]
r = c.post("/api/restore", evil)
saved = json.load(open(conf))
check(r.status == 200 and sorted(r.json["local_kept"]) == ["panel.reboot_command", "panel.reset_command"]
      and saved["panel"]["reboot_command"] == reboot_before and saved["panel"]["reset_command"] == ["true"],
      "a restore keeps the hub's own commands and names them", (r, saved["panel"]))
wait_for("meterd running the restored config",
         lambda: c.get("/api/status").json["daemons"][0]["config"] == "ok", 20)

# ---- reboot ----
r = c.post("/api/reboot", {})
check(r.status == 202 and r.json["started"] == "reboot", "reboot asked of paneld", r)
wait_for("the reboot command ran", lambda: os.path.exists(record) and "reboot" in open(record).read())
wait_for("paneld saw it end", lambda: c.get("/api/reset").json["last_action"] == "reboot: exited with status 0")
check(Client(port).post("/api/reboot", {}).status == 401, "no reboot without a session")

# ---- reset data ----
def old_records():
    try:
        db = sqlite3.connect(f"file:{data}/store.db?mode=ro", uri=True, timeout=10)
        n = db.execute("SELECT count(*), coalesce(max(id), 0) FROM records").fetchone()
        db.close()
        return n
    except sqlite3.OperationalError:  # storaged is creating it
        return (0, 0)

wait_for("records in the store", lambda: os.path.exists(data + "/store.db") and old_records()[0] > 0, 150)
top = old_records()[1]
r = c.post("/api/reset", {"kind": "everything"})
check(r.status == 400 and r.json["field"] == "kind", "a reset of an unknown kind is refused", r)
r = c.post("/api/reset", {"kind": "data"})
check(r.status == 202 and r.json["started"] == "reset data", "reset data asked of paneld", r)
wait_for("reset data done", lambda: c.get("/api/reset").json["last_action"] == "reset data: exited with status 0", 60)
db = sqlite3.connect(f"file:{data}/store.db?mode=ro", uri=True, timeout=10)
left = db.execute("SELECT count(*) FROM records WHERE id <= ?", (top,)).fetchone()[0]
db.close()
check(left == 0, f"reset data: the {top} records stored before are gone")
check(json.load(open(conf))["hub"]["company"] == "Restored Ltd" and c.get("/api/session").status == 200,
      "reset data: settings and the session kept")

# ---- reset all ----
r = c.post("/api/reset", {"kind": "all"})
check(r.status == 202 and r.json["started"] == "reset all", "reset all asked of paneld", r)
wait_for("the session ended by reset all", lambda: c.get("/api/session").status == 401, 60)
wait_for("the intent gone", lambda: not os.path.exists(data + "/reset.intent"), 60)
now, fac = json.load(open(conf)), json.load(open(factory))
check(now.pop("version") == 1 and now == fac, "reset all: the factory configuration (given version 1)", now)
check(not os.path.exists(data + "/web/credentials"), "reset all: no password file")
f = Client(port)
r = f.login("admin", "admin")
check(r.status == 200 and r.json["must_change_password"], "reset all: admin/admin logs in, to change it", r)
check(f.get("/api/backup").status == 403, "and only to change it")
check(Client(port).login("admin", ADMIN_PW).status == 401, "the old password no longer logs in")
