#!/bin/sh
# A receiver that refuses a batch as bad (422) because of one record: the
# batch is split until the bad records stand alone, exactly those are set
# aside in the store (with the receiver's reason) and everything else
# arrives.  A receiver that refuses batches as too large (413) gets them
# split until they fit: nothing set aside, nothing lost.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/upload_lib.sh"

N=1000
rid() { echo "02:00:00:00:00:01/meter/$(($1 % 8 + 1))/$((1795536000 + $1 / 8 * 60))"; }
start_receiver strict
start_receiver small
receiver_ctl strict "{\"bad_rids\":[\"$(rid 17)\",\"$(rid 500)\",\"$(rid 999)\"],\"bad_code\":422}"
receiver_ctl small '{"max_records":100}'
start_store -n $N -m 8
config_targets "[{\"name\":\"strict\",\"enabled\":true,\"url\":\"http://127.0.0.1:$RECV_PORT_strict/up\",\"batch_size\":250},
 {\"name\":\"small\",\"enabled\":true,\"url\":\"http://127.0.0.1:$RECV_PORT_small/up\",\"batch_size\":500}]"
start_uploadd

wait_until 60 "strict drains" target_is strict 't["backlog"] == 0 and t["state"] == "idle"'
wait_until 60 "small drains" target_is small 't["backlog"] == 0 and t["state"] == "idle"'

python3 - "$T/strict.log" "$T/aside.log" "$(rid 17)" "$(rid 500)" "$(rid 999)" <<'PY' || fail "422 split"
import json, sys
log, aside, bad = sys.argv[1], sys.argv[2], set(sys.argv[3:])
seen = set()
for line in open(log):
    e = json.loads(line)
    if e["code"] == 200:
        seen.update(e["rids"])
assert len(seen) == 997 and not (seen & bad), (len(seen), seen & bad)
lines = [l.split(" ", 2) for l in open(aside).read().splitlines()]
ids = sorted(int(l[1]) for l in lines if l[0] == "upload:strict")
assert ids == [18, 501, 1000], ids
assert all("HTTP 422" in l[2] and "bad record" in l[2] for l in lines), lines
print("set aside:", ids, "reason:", lines[0][2])
PY
target_is strict 't["set_aside"] == 3 and t["splits"] > 0' || fail "strict status: $(target_status strict t)"
ok "422: exactly the 3 bad records set aside (ids 18, 501, 1000) with the receiver's reason; 997 arrived"

check_delivery small $N 8 0
target_is small 't["set_aside"] == 0 and t["splits"] >= 3' || fail "small status: $(target_status small t)"
grep -q '"code": 413' "$T/small.log" || fail "the receiver never said 413"
grep -q "upload:small" "$T/aside.log" && fail "413 set records aside"
ok "413: batches split until they fit ($(target_status small 't["splits"]') splits), nothing set aside, all $N arrived"
