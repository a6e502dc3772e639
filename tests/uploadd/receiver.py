#!/usr/bin/env python3
"""A small real HTTP receiver for uploadd's tests and benchmark.

    receiver.py PORTFILE LOGFILE [--port=N] [--summary | --records]

Listens on 127.0.0.1 (port N, or a free one written to PORTFILE), accepts
POSTs (gzip'd or not) of uploadd's http-json batches (docs/UPLOAD.md) and
check-ins, and appends one JSON line per request to LOGFILE:

    {"t": 1795.2, "path": "/up", "code": 200, "bytes": 5123, "gzip": true,
     "n": 500, "rids": ["02:..:01/meter/1/1795536000", ...]}

(--summary leaves "rids" out and keeps only totals, for the benchmark;
--records adds "records": every record decoded, as storaged serves them).
decode() is the reference decoder of the batch's series (docs/UPLOAD.md).
Behaviour is set with POST /_ctl {JSON}, any of:
    {"fail": 503, "fail_count": 3, "retry_after": "2"}   answer 503 (3 times; -1: until changed)
    {"hang": true}                                        accept, read, never answer
    {"bad_rids": [...], "bad_code": 422}                  refuse batches holding one of these
    {"max_records": 100}                                  413 for bigger batches
    {"auth": "Bearer xyz"}                                require this Authorization ("" : none)
    {"delay": 0.1}                                        wait this long (s) before each answer
    {"reset": true}                                       back to accepting everything
GET /_stats answers {"requests": .., "records": .., "bytes": .., "accepted": ..}.
"""
import gzip
import itertools
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def decode(doc):
    """The records of an eniscope-upload/2 batch, oldest (lowest id) first."""
    mac = doc["hub"]["mac"]
    records = []
    for s in doc["series"]:
        # 1. every column holds differences from the row before: add them up
        cols = {k: list(itertools.accumulate(v)) for k, v in s["values"].items()}
        ids, tss, counts = (list(itertools.accumulate(s[k])) for k in ("id", "ts", "count"))
        # 2. a system value in "sum" is its difference from its phases' sum
        for x in s["sum"]:
            cols[x] = [q + a + b + c for q, a, b, c in zip(cols[x], cols[x + "1"], cols[x + "2"], cols[x + "3"])]
        # 3. integers to values: value = integer / 10^dp
        for i, rid in enumerate(ids):
            values = {k: (c[i] / 10 ** s["dp"][k] if s["dp"][k] else c[i]) for k, c in cols.items()}
            if "unit" in s:
                values["unit"] = s["unit"]
            records.append({"id": rid, "rid": "%s/%s/%s/%d" % (mac, s["kind"], s["n"], tss[i]),
                            "kind": s["kind"], "n": s["n"], "ts": tss[i], "time": s["time"],
                            "count": counts[i], "values": values})
    records.sort(key=lambda r: r["id"])
    return records

state_lock = threading.Lock()
state = {}
stats = {"requests": 0, "accepted": 0, "records": 0, "bytes": 0, "raw_bytes": 0}


def reset():
    state.clear()
    state.update(fail=0, fail_count=0, retry_after=None, hang=False, bad_rids=set(), bad_code=422,
                 max_records=0, auth="", delay=0)


reset()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    summary = False
    with_records = False
    log = None

    def log_message(self, fmt, *args):  # quiet: the log file is the record
        pass

    def _answer(self, code, body=b"", headers=None):
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/_stats":
            with state_lock:
                body = json.dumps(stats).encode()
            self._answer(200, body, {"Content-Type": "application/json"})
        else:
            self._answer(404, b"not here")

    def _record(self, entry):
        with state_lock:
            self.log.write(json.dumps(entry) + "\n")
            self.log.flush()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.path == "/_ctl":
            cmd = json.loads(raw or b"{}")
            with state_lock:
                if cmd.get("reset"):
                    reset()
                for k, v in cmd.items():
                    if k == "bad_rids":
                        state[k] = set(v)
                    elif k != "reset":
                        state[k] = v
            self._answer(200, b"{}")
            return
        with state_lock:
            st = dict(state)
            stats["requests"] += 1
        entry = {"t": time.time(), "path": self.path, "bytes": len(raw),
                 "gzip": self.headers.get("Content-Encoding") == "gzip"}
        if st["delay"]:
            time.sleep(st["delay"])
        if st["hang"]:
            entry["code"] = "hang"
            self._record(entry)
            time.sleep(3600)
            return
        if st["auth"] and self.headers.get("Authorization", "") != st["auth"]:
            entry["code"] = 401
            self._record(entry)
            self._answer(401, b"bad credentials")
            return
        if st["fail"] and st["fail_count"] != 0:
            with state_lock:
                if state["fail_count"] > 0:
                    state["fail_count"] -= 1
            entry["code"] = st["fail"]
            self._record(entry)
            headers = {"Retry-After": st["retry_after"]} if st["retry_after"] is not None else {}
            self._answer(st["fail"], b"failing on purpose", headers)
            return
        try:
            body = gzip.decompress(raw) if entry["gzip"] else raw
            doc = json.loads(body)
        except Exception as e:  # a broken body is the sender's bug: say so
            entry["code"] = 400
            entry["error"] = str(e)
            self._record(entry)
            self._answer(400, ("cannot read the body: %s" % e).encode())
            return
        entry["raw_bytes"] = len(body)
        if self.path.endswith("/checkin"):
            entry["code"] = 200
            entry["checkin"] = doc
            self._record(entry)
            self._answer(200, b"{}")
            return
        try:
            recs = decode(doc)
        except Exception as e:  # not a batch of docs/UPLOAD.md: the sender's bug
            entry["code"] = 400
            entry["error"] = "cannot decode the batch: %r" % e
            self._record(entry)
            self._answer(400, entry["error"].encode())
            return
        rids = [r["rid"] for r in recs]
        entry["n"] = len(rids)
        if st["max_records"] and len(rids) > st["max_records"]:
            entry["code"] = 413
            self._record(entry)
            self._answer(413, b"batch too large")
            return
        bad = [r for r in rids if r in st["bad_rids"]]
        if bad:
            entry["code"] = st["bad_code"]
            entry["bad"] = bad
            self._record(entry)
            self._answer(st["bad_code"], ("bad record %s" % bad[0]).encode())
            return
        entry["code"] = 200
        if not self.summary:
            entry["rids"] = rids
            entry["format"] = doc.get("format")
            entry["hub"] = doc.get("hub")
        if self.with_records:
            entry["records"] = recs
        with state_lock:
            stats["accepted"] += 1
            stats["records"] += len(rids)
            stats["bytes"] += len(raw)
            stats["raw_bytes"] += len(body)
        self._record(entry)
        self._answer(200, b"{}")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    portfile, logfile = args[0], args[1]
    port = 0
    for a in sys.argv[1:]:
        if a.startswith("--port="):
            port = int(a.split("=", 1)[1])
    Handler.summary = "--summary" in sys.argv
    Handler.with_records = "--records" in sys.argv
    Handler.log = open(logfile, "a")
    srv = Server(("127.0.0.1", port), Handler)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()


if __name__ == "__main__":
    main()
