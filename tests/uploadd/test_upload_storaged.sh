#!/bin/sh
# Against the real storaged (fast minutes: --minute-ms), fed by pubflood
# with 8 meters, 8 pulse inputs and 8 probes: the receiver is down while
# minutes accumulate, comes back while ingest goes on, uploadd is killed
# with SIGKILL once in the middle; when ingest stops, every record
# storaged holds has arrived (checked by rid against an audit consumer
# reading the whole store), and storaged says nothing is pending.
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
target_is cloud 't["state"] == "backoff" and t["records_sent"] == 0' || fail "status: $(target_status cloud t)"
ok "receiver down: $(target_status cloud 't["backlog"]') records pending in storaged, uploadd backing off"

start_receiver r --port=$port
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
want, kinds, times = set(), collections.Counter(), collections.Counter()
while True:
    out = subprocess.run(["eniscopectl", "call", "storaged", '{"cmd":"batch","consumer":"audit","max":1000}'],
                         capture_output=True, text=True, check=True).stdout
    recs = json.loads(out)["records"]
    if not recs:
        break
    for r in recs:
        want.add(r["rid"]); kinds[r["kind"]] += 1; times[r["time"]] += 1
    subprocess.run(["eniscopectl", "call", "storaged", '{"cmd":"ack","consumer":"audit","upto":%d}' % recs[-1]["id"]],
                   capture_output=True, check=True)
seen = collections.Counter()
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("code") == 200:
        seen.update(e["rids"])
missing = want - set(seen)
print("store %d records %s %s; arrived %d distinct, duplicates %d, missing %d" % (
    len(want), dict(kinds), dict(times), len(seen), sum(c - 1 for c in seen.values()), len(missing)))
assert len(want) >= 2500 and set(kinds) == {"meter", "pulse", "temp"}, kinds
assert not missing, sorted(missing)[:5]
assert set(seen) <= want, sorted(set(seen) - want)[:5]
assert sum(c - 1 for c in seen.values()) <= 300
PY
ok "every record storaged holds arrived (meter, pulse, temp), duplicates at most the batch in flight at the kill"
