#!/bin/sh
# Against the real storaged (fast minutes: --minute-ms), fed by pubflood
# with 8 meters, 8 pulse inputs and 8 probes: the receiver is down while
# minutes accumulate, comes back while ingest goes on, uploadd is killed
# with SIGKILL once in the middle; when ingest stops, every record
# storaged holds has arrived (checked by rid against an audit consumer
# reading the whole store) with the values storaged holds, decoded by the
# receiver from the batch's series, and storaged says nothing is pending.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/upload_lib.sh"
TOOLS="$BUILD_DIR/tests/storaged"

start_receiver r
port=$RECV_PORT_r
stop_receiver r
config_targets "[{\"name\":\"cloud\",\"enabled\":true,\"url\":\"http://127.0.0.1:$port/up\",\"batch_size\":300,\"retry_max_s\":2,\"interval_s\":1}]"
storaged --minute-ms 50 2>"$T/storaged.log" &
SD=$!
CLEANUP="$CLEANUP kill_sd"
kill_sd() { kill "$SD" 2>/dev/null; wait "$SD" 2>/dev/null || true; }
"$TOOLS/pubflood" 2 8 &
PF=$!
CLEANUP="$CLEANUP kill_pf"
kill_pf() { kill "$PF" 2>/dev/null; wait "$PF" 2>/dev/null || true; }
start_uploadd

wait_until 30 "records pile up during the outage" target_is cloud 't["backlog"] is not None and t["backlog"] >= 1500'
wait_until 20 "uploadd backs off (between tries it is briefly connecting)" target_is cloud 't["state"] == "backoff" and t["records_sent"] == 0'
ok "receiver down: $(target_status cloud 't["backlog"]') records pending in storaged, uploadd backing off"

start_receiver r --port=$port --records
wait_until 30 "delivery resumes" has_accepted r 1000
kill -KILL "$UPLOADD_PID"
wait "$UPLOADD_PID" 2>/dev/null || true
start_uploadd
wait_until 30 "delivery goes on after the kill" has_accepted r 2500
kill_pf
wait_until 60 "the backlog drains" target_is cloud 't["backlog"] == 0 and t["state"] == "idle"'
sleep 0.5 # the last minute storaged was aggregating is committed at its end
wait_until 30 "the backlog drains" target_is cloud 't["backlog"] == 0 and t["state"] == "idle"'

python3 - "$T/r.log" <<'PY' || fail "delivery against storaged"
import collections, json, subprocess, sys
# read the whole store through a consumer of our own
want, kinds, times = {}, collections.Counter(), collections.Counter()
while True:
    out = subprocess.run(["eniscopectl", "call", "storaged", '{"cmd":"batch","consumer":"audit","max":1000}'],
                         capture_output=True, text=True, check=True).stdout
    recs = json.loads(out)["records"]
    if not recs:
        break
    for r in recs:
        want[r["rid"]] = r; kinds[r["kind"]] += 1; times[r["time"]] += 1
    subprocess.run(["eniscopectl", "call", "storaged", '{"cmd":"ack","consumer":"audit","upto":%d}' % recs[-1]["id"]],
                   capture_output=True, check=True)
# half the resolution each value travels at (docs/UPLOAD.md); others 1 W, 1 Wh
HALF = {"V": 0.05, "I": 0.005, "In": 0.005, "PF": 0.0005, "F": 0.005, "total": 0.0005, "T": 0.005}
seen, checked = collections.Counter(), 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("code") == 200:
        seen.update(e["rids"])
        for r in e["records"]:
            w = want.get(r["rid"])
            if not w:
                continue
            assert {k: r[k] for k in ("id", "kind", "n", "ts", "time", "count")} == \
                {k: w[k] for k in ("id", "kind", "n", "ts", "time", "count")}, (r, w)
            assert set(r["values"]) == set(w["values"]), (r["rid"], set(r["values"]) ^ set(w["values"]))
            for k, x in w["values"].items():
                if isinstance(x, str):
                    assert r["values"][k] == x, (r["rid"], k)
                else:
                    half = HALF.get(k.rstrip("123") or k, 0.5) * (1 + 1e-9)
                    assert abs(r["values"][k] - x) <= half, (r["rid"], k, r["values"][k], x)
                checked += 1
missing = set(want) - set(seen)
print("store %d records %s %s; arrived %d distinct, duplicates %d, missing %d; %d values match" % (
    len(want), dict(kinds), dict(times), len(seen), sum(c - 1 for c in seen.values()), len(missing), checked))
assert len(want) >= 2500 and set(kinds) == {"meter", "pulse", "temp"}, kinds
assert not missing, sorted(missing)[:5]
assert set(seen) <= set(want), sorted(set(seen) - set(want))[:5]
assert sum(c - 1 for c in seen.values()) <= 300
PY
ok "every record storaged holds arrived (meter, pulse, temp), each value within half its resolution, duplicates at most the batch in flight at the kill"
