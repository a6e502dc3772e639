#!/bin/sh
# storaged's real minute path (no --minute-ms) under clocks it does not
# own: the clockshift shim runs its clocks 30 times as fast (a minute in
# 2 s) and moves its wall clock.  The hub boots in 1970 (minutes held),
# the clock is set (held minutes stamped, "restamped"), then corrected
# 180 s backwards, then 300 s forwards.  Read as a consumer reads, every
# rid comes once with one set of values, each source's minutes rise in
# id order, the energy registers never go back, the three minutes after
# the step back are carried into the first one after the newest stored
# (no gap, no repeat, marked restamped, its count four minutes' worth).
# On main the minutes after the step back were merged into minutes
# already served: the same rid again, with other values.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/stats_lib.sh"
TOOLS="$BUILD_DIR/tests/storaged"
CTL="$BUILD_DIR/eniscopectl/eniscopectl"
cp "$SOURCE_DIR/packaging/demo/config.json" "$ENISCOPE_CONF"
SHIFT="$T/shift"
shift_to() { echo "$1" >"$SHIFT.tmp" && mv "$SHIFT.tmp" "$SHIFT"; }
# 1970: the hub has no RTC and no network yet
shift_to "-$(($(date +%s) - 100000))"
"$TOOLS/pubflood" 100 2 &
PF=$!
LD_PRELOAD="$TOOLS/clockshift.so" CLOCKSHIFT_SPEED=30 CLOCKSHIFT_FILE="$SHIFT" \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" storaged 2>"$T/storaged.log" &
SD=$!
CLEANUP="$CLEANUP stop_all"
stop_all() {
	kill "$SD" "$PF" 2>/dev/null
	wait "$SD" "$PF" 2>/dev/null || true
}
# audit: every record served since the last call, appended to $T/served
audit() {
	python3 - "$CTL" >>"$T/served" <<'PY'
import json, subprocess, sys
while True:
    out = subprocess.run([sys.argv[1], "call", "storaged", '{"cmd":"batch","consumer":"audit","max":1000}'],
                         capture_output=True, text=True, check=True).stdout
    recs = json.loads(out)["records"]
    if not recs:
        break
    for r in recs:
        print(json.dumps(r))
    subprocess.run([sys.argv[1], "call", "storaged", '{"cmd":"ack","consumer":"audit","upto":%d}' % recs[-1]["id"]],
                   capture_output=True, check=True)
PY
}

wait_stats 'j.get("held_until_clock_known", 0) >= 12 and j.get("clock_known") is False' 30 "minutes held in 1970"
ok "1970: $(stat 'j["held_until_clock_known"]') records held until the clock is known, none stored"
shift_to 0
wait_stats 'j.get("minutes_committed", 0) >= 4 and j.get("held_until_clock_known") == 0' 30 "clock set: held minutes stored"
audit
newest=$(python3 -c 'import json, sys; print(max(json.loads(l)["ts"] for l in open(sys.argv[1])))' "$T/served")
carried0=$(stat 'j["minutes_carried"]')
shift_to -180
wait_stats "j.get('clock_steps', 0) >= 1 and j.get('minutes_carried', 0) >= $carried0 + 3 and 'carrying_minutes' not in j and j.get('newest', 0) > $newest + 60" 30 \
	"the minutes after the step back are carried into a later one"
audit
ok "clock set back 180 s after minute $newest: $(stat 'j["minutes_carried"]') minutes carried"
committed=$(stat 'j["minutes_committed"]')
shift_to 120
wait_stats "j.get('clock_steps', 0) >= 2 and j.get('minutes_committed', 0) >= $committed + 3" 30 "minutes after the step forward"
audit
python3 - "$T/served" "$newest" <<'PY' || fail "minutes around the steps"
import collections, json, statistics, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
newest = int(sys.argv[2])
rids = collections.Counter(r["rid"] for r in recs)
again = [k for k, c in rids.items() if c > 1]
assert not again, ("a rid served twice (with other values)", again[:3])
by_src = collections.defaultdict(list)
for r in recs:
    by_src[(r["kind"], str(r["n"]))].append(r)
counts = [r["count"] for r in recs if r["time"] == "synced"]
carried = []
normal = statistics.median(counts)
for src, rs in by_src.items():
    rs.sort(key=lambda r: r["id"])
    ts = [r["ts"] for r in rs]
    assert all(b > a for a, b in zip(ts, ts[1:])), (src, "minutes not rising in id order", ts)
    if src[0] == "meter":
        e = [r["values"]["E"] for r in rs]
        assert all(b >= a for a, b in zip(e, e[1:])), (src, "energy went back", e)
    # one minute after the step back holds the readings of the three
    # before it: restamped, right after the newest stored one
    big = [i for i, r in enumerate(rs) if r["count"] >= 3 * normal]
    assert len(big) == 1, (src, "carried minutes", [rs[i]["count"] for i in big], normal)
    first = rs[big[0]]
    assert first["ts"] > newest and first["time"] == "restamped", (src, first)
    assert first["ts"] == rs[big[0] - 1]["ts"] + 60, (src, "gap or repeat before the carried minute", first["ts"])
    carried.append(first["count"])
held = sum(1 for r in recs if r["time"] == "restamped" and r["ts"] < newest)
assert held >= 12, ("held minutes not stamped restamped", held)
gaps = sorted({b["ts"] - a["ts"] for rs in by_src.values() for a, b in zip(rs, rs[1:])})
print("%d records of %d sources; normal minute %d readings; carried minute %s; held and restamped %d; "
      "gaps between minutes %s" % (len(recs), len(by_src), normal,
      sorted(carried), held, gaps))
assert max(gaps) >= 240, ("the step forward left no gap", gaps)
PY
ok "every rid once, minutes rising, registers never back, the step back carried into the next minute, the step forward a gap"
