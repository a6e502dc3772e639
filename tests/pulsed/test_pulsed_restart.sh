#!/bin/sh
# pulsed under runsvdir with a FIFO source: pulses written into the FIFO
# while it runs are counted and published as pulse/<n> each second; after
# kill -9 runit restarts it and the count continues from where it was
# (never backwards) as more pulses arrive; status shows the counts.
. "$(dirname "$0")/../integration/lib.sh"

mkfifo "$T/edges"
cat >"$ENISCOPE_CONF" <<JSON
{"pulse_input":{"source":"file:$T/edges"},
 "pulses":[{"id":1,"enabled":true,"name":"Gas","units_per_pulse":0.01,"unit":"m3"},
           {"id":2,"enabled":true,"name":"Water","units_per_pulse":10,"unit":"L"}]}
JSON
start_runsvdir pulsed

: >"$T/tap.jsonl"
eniscopectl tap -t 60 pulse/ >>"$T/tap.jsonl" &
TAP=$!
CLEANUP="$CLEANUP kill_tap"
kill_tap() { kill "$TAP" 2>/dev/null; }

# pulses N INPUT: N bounced pulses of 150 ms, on the monotonic clock after
# the last ones written, into the FIFO in one write
pulses() {
	python3 - "$1" "$2" "$T/last_ts" >"$T/batch" <<'PY'
import os, sys, time
n, inp, state = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
ms = 1_000_000
t = max(time.monotonic_ns(), int(open(state).read()) if os.path.exists(state) else 0) + ms
lines = []
for k in range(n):
    s = t + k * 300 * ms
    lines += [(s, 1), (s + ms, 0), (s + 2 * ms, 1), (s + 152 * ms, 0)]
print("\n".join(f"{ts} {inp} {lvl}" for ts, lvl in lines))
open(state, "w").write(str(t + n * 300 * ms))
PY
	cat "$T/batch" >"$T/edges"
}

# wait_count INPUT N: until the tap shows pulse/INPUT with count N (20 s)
wait_count() {
	i=0
	until python3 - "$T/tap.jsonl" "$1" "$2" <<'PY'
import json, sys
want = int(sys.argv[3])
msgs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if any(m["topic"] == "pulse/" + sys.argv[2] and m["payload"]["count"] == want for m in msgs) else 1)
PY
	do
		i=$((i + 1))
		[ $i -le 200 ] || fail "pulse/$1 never reached count $2: $(tail -n 3 "$T/tap.jsonl")"
		sleep 0.1
	done
}

pulses 5 1
pulses 2 2
wait_count 1 5
wait_count 2 2
ok "pulses written into the FIFO while pulsed runs are counted (5 and 2)"

st=$(eniscopectl status --json pulsed)
[ "$(json_get "$st" '[i["count"] for i in j["pulsed"]["inputs"] if i["n"] == 1][0]')" = 5 ] \
	|| fail "status does not show count 5 for input 1: $st"
[ "$(json_get "$st" 'j["pulsed"]["source"]')" = "file:$T/edges" ] || fail "status lacks the source: $st"
ok "status shows the per-input count and the source"

# the tmpfs copy is written each second: wait until it holds the counts
i=0
until [ -f "$ENISCOPE_RUNDIR/pulsed-counts.json" ] &&
	[ "$(json_get "$(cat "$ENISCOPE_RUNDIR/pulsed-counts.json")" 'j["inputs"]["1"]["count"]')" = 5 ]; do
	i=$((i + 1)); [ $i -le 50 ] || fail "counts not saved in $ENISCOPE_RUNDIR"; sleep 0.1
done
pid1=$(json_get "$st" 'j["pulsed"]["pid"]')
kill -9 "$pid1"
i=0
while :; do
	pid2=$(json_get "$(eniscopectl status --json pulsed 2>/dev/null || echo '{}')" 'j.get("pulsed", {}).get("pid", 0)' 2>/dev/null || echo 0)
	[ "$pid2" != 0 ] && [ "$pid2" != "$pid1" ] && break
	i=$((i + 1)); [ $i -le 150 ] || fail "runit did not restart pulsed within 15 s"; sleep 0.1
done
ok "pulsed killed with SIGKILL, restarted by runit as pid $pid2"

pulses 3 1
wait_count 1 8
kill_tap
python3 - "$T/tap.jsonl" <<'PY' || fail "a count went backwards across the restart"
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for n in ("1", "2"):
    counts = [m["payload"]["count"] for m in msgs if m["topic"] == "pulse/" + n]
    back = [(a, b) for a, b in zip(counts, counts[1:]) if b < a]
    assert not back, (n, back)
    assert counts, n
seqs = [m["payload"]["seq"] for m in msgs]
assert any(b < a for a, b in zip(seqs, seqs[1:])), "no restart seen in seq"
print("pulse/1 counts", sorted(set(m["payload"]["count"] for m in msgs if m["topic"] == "pulse/1")))
PY
ok "after the restart the count continued 5 -> 8; no count went backwards"
