"""Issue 16's settings through the API over lighttpd and the simulated hub:
each save picked up by the daemon that owns it, bad values refused by name
with the file unchanged, the company logo taken only as a checked PNG.

    settings_checks.py HTTP_PORT CONFIG BROKER_PORT RECEIVER_PORT RECEIVER_LOG"""
import hashlib
import json
import struct
import subprocess
import sys
import urllib.error
import urllib.request
import zlib

from webclient import admin, check, wait_for

http_port, conf, broker, receiver, receiver_log = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
base = f"http://127.0.0.1:{http_port}"


def file_hash(path=conf):
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except FileNotFoundError:
        return None


def fetch(path):
    """(status, headers, bytes) of a plain GET, no session."""
    try:
        with urllib.request.urlopen(base + path, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))


def png(w, h, extra=b""):
    """A real w x h RGBA PNG; extra: a tEXt chunk's text (to make it big)."""
    raw = b"".join(b"\0" + b"\x1b\x5e\x20\xff" * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)) +
            (chunk(b"tEXt", b"Comment\0" + extra) if extra else b"") +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


c = admin(http_port)

# ---- the company logo: a checked PNG or nothing
check(c.get("/api/logo").json == {"set": False}, "no logo on a new hub")
check(fetch("/logo.png")[0] == 404, "no /logo.png on a new hub")
logo = png(120, 40)
jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200 + b"\xff\xd9"
svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/api/config/mqtt")</script></svg>'
for what, body, ctype, status, words in [
        ("a JPEG renamed .png", jpeg, "image/png", 400, "JPEG"),
        ("an SVG with a script", svg, "image/png", 400, "SVG"),
        ("an SVG sent as what it is", svg, "image/svg+xml", 415, "image/png"),
        ("a PNG of 2000 x 10 pixels", png(2000, 10), "image/png", 400, "2000 x 10"),
        ("a 50 KiB PNG (a big text chunk)", png(16, 16, b"x" * 50000), "image/png", 413, "at most 49152"),
        ("a PNG with a script after its end", logo + b"<script>alert(1)</script>", "image/png", 400, "follow the end"),
        ("a PNG cut short", logo[:-5], "image/png", 400, "cut short")]:
    r = c.put("/api/logo", body, ctype=ctype)
    check(r.status == status and r.json["field"] == "logo" and words in r.json["error"]
          and c.get("/api/logo").json == {"set": False} and fetch("/logo.png")[0] == 404,
          f"{what}: refused ({r.status}: {r.json['error']}), nothing stored", r)
r = c.put("/api/logo", png(16, 16, b"x" * 70000), ctype="image/png")
check(r.status == 413, "a 70 KiB upload: refused by lighttpd before the CGI", r)
r = c.put("/api/logo", logo, ctype="image/png", csrf=False)
check(r.status == 403 and c.get("/api/logo").json == {"set": False}, "an upload without the CSRF token: 403", r)

r = c.put("/api/logo", logo, ctype="image/png")
check(r.status == 200 and r.json["width"] == 120 and r.json["height"] == 40, "a PNG logo stored", r)
status, headers, body = fetch("/logo.png")
check(status == 200 and body == logo and headers["content-type"] == "image/png"
      and headers["x-content-type-options"] == "nosniff", "served at /logo.png as image/png, nosniff, as sent",
      (status, headers))
info = c.get("/api/logo").json
check(info["set"] and info["url"] == "/logo.png" and info["bytes"] == len(logo), "the API says it is set", info)
r = c.put("/api/logo", jpeg, ctype="image/png")
check(r.status == 400 and fetch("/logo.png")[2] == logo, "a bad upload later leaves the stored logo", r)
for path in ("/logo.png.tmp", "/logo.pngx", "/logo.png/../credentials", "/credentials"):
    check(fetch(path)[0] == 404, f"{path}: 404 (only the logo itself is served from the data directory)")
r = c.request("DELETE", "/api/logo")
check(r.status == 200 and c.get("/api/logo").json == {"set": False}, "the logo removed", r)
# lighttpd's stat cache may know the file for a moment (1.4: up to 2 s)
wait_for("/logo.png gone after the removal", lambda: fetch("/logo.png")[0] == 404, 5)
r = c.put("/api/logo", logo, ctype="image/png")
check(r.status == 200, "stored again (for the pages)", r)

# ---- the time zone: one the hub has
before = file_hash()
for tz in ("Europe/Londn", "Mars/Olympus_Mons"):
    r = c.put("/api/config/interface", {"timezone": tz})
    check(r.status == 400 and r.json["field"] == "interface.timezone" and file_hash() == before,
          f"time zone {tz!r}: not one of this hub's, refused by name, the file unchanged", r)
r = c.put("/api/config/interface", {"timezone": "America/St_Johns"})
check(r.status == 200, "a time zone of the list saved", r)

# ---- the display password: only its hash is kept, and the login needs it
before = file_hash()
r = c.put("/api/config/security", {"display_login": True})
check(r.status == 400 and r.json["field"] == "security.display_password_hash" and file_hash() == before,
      "the display login without a password: refused by name, the file unchanged", r)
