"""The admin API over lighttpd and the simulated hub: the first login's
forced password change, every section saved and picked up by the daemons,
every field's bad value refused by name with the file unchanged, secrets
never sent back, a daemon that is down reported within a second.

    admin_checks.py HTTP_PORT HTTPS_PORT CONFIG SERVICE_DIR"""
import hashlib
import json
import subprocess
import sys
import time

from webclient import Client, check, wait_for

http_port, https_port, conf, service = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
PASSWORD = "correct horse battery"


def file_hash():
    with open(conf, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def file_doc():
    with open(conf) as f:
        return json.load(f)


# ---- first login: the factory password only sets a new one
c = Client(http_port)
check(c.get("/api/session").status == 401, "no session: 401")
r = c.get("/api/language")
check(r.status == 200 and r.json == {"language": "en"}, "the pages' language for anyone: en by default", r)
check(c.get("/api/readings").status == 401, "readings without a session: 401")
r = c.login("admin", "wrong")
check(r.status == 401 and r.json["error"], "wrong password: 401", r)
r = c.login("admin", "admin")
check(r.status == 200 and r.json["must_change_password"] is True, "factory login says must_change_password", r)
cookie = r.header("set-cookie")
check("HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie,
      "cookie HttpOnly, SameSite=Strict, not Secure over HTTP", cookie)
factory_id = c.cookie
for method, path, body in [("GET", "/api/readings", None), ("GET", "/api/status", None), ("GET", "/api/schema", None),
                           ("GET", "/api/probes", None), ("GET", "/api/config/network", None),
                           ("PUT", "/api/config/network", {"hostname": "x"})]:
    r = c.request(method, path, body)
    check(r.status == 403 and r.json["error"] == "password change required", f"{method} {path} 403 before the change", r)
check(c.get("/api/session").json["must_change_password"] is True, "session says must_change_password")
before = file_hash()
r = c.post("/api/password", {"current": "wrong", "new": PASSWORD})
check(r.status == 403 and r.json["field"] == "current", "password change with a wrong current: 403 current", r)
r = c.post("/api/password", {"current": "admin", "new": "admin"})
check(r.status == 400 and r.json["field"] == "new", "the factory password as the new one: 400 new", r)
r = c.post("/api/password", {"current": "admin", "new": "short"})
check(r.status == 400 and r.json["field"] == "new" and "8" in r.json["error"], "7 characters: 400", r)
r = c.post("/api/password", {"current": "admin", "new": PASSWORD})
check(r.status == 200 and c.cookie != factory_id, "password changed, new session id", r)
check(c.get("/api/session").json["must_change_password"] is False, "the new session has no must_change_password")
old = Client(http_port)
old.cookie = factory_id
check(old.get("/api/session").status == 401, "the factory session ended at the change")
check(Client(http_port).login("admin", "admin").status == 401, "admin/admin no longer logs in")
check(file_hash() == before, "the password is not in the config")
r = c.post("/api/logout", {})
check(r.status == 200 and c.cookie is None, "logout clears the cookie", r)
c.cookie = factory_id
c = Client(http_port)
r = c.login("admin", PASSWORD)
check(r.status == 200 and r.json["must_change_password"] is False, "login with the new password", r)

# ---- live data
FIELDS = ["uid", "did", "ts", "V1", "V2", "V3", "V", "U1", "U2", "U3", "U", "I1", "I2", "I3", "I", "In", "P1", "P2",
          "P3", "P", "Q1", "Q2", "Q3", "Q", "S1", "S2", "S3", "S", "PF1", "PF2", "PF3", "PF", "A1", "A2", "A3", "F",
          "E1", "E2", "E3", "E", "Ex1", "Ex2", "Ex3", "Ex", "RE1", "RE2", "RE3", "RE", "REx1", "REx2", "REx3", "REx",
          "AE1", "AE2", "AE3", "AE"]


def readings():
    r = c.get("/api/readings")
    return r.json if r.status == 200 else None


snap = wait_for("readings with meter 1, pulse 1 and both probes",
                lambda: (lambda j: j if j and [m["did"] for m in j["rtdata"]] == [1] and j["pulses"]
                         and len(j["probes"]) == 2 else None)(readings()))
m = snap["rtdata"][0]
missing = [f for f in FIELDS if f not in m]
check(not missing, f"meter 1 has every MQTT payload field (missing {missing})")
check(m["name"] == "Main" and isinstance(m["ts"], int) and "seq" not in m, "name, whole-second ts, no bus seq")
check(snap["sources"] == {"meterd": "ok", "pulsed": "ok", "tempd": "ok"}, "every source ok", snap["sources"])
w = wait_for("meterd's wiring verdicts beside meter 1's readings (its status, every 10 s)",
             lambda: next((x.get("wiring") for x in (readings() or {"rtdata": []})["rtdata"] if x["did"] == 1), None),
             25)
check(all(v["meter"] == 1 and "verdict" in v for v in w), "each verdict is meter 1's", w)
r = c.get("/api/readings")
check(r.header("content-type").startswith("application/json") and r.header("cache-control") == "no-store",
      "readings are JSON, not cached", r.headers)

t0 = time.monotonic()
r = c.get("/api/status")
took = time.monotonic() - t0
d = {x["name"]: x for x in r.json["daemons"]}
check(r.status == 200 and d["meterd"]["running"] and d["readingsd"]["running"] and not d["alarmd"]["running"],
      f"status: daemons running or not, in {took:.2f} s", r)
check(r.json["disk"]["total_bytes"] > 0 and "synchronised" in r.json["clock"], "status: disk and clock", r)
r = c.get("/api/probes")
check(r.status == 200 and sorted(p["id"] for p in r.json["probes"]) == ["28-0316a2799aff", "28-03172b4c11de"],
      "probes: both fake probes", r)
schema = c.get("/api/schema").json
zones = c.get("/api/timezones").json["timezones"]
check(len(zones) > 300 and "Europe/London" in zones and "UTC" in zones and zones == sorted(zones),
      f"the system's time zones, sorted ({len(zones)})")
check([p["id"] for p in schema["pages"]][:3] == ["registration", "network", "devices"], "schema with the pages")

# ---- every section: a change saved, read back, picked up
def put_ok(section, value):
    r = c.put(f"/api/config/{section}", value)
    check(r.status == 200 and r.json["ok"], f"PUT {section} saved", r)
    return r.json


put_ok("hub", {"company": "Acme Ltd", "email": "ops@acme.example"})
check(c.get("/api/session").json["registered"] is True, "registration: the session says registered")
v = put_ok("network", {"hostname": "hub-7", "ntp": "time.example.org", "dhcp": False, "ip": "192.168.1.50",
                       "netmask": "255.255.255.0", "gateway": "192.168.1.1", "dns1": "1.1.1.1"})["value"]
check(v["hostname"] == "hub-7" and v["dhcp"] is False and file_doc()["network"]["ip"] == "192.168.1.50",
      "network saved in the file")
put_ok("meters", [{"id": 2, "enabled": True, "name": "Roof PV", "purpose": "renewable", "ct_rating_a": 50}])
wait_for("meterd publishes meter 2 and readingsd names it",
         lambda: any(x["did"] == 2 and x["name"] == "Roof PV" for x in (readings() or {"rtdata": []})["rtdata"]))
check(file_doc()["meters"][0]["name"] == "Main", "meter 1 untouched by a change of meter 2")
put_ok("pulses", [{"id": 2, "enabled": True, "name": "Water", "unit": "L"}])
wait_for("pulsed publishes pulse input 2",
         lambda: any(p["n"] == 2 and p["name"] == "Water" for p in (readings() or {"pulses": []})["pulses"]))
v = put_ok("mqtt", [{"title": "Cloud", "enabled": False, "host": "broker.example", "password": "s3cret-pw"}])
check(v["value"][0]["password"] is None and v["secrets"] == {"mqtt[0].password": True}, "the secret is not sent back", v)
check(file_doc()["mqtt"][0]["password"] == "s3cret-pw", "the secret is in the file")
wait_for("mqttd has the new instance",
         lambda: [x["title"] for x in c.get("/api/status").json["mqtt"]] == ["Cloud"])
put_ok("mqtt", [{"title": "Cloud", "enabled": False, "host": "broker2.example", "password": None}])
check(file_doc()["mqtt"][0]["password"] == "s3cret-pw" and file_doc()["mqtt"][0]["host"] == "broker2.example",
      "a null secret keeps its value")
check("s3cret-pw" not in c.get("/api/config/mqtt").body, "GET never carries the secret")
put_ok("upload", [{"name": "cloud", "enabled": False, "url": "https://example.org/in", "token": "tok-123"}])
wait_for("uploadd has the new target",
         lambda: [x["name"] for x in c.get("/api/status").json["uploads"]] == ["cloud"])
for section, value in [("temps", {"interval_s": 2}), ("interface", {"currency": "EUR", "price_per_kwh": 0.25}),
                       ("messaging", {"enabled": True, "title": "Hello"}), ("renewable", {"title": "Sun"}),
                       ("security", {"display_login": False}), ("storage", {"retention_days": 30}),
                       ("alarms", [{"id": 1, "meter": 1, "quantity": "P", "high": 5000, "emails": ["ops@acme.example"]}]),
                       ("smtp", {"host": "smtp.example.org", "password": "smtp-pw"}),
                       ("pulse_input", {"active_low": False}), ("adc", {"sample_rate_hz": 4000})]:
    v = put_ok(section, value)["value"]
    got = v[0] if isinstance(v, list) else v
    want = value[0] if isinstance(value, list) else value
    check(all(got[k] == want[k] for k in want if k != "password"), f"{section} reads back as saved", v)
put_ok("interface", {"language": "fr"})
r = Client(http_port).get("/api/language")
check(r.status == 200 and r.json == {"language": "fr"}, "the language saved is the pages' language, for anyone", r)
check(c.put("/api/config/interface", {"language": "de"}).status == 400, "a language without a catalog: 400")
before = file_hash()
r = c.put("/api/config/interface", {"tou": [{"days": ["sat"], "start": "08:00", "end": "12:00"},
                                            {"days": ["sun", "sat"], "start": "11:30", "end": "13:00"}]})
check(r.status == 400 and r.json["field"] == "interface.tou[1].start" and "overlaps" in r.json["error"]
      and file_hash() == before, "overlapping time-of-use periods refused by name, the file unchanged", r)
put_ok("interface", {"tou": [{"days": ["sat"], "start": "08:00", "end": "12:00", "price_per_kwh": 0.2},
                             {"days": ["sun", "sat"], "start": "12:00", "end": "13:00", "price_per_kwh": 0.1}]})
put_ok("interface", {"language": "en"})
check(c.get("/api/config/nonsense").status == 404, "an unknown section: 404")
check(c.get("/api/config/version").status == 404, "version is no section")

# ---- a bad value in any field: refused by name, the file unchanged
def bad_value(k):
    t = k["type"]
    if t == "bool":
        return "yes"
    if t in ("int", "number"):
        return k["max"] + 1 if k["max"] < 1e15 else "12"
    if t == "enum":
        return "nonsense"
    if t == "string":
        return "x" * (int(k["max"]) + 1) if k["max"] <= 4096 else "bad\nvalue"
    if t == "array":
        return "not a list"
    return 5  # object, map


sections = {k["name"]: k for k in schema["keys"] if k["type"] in ("object", "array")}
tried = tried_local = 0
for name, sec in sections.items():
    obj = sec["item"] if sec["type"] == "array" else sec
    for k in obj["keys"]:
        if k["name"] == "id" and sec.get("slots"):
            continue
        bad = bad_value(k)
        if sec["type"] == "array":
            base = {"meters": {"id": 1}, "pulses": {"id": 1}, "upload": {"name": "t"}, "alarms": {"id": 9, "emails": ["a@b.example"]}}.get(name, {})
            body = [dict(base, **{k["name"]: bad})]
            want = f"{name}[0].{k['name']}"
        else:
            body = {k["name"]: bad}
            want = f"{name}.{k['name']}"
        before = file_hash()
        r = c.put(f"/api/config/{name}", body)
        if k.get("local"):
            # set on the hub only (commands daemons run): refused whatever the value
            if not (r.status == 403 and r.json.get("field") == want and file_hash() == before):
                raise SystemExit(f"FAIL: hub-only {want} = {bad!r}: {r!r}, file changed: {file_hash() != before}")
            tried_local += 1
            continue
        named = [e["field"] for e in (r.json or {}).get("errors", [])]
        if not (r.status == 400 and r.json.get("field") in named
                and any(f == want or f.startswith(want + "[") or f.startswith(want + ".") for f in named)
                and file_hash() == before):
            raise SystemExit(f"FAIL: {want} = {bad!r}: {r!r}, file changed: {file_hash() != before}")
        tried += 1
check(tried > 100, f"a bad value in each of {tried} fields refused by its name, the file unchanged")
check(tried_local >= 4, f"each of {tried_local} hub-only fields refused over the web (403) by its name, the file unchanged")
r = c.put("/api/config/meters", {"id": 1})
check(r.status == 400 and r.json["field"] == "meters", "meters must be a list", r)
r = c.put("/api/config/meters", [{"name": "no id"}])
check(r.status == 400 and r.json["field"] == "meters", "a slot needs its id", r)

# ---- a daemon that is down: said so within a second, never a hang
subprocess.run(["sv", "down", f"{service}/tempd"], check=True, capture_output=True)
# (how long runsv takes to stop it is not what is measured: generous)
wait_for("tempd stopped", lambda: subprocess.run(["sv", "status", f"{service}/tempd"], capture_output=True,
                                                  text=True).stdout.startswith("down"), 60)
t0 = time.monotonic()
r = c.get("/api/probes")
took = time.monotonic() - t0
check(r.status == 503 and r.json["error"] == "tempd: not running" and took < 1.0,
      f"probes with tempd down: 503 in {took:.2f} s", r)
t0 = time.monotonic()
r = c.get("/api/status")
took = time.monotonic() - t0
d = {x["name"]: x for x in r.json["daemons"]}
check(not d["tempd"]["running"] and took < 1.0, f"status says tempd is not running, in {took:.2f} s", r)
wait_for("readings say tempd is not running",
         lambda: (readings() or {}).get("sources", {}).get("tempd") == "not running", 5)
subprocess.run(["sv", "up", f"{service}/tempd"], check=True, capture_output=True)

# ---- HTTPS beside HTTP: the cookie is Secure there
s = Client(https_port, tls=True)
r = s.login("admin", PASSWORD)
check(r.status == 200 and "Secure" in r.header("set-cookie"), "over HTTPS the cookie is Secure", r)
check(s.get("/api/session").json["https"] is True, "the session knows it came over HTTPS")
