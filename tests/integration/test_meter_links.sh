#!/bin/sh
# The manual's rule for linked inputs, across three real daemons under
# runsvdir: meterd's meter/<n>/rt carries Pulse = the count pulsed publishes
# for pulse input n where n is the meter's ct_input, and T = the T tempd
# publishes for the probe in the meter's temp_sensor; a meter with no
# linked input or probe has neither field; when pulsed and tempd stop, the
# fields go absent (not zero, not the last value) once not fresh (common/reading_cache.h).
. "$(dirname "$0")/lib.sh"

# three bounced pulses of 150 ms on input 1, in the recent past
python3 - >"$T/edges" <<'PY'
import time
ms = 1_000_000
t = time.monotonic_ns() - 5000 * ms
for k in range(3):
    s = t + k * 300 * ms
    for ts, lvl in [(s, 1), (s + ms, 0), (s + 2 * ms, 1), (s + 152 * ms, 0)]:
        print(f"{ts} 1 {lvl}")
PY
W=$T/w1
A=28-0316a2799aff
mkdir -p "$W/$A"
printf '72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=21437\n' >"$W/$A/w1_slave"
cat >"$ENISCOPE_CONF" <<JSON
{"adc":{"source":"sim"},
 "pulse_input":{"source":"file:$T/edges"},
 "pulses":[{"id":1,"enabled":true,"name":"Gas","units_per_pulse":0.01,"unit":"m3","start_reading":100}],
 "temps":{"w1_root":"$W","interval_s":1},
 "meters":[{"id":1,"enabled":true,"ct_input":1,"temp_sensor":"$A"},
           {"id":2,"enabled":true,"ct_input":2}]}
JSON
start_runsvdir meterd pulsed tempd

: >"$T/tap.jsonl"
eniscopectl tap -t 120 >>"$T/tap.jsonl" &
TAP=$!
CLEANUP="$CLEANUP kill_tap"
kill_tap() { kill "$TAP" 2>/dev/null; }

# linked PYTHON-CONDITION [FROM]: true of the newest pulse/1 (p, {} when
# none), meter/1/rt (m1) and meter/2/rt (m2) the tap has seen since its
# line FROM (default 0)
linked() {
	python3 - "$T/tap.jsonl" "$1" "${2:-0}" <<'PY'
import json, sys
last = {}
for line in open(sys.argv[1]).read().splitlines()[int(sys.argv[3]):]:
    try:
        o = json.loads(line)
    except ValueError:
        continue  # the line being written
    last[o["topic"]] = o["payload"]
p, m1, m2 = (last.get(t, {}) for t in ("pulse/1", "meter/1/rt", "meter/2/rt"))
sys.exit(0 if m1 and m2 and eval(sys.argv[2]) else 1)
PY
}

# pulse count = 3 pulses + start_reading 100 m3 / 0.01 m3 = 10003
wait_until 30 "meter/1/rt with Pulse = pulse/1's count 10003 and T 21.437" \
	linked 'p.get("count") == 10003 and m1.get("Pulse") == p["count"] and m1.get("T") == 21.437'
linked '"Pulse" not in m2 and "T" not in m2' || fail "meter 2 has a Pulse or T with no linked input: $(grep meter/2 "$T/tap.jsonl" | tail -1)"
ok "meter 1 (ct_input 1, temp_sensor $A) reads Pulse 10003 and T 21.437; meter 2 has neither"

sv -w 10 down "$T/service/pulsed" "$T/service/tempd" >/dev/null || fail "sv down pulsed tempd timed out"
from=$(wc -l <"$T/tap.jsonl")
wait_until 30 "meter/1/rt without Pulse and T once pulsed and tempd are down" \
	linked '"Pulse" not in m1 and "T" not in m1' "$from"
ok "with pulsed and tempd stopped, meter 1's Pulse and T go absent (not zero)"