r = c.put("/api/config/security", {"display_password_hash": "letmein-plain"})
check(r.status == 400 and r.json["field"] == "security.display_password_hash" and "letmein" not in r.body
      and file_hash() == before, "a plain password as the hash: refused (not echoed), the file unchanged", r)
for pw, words in [("short", "at least 8"), ("correct horse battery", "differ from the admin password"),
                  ("admin", "at least 8")]:
    r = c.put("/api/display-password", {"password": pw})
    check(r.status == 400 and r.json["field"] == "password" and words in r.json["error"] and file_hash() == before,
          f"display password {pw!r}: refused ({r.json['error']}), the file unchanged", r)
r = c.put("/api/display-password", {"password": "Lobby-screen-42"}, csrf=False)
check(r.status == 403 and file_hash() == before, "without the CSRF token: 403", r)
r = c.put("/api/display-password", {"password": "Lobby-screen-42"})
check(r.status == 200, "display password set", r)
with open(conf) as f:
    text = f.read()
h = json.loads(text)["security"]["display_password_hash"]
check(h.startswith("$y$") and "Lobby-screen-42" not in text, "the config holds its yescrypt hash, never the password")
sec = c.get("/api/config/security").json
check(sec["secrets"]["security.display_password_hash"] is True and sec["value"]["display_password_hash"] is None,
      "the API says only that it is set", sec)
r = c.put("/api/config/security", {"display_login": True})
check(r.status == 200 and json.load(open(conf))["security"] == {"display_login": True, "display_password_hash": h},
      "the display login on, the hash kept", r)


# ---- MQTT: an instance added through the API connects to the broker and
# its readings arrive; bad values refused by name, the file unchanged
def refused(section, value, field, what):
    before = file_hash()
    r = c.put(f"/api/config/{section}", value)
    check(r.status == 400 and r.json["field"] == field and file_hash() == before,
          f"{what}: refused naming {field}, the file unchanged", r)


instance = {"title": "site broker", "enabled": True, "host": "127.0.0.1", "port": broker, "topic": "acme/hub-7",
            "interval_s": 1, "meters": [1]}
refused("mqtt", [dict(instance, port=70000)], "mqtt[0].port", "an MQTT port of 70000")
refused("mqtt", [dict(instance, topic="acme/#")], "mqtt[0].topic", "a topic with a wildcard")
refused("mqtt", [dict(instance, host="")], "mqtt[0].host", "an enabled instance without a host")
refused("mqtt", [instance, dict(instance)], "mqtt[1].title", "two instances of one title")
refused("mqtt", [dict(instance, meters=[1, 1])], "mqtt[0].meters[1]", "a meter listed twice")
sub = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker), "-t", "acme/hub-7", "-C", "1",
                        "-W", "30"], stdout=subprocess.PIPE, text=True)
r = c.put("/api/config/mqtt", [instance])
check(r.status == 200, "an MQTT instance added through the API", r)


def link():
    m = c.get("/api/status").json["mqtt"]
    return m[0] if isinstance(m, list) and m and m[0]["title"] == "site broker" else None


wait_for("mqttd connects the new instance to the test's mosquitto", lambda: (link() or {}).get("connected"), 20)
out, _ = sub.communicate(timeout=40)
check(sub.returncode == 0 and [m["did"] for m in json.loads(out)["rtdata"]] == [1],
      "its readings arrive at the broker on acme/hub-7 (meter 1)", out[:200])
check(link()["state"] == "connected", "the API says the link is connected", link())

# ---- upload: a target added through the API reaches the receiver; its
# backlog, last success and last error in the status
target = {"name": "site receiver", "enabled": True, "url": f"http://127.0.0.1:{receiver}/up", "batch_size": 200,
          "interval_s": 1}
refused("upload", [dict(target, url="ftp://127.0.0.1/up")], "upload[0].url", "an ftp URL")
refused("upload", [dict(target, type="influxdb", influx_api="v2")], "upload[0].influx_org",
        "InfluxDB 2 without an organisation")
refused("upload", [dict(target, url="")], "upload[0].url", "an enabled target without a URL")
refused("upload", [dict(target, batch_size=0)], "upload[0].batch_size", "a batch of 0 records")
r = c.put("/api/config/upload", [target])
check(r.status == 200, "an upload target added through the API", r)


def delivered():
    n = set()
    try:
        for line in open(receiver_log):
            e = json.loads(line)
            if e.get("code") == 200 and e.get("path") == "/up":
                n.update(e.get("rids", []))
    except FileNotFoundError:
        pass
    return len(n)


def target_state():
    u = c.get("/api/status").json["uploads"]
    return u[0] if isinstance(u, list) and u else {}


try:
    wait_for("the 300 stored records reach the test's receiver", lambda: delivered() >= 300, 30)
except SystemExit:
    print("uploadd's target:", target_state(), "receiver log:", open(receiver_log).read()[:600] if delivered() else "none")
    raise


st = wait_for("the status shows the target caught up",
              lambda: (lambda t: t if t.get("backlog") == 0 and t.get("last_success") else None)(target_state()), 15)
check(st["name"] == "site receiver" and st["last_error"] is None, "backlog 0, a last success, no error", st)
