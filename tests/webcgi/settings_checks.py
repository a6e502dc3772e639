"""Issue 16's settings through the API over lighttpd and the simulated hub:
each save picked up by the daemon that owns it, bad values refused by name
with the file unchanged, the company logo taken only as a checked PNG.

    settings_checks.py HTTP_PORT CONFIG"""
import hashlib
import json
import struct
import sys
import urllib.error
import urllib.request
import zlib

from webclient import admin, check, wait_for

http_port, conf = int(sys.argv[1]), sys.argv[2]
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
