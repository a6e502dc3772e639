"""A small HTTP client for the web integration tests: one session's cookie
and CSRF token, raw control over every header (Origin, Content-Type,
Content-Length) and over the path (sent exactly as given), so attacks can
be made as a browser or a script would make them."""
import http.client
import json
import time


class Reply:
    def __init__(self, status, headers, body, data=b""):
        self.status = status
        self.headers = headers
        self.body = body
        self.data = data  # the body's bytes (a download)
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return f"{self.status} {self.body[:300]!r}"


class Client:
    def __init__(self, port, host="127.0.0.1", tls=False):
        self.port, self.host, self.tls = port, host, tls
        self.cookie = None
        self.csrf = None

    def request(self, method, path, body=None, ctype=None, headers=None, cookie=True, csrf=True):
        if self.tls:
            import ssl
            conn = http.client.HTTPSConnection(self.host, self.port, timeout=10,
                                               context=ssl._create_unverified_context())
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        h = {}
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            ctype = ctype or "application/json"
        if ctype:
            h["Content-Type"] = ctype
        if cookie and self.cookie:
            h["Cookie"] = "eniscope_session=" + self.cookie
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        h.update(headers or {})
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in h.items():
            conn.putheader(k, v)
        data = body.encode() if isinstance(body, str) else body
        if data is not None and "Content-Length" not in h:
            conn.putheader("Content-Length", str(len(data)))
        conn.endheaders()
        if data is not None:
            conn.send(data)
        resp = conn.getresponse()
        data = resp.read()
        raw = data.decode("utf-8", "replace")
        headers = {k.lower(): v for k, v in resp.getheaders()}
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie" and v.startswith("eniscope_session="):
                value = v.split(";")[0].split("=", 1)[1]
                self.cookie = value or None
        conn.close()
        r = Reply(resp.status, headers, raw, data)
        if r.json and isinstance(r.json, dict) and "csrf" in r.json:
            self.csrf = r.json["csrf"]
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def put(self, path, body, **kw):
        return self.request("PUT", path, body, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)

    def login(self, user, password):
        return self.post("/api/login", {"username": user, "password": password})


def check(cond, what, reply=None):
    if not cond:
        raise SystemExit(f"FAIL: {what}" + (f": {reply!r}" if reply is not None else ""))
    print(f"ok: {what}")


def wait_for(what, fn, timeout=15.0):
    """Polls fn every 0.1 s until it returns a true value; fails naming what."""
    end = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > end:
            raise SystemExit(f"FAIL: {what}: not within {timeout} s")
        time.sleep(0.1)


def admin(port, password="correct horse battery"):
    """A client logged in with its own password (changing the factory one
    first when the hub still has it)."""
    c = Client(port)
    r = c.login("admin", "admin")
    if r.status == 200 and r.json["must_change_password"]:
        r = c.post("/api/password", {"current": "admin", "new": password})
        check(r.status == 200, "factory password changed", r)
    else:
        r = c.login("admin", password)
        check(r.status == 200, "logged in", r)
    return c
