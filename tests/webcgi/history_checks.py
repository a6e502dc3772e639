"""GET /api/history over lighttpd: for meter 1's power, voltage, Pmax and
energy register, pulse input 1's count and total and a probe's
temperature, at each range and resolution, the JSON points and the CSV
download's rows equal storaged's own history answer (eniscopectl call
storaged), the CSV has a header row with units and ISO 8601 times in the
zone; days and hours are the hub's zone's (interface.timezone) unless tz
says otherwise; bad parameters are refused by name; only a session reads.

    history_checks.py HTTP_PORT NOW"""
import csv
import datetime
import io
import json
import subprocess
import sys
import zoneinfo

from webclient import Client, admin, check

port, now = int(sys.argv[1]), int(sys.argv[2])
HUB_TZ = "Asia/Kolkata"


def storaged(req):
    out = subprocess.run(["eniscopectl", "call", "storaged", json.dumps(req)], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


anon = Client(port)
r = anon.get("/api/history?n=1&field=P")
check(r.status == 401, "no session: 401", r)
c = admin(port)

cases = [("meter", "1", "P", "24h", None), ("meter", "1", "V1", "7d", None), ("meter", "1", "Pmax", "30d", None),
         ("meter", "1", "E", "30d", "day"), ("meter", "1", "E", "7d", None), ("pulse", "1", "count", "90d", None),
         ("pulse", "1", "total", "7d", None), ("temp", "28-0316a2799aff", "T", "30d", None),
         ("meter", "1", "P", "90d", None)]
for kind, n, field, rng, res in cases:
    q = f"/api/history?kind={kind}&n={n}&field={field}&range={rng}" + (f"&resolution={res}" if res else "")
    r = c.get(q)
    check(r.status == 200, f"{q}: 200", r)
    j = r.json
    check(j["tz"] == HUB_TZ, f"{q}: the hub's zone by default")
    want_res = res or {"24h": "minute", "7d": "hour", "30d": "hour", "90d": "day"}[rng]
    check(j["resolution"] == want_res, f"{q}: resolution {want_res}")
    # the same question to storaged, as the API put it
    s = storaged({"cmd": "history", "kind": kind, "n": int(n) if kind != "temp" else n, "field": field,
                  "from": j["from"], "to": j["to"], "resolution": j["resolution"], "tz": j["tz"]})
    check(s["ok"] and s["points"] == j["points"] and s["columns"] == j["columns"] and s["unit"] == j["unit"],
          f"{q}: JSON points equal storaged's ({len(s['points'])} points)")
    check(len(j["points"]) > 10, f"{q}: has points")
    zone = zoneinfo.ZoneInfo(HUB_TZ)
    if want_res == "day":
        for p in j["points"]:
            t = datetime.datetime.fromtimestamp(p[0], zone)
            check(t.hour == 0 and t.minute == 0, f"{q}: day {t.isoformat()} begins at local midnight")
            break
    r = c.get(q + "&format=csv")
    check(r.status == 200 and r.header("content-type").startswith("text/csv"), f"{q}: CSV", r)
    disp = r.header("content-disposition")
    check(disp.startswith("attachment; filename=\"") and f"-{field}-{want_res}-" in disp, f"{q}: a download: {disp}")
    rows = list(csv.reader(io.StringIO(r.body)))
    unit = f" ({j['unit']})" if j["unit"] else ""
    want_head = [f"time ({HUB_TZ})"] + [f"{field} {col}{unit}" for col in j["columns"][1:]]
    check(rows[0] == want_head, f"{q}: CSV header {rows[0]}")
    check(len(rows) - 1 == len(s["points"]), f"{q}: a CSV row per point")
    for row, p in zip(rows[1:], s["points"]):
        t = datetime.datetime.fromisoformat(row[0])
        if t.timestamp() != p[0] or t.utcoffset() != datetime.datetime.fromtimestamp(p[0], zone).utcoffset():
            check(False, f"{q}: CSV time {row[0]} is {p[0]} in {HUB_TZ}")
        vals = [None if v == "" else float(v) for v in row[1:]]
        if vals != [None if v is None else float(v) for v in p[1:]]:
            check(False, f"{q}: CSV row {row} equals storaged's point {p}")
    check(True, f"{q}: every CSV row equals storaged's point")

# another zone asked for; from/to given; errors named
r = c.get("/api/history?n=1&field=E&range=30d&tz=Europe/Paris")
check(r.status == 200 and r.json["tz"] == "Europe/Paris" and r.json["resolution"] == "hour", "tz=Europe/Paris", r)
r = c.get(f"/api/history?n=1&field=P&from={now - 6 * 3600}&to={now}")
check(r.status == 200 and r.json["from"] == now - 6 * 3600 and r.json["resolution"] == "minute", "from/to", r)
for q, field in [("n=9&field=P", "n"), ("n=1&field=Nope", "field"), ("n=1&field=P&range=1y", "range"),
                 ("n=1&field=P&tz=Mars/Olympus", "tz"), ("n=1&field=P&resolution=week", "resolution"),
                 ("kind=gas&n=1&field=P", "kind"), ("n=1&field=P&from=5&to=4", "to"),
                 ("n=1&field=P&format=xml", "format")]:
    r = c.get("/api/history?" + q)
    check(r.status == 400 and r.json.get("field") == field, f"{q}: 400 naming {field}", r)
