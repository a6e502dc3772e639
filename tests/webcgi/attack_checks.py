"""Attacks on the admin over lighttpd: forged changes (no CSRF token, a
foreign Origin), shell metacharacters in hostname and NTP, an oversized
body, path traversal, session fixation, script in a meter name, frames,
and password guessing slowed down (last: it blocks this address).

    attack_checks.py HTTP_PORT CONFIG MARKER_DIR"""
import hashlib
import json
import os
import socket
import sys
import time

from webclient import Client, admin, check, wait_for

http_port, conf, marker_dir = int(sys.argv[1]), sys.argv[2], sys.argv[3]
PASSWORD = "correct horse battery"


def file_hash():
    with open(conf, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


c = admin(http_port, PASSWORD)
origin = f"http://127.0.0.1:{http_port}"

# ---- forged changes
before = file_hash()
r = c.put("/api/config/network", {"hostname": "forged"}, csrf=False)
check(r.status == 403 and file_hash() == before, "a change without X-CSRF-Token: 403, file unchanged", r)
r = c.put("/api/config/network", {"hostname": "forged"}, headers={"X-CSRF-Token": "0" * 64})
check(r.status == 403 and file_hash() == before, "a change with a wrong token: 403", r)
for bad in ["http://evil.example", "null", f"https://127.0.0.1:{http_port}", "http://127.0.0.1:1"]:
    r = c.put("/api/config/network", {"hostname": "forged"}, headers={"Origin": bad})
    check(r.status == 403 and file_hash() == before, f"a change with the token from Origin {bad}: 403", r)
r = Client(http_port).post("/api/login", {"username": "admin", "password": PASSWORD},
                           headers={"Origin": "http://evil.example"})
check(r.status == 403 and r.header("set-cookie") is None, "a login from a foreign Origin: 403, no session", r)
r = c.put("/api/config/network", {"hostname": "same-origin"}, headers={"Origin": origin})
check(r.status == 200, "the same change from the hub's own Origin goes", r)
r = c.post("/api/logout", {}, csrf=False)
check(r.status == 403 and c.get("/api/session").status == 200, "logout without the token: 403, still logged in", r)

# ---- nothing a user types reaches a shell
marker = os.path.join(marker_dir, "pwned")
for field in ["hostname", "ntp"]:
    for bad in [f"hub;touch {marker}", f"$(touch {marker})", f"`touch {marker}`", "hub\ntouch", "hub\rx",
                "hub|id", "hub&&id", "hub id", "hub'x", 'hub"x', "hub>x", "../../etc"]:
        before = file_hash()
        r = c.put("/api/config/network", {field: bad})
        if not (r.status == 400 and r.json["field"] == f"network.{field}" and file_hash() == before):
            raise SystemExit(f"FAIL: network.{field} = {bad!r}: {r!r}")
    check(True, f"; $() backticks newlines and other shell characters in network.{field} refused by name")
check(not os.path.exists(marker), "no command ran")

# ---- bodies over 64 KiB: refused before any CGI runs
before = file_hash()
big = json.dumps({"hostname": "x", "pad": "y" * 70000})
r = c.request("PUT", "/api/config/network", big, "application/json")
check(r.status == 413 and file_hash() == before, "a 70 kB body: 413, file unchanged", r)
r = c.request("PUT", "/api/config/network", "{}", "application/json", headers={"Content-Length": "10000000"})
check(r.status == 413, "a 10 MB Content-Length: 413", r)
r = c.request("POST", "/api/login", "x" * 66000, "application/x-www-form-urlencoded", cookie=False, csrf=False)
check(r.status == 413, "a 66 kB login: 413", r)
check(r.header("content-type") == "application/json; charset=utf-8" and "64 KiB" in r.json["error"],
      "lighttpd's own 413 is JSON saying why", (r, r.headers))


def raw(request):
    """lighttpd's answer to bytes http.client will not send: status, headers, body"""
    with socket.create_connection(("127.0.0.1", http_port), timeout=5) as s:
        s.sendall(request)
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


for name, request, status, says in [
        ("a POST without Content-Length", b"POST /api/login HTTP/1.0\r\nHost: a\r\n\r\n", 411, "Content-Length"),
        ("a 9 kB header", b"GET /api/session HTTP/1.1\r\nHost: a\r\nX-Pad: " + b"y" * 9000 + b"\r\n\r\n", 431, "8 KiB"),
        ("a request line that does not parse", b"GET /api/session HTTP/1.1\r\nHost a\r\n\r\n", 400, "does not parse"),
        ("HTTP/2.0 in a request line", b"GET /api/session HTTP/2.0\r\nHost: a\r\n\r\n", 505, "HTTP version")]:
    got, headers, body = raw(request)
    check(got == status and headers.get("content-type") == "application/json; charset=utf-8"
          and says in json.loads(body)["error"], f"{name}: {status}, JSON saying why", (got, headers, body))
r = c.put("/api/config/network", {"hostname": "ok-size"}, ctype="text/plain")
check(r.status == 415, "a change as text/plain: 415", r)

# ---- path traversal
for path in ["/../../../../etc/passwd", "/api/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
             "/admin/..%2f..%2f..%2fetc/passwd", "/api/config/..%2f..%2f..%2fetc%2fpasswd",
             "/api/config/../../etc/passwd", "/admin/%2e%2e/%2e%2e/etc/passwd", "/api/readings/../../../etc/passwd",
             "/admin/../../" + conf.lstrip("/"), "/.%2e/.%2e/etc/shadow"]:
    r = c.get(path)
    if r.status == 200 or "root:" in r.body or '"network"' in r.body:
        raise SystemExit(f"FAIL: {path}: {r!r}")
check(True, "path traversal to /etc/passwd and the config refused (4xx, nothing served)")
# a directory of the pages without an index (never written here: the
# document root may be the source tree's webcgi/www)
www = os.environ["ENISCOPE_WWW"]
bare = [d for d, _, files in os.walk(www) if d != www and "index.html" not in files and files]
check(bare, "the document root has a directory without an index to try", www)
rel = os.path.relpath(bare[0], www)
r = c.get(f"/{rel}/")
check(r.status in (403, 404) and not any(f in r.body for f in os.listdir(bare[0])), f"no listing of /{rel}/", r)
check(c.get("/api/nonsense").status == 404 and c.get("/api/login").status == 405, "unknown call 404, wrong method 405")

# ---- session fixation: an id from before login is worthless after it
mallory = Client(http_port)
planted = "ab" * 32
mallory.cookie = planted
r = mallory.login("admin", PASSWORD)
check(r.status == 200 and mallory.cookie != planted, "a planted id is replaced at login", r)
victim = Client(http_port)
victim.login("admin", PASSWORD)
pre = victim.cookie
r = victim.login("admin", PASSWORD)
check(victim.cookie != pre, "each login makes a new id")
stale = Client(http_port)
stale.cookie = pre
check(stale.get("/api/session").status == 401, "the session id from before the login is rejected after it")

# ---- script in a meter name is data, served as JSON
name = "<script>alert('x')</script><img src=x onerror=alert(1)>"
r = c.put("/api/config/meters", [{"id": 1, "name": name}])
check(r.status == 200, "a meter name with markup is stored (it is text)", r)
with open(conf) as f:
    check(json.load(f)["meters"][0]["name"] == name, "stored exactly as typed")
r = c.get("/api/config/meters")
check(r.json["value"][0]["name"] == name, "read back exactly")
check(r.header("content-type") == "application/json; charset=utf-8" and r.header("x-content-type-options") == "nosniff",
      "served as JSON with nosniff", r.headers)
# readingsd's first snapshot comes a second after its start, which this
# test can beat on a quiet machine (503 "no snapshot" until then)
r = wait_for("readingsd's snapshot", lambda: (lambda r: r if r.status != 503 else None)(c.get("/api/readings")))
check(r.status == 200 and r.header("content-type") == "application/json; charset=utf-8",
      "readings (which carry the name) are JSON too", r)

# ---- frames and scripts from elsewhere refused on every answer
for path in ["/admin/", "/api/session", "/api/readings"]:
    r = c.get(path)
    csp = r.header("content-security-policy") or ""
    check("frame-ancestors 'none'" in csp and "default-src 'self'" in csp and r.header("x-frame-options") == "DENY"
          and r.header("referrer-policy") and r.header("x-content-type-options") == "nosniff",
          f"{path}: CSP, X-Frame-Options DENY, nosniff, Referrer-Policy")

# ---- password guessing slows down (this address is then blocked a while)
g = Client(http_port)
codes = [g.login("admin", f"guess{i}").status for i in range(3)]
check(codes == [401, 401, 401], "three wrong passwords: 401 each", codes)
r = g.login("admin", PASSWORD)
check(r.status == 429 and int(r.header("retry-after")) >= 1, "the fourth attempt, even right, waits: 429", r)
time.sleep(int(r.header("retry-after")))
check(g.login("admin", "guess4").status == 401, "after the wait one more guess is heard")
r = g.login("admin", PASSWORD)
check(r.status == 429 and int(r.header("retry-after")) == 2, "and the next wait is twice as long", r)
time.sleep(2)
check(g.login("admin", PASSWORD).status == 200, "the right password after the wait logs in")
check(g.login("admin", "guess5").status == 401, "and the count starts again")
