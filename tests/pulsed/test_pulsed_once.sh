#!/bin/sh
# pulsed --once over an edge file: bounce counts once, pulses shorter than
# the minimum never count, pulses of minutes count once, the minimum is per
# input; a bad line is reported with file, line and reason, skipped, and
# makes the exit status 1; the printed objects are pulse/<n>'s.
. "$(dirname "$0")/../integration/lib.sh"

cat >"$ENISCOPE_CONF" <<JSON
{"pulse_input":{"source":"file:$T/edges"},
 "pulses":[{"id":1,"enabled":true,"name":"Gas","units_per_pulse":0.01,"unit":"m3"},
           {"id":2,"enabled":true,"name":"Water","units_per_pulse":10,"unit":"L","min_pulse_ms":30,"start_reading":1000},
           {"id":5,"enabled":false}]}
JSON

# input 1 (min 100 ms): 3 pulses with 4 bounce edges each at closing and
# opening, 2 short pulses (99 ms, 40 ms), one pulse closed for 5 minutes.
# input 2 (min 30 ms): 2 pulses of 35 ms, one of 25 ms.
# input 5 is disabled: its edges are ignored.
python3 - >"$T/edges" <<'PY'
ms = 1_000_000
t = 10_000 * ms
def pulse(n, start, width, bounce=False):
    out = [(start, n, 1)]
    if bounce:
        out += [(start + ms // 2, n, 0), (start + ms, n, 1), (start + 2 * ms, n, 0), (start + 3 * ms, n, 1)]
    out.append((start + width, n, 0))
    if bounce:
        out += [(start + width + ms, n, 1), (start + width + 2 * ms, n, 0)]
    return out
edges = []
for k in range(3):
    edges += pulse(1, t + k * 1000 * ms, 150 * ms, bounce=True)
edges += pulse(1, t + 4000 * ms, 99 * ms)
edges += pulse(1, t + 5000 * ms, 40 * ms)
edges += pulse(1, t + 6000 * ms, 300_000 * ms)
edges += pulse(2, t, 35 * ms) + pulse(2, t + 500 * ms, 35 * ms) + pulse(2, t + 900 * ms, 25 * ms)
edges += pulse(5, t, 500 * ms)
for ts, n, lvl in sorted(edges, key=lambda e: (e[1], e[0])):
    print(ts, n, lvl)
PY
pulsed --once >"$T/out" 2>"$T/err" || fail "pulsed --once exited $? on a clean file: $(cat "$T/err")"
python3 - "$T/out" <<'PY' || fail "wrong counts from the edge file: $(cat "$T/out")"
import json, sys
objs = {o["n"]: o for o in map(json.loads, open(sys.argv[1]))}
assert sorted(objs) == [1, 2], sorted(objs)
g, w = objs[1], objs[2]
assert g["count"] == 4, g            # 3 bounced + the 5-minute one; the short ones not
assert abs(g["total"] - 0.04) < 1e-12 and g["unit"] == "m3" and g["name"] == "Gas", g
assert w["count"] == 100 + 2, w      # base 1000 L / 10 L + two 35 ms pulses
assert w["total"] == 1020 and w["units_per_pulse"] == 10, w
for o in objs.values():
    assert set(o) == {"n", "name", "count", "total", "unit", "units_per_pulse", "rate", "ts"}, set(o)
PY
ok "bounce counts once, short pulses never, a 5-minute pulse once, minimum per input, start_reading base"

printf '400000000000 1 1\nnot an edge\n400200000000 1 0\n400300000000 9 1\n' >>"$T/edges"
if pulsed --once >"$T/out" 2>"$T/err"; then fail "pulsed --once exited 0 with bad lines"; fi
grep -q "$T/edges:[0-9]*: timestamp is not a whole number" "$T/err" || fail "no file:line reason: $(cat "$T/err")"
grep -q "$T/edges:[0-9]*: input must be 1 to 8" "$T/err" || fail "no reason for input 9: $(cat "$T/err")"
line=$(grep -n 'not an edge' "$T/edges" | cut -d: -f1)
grep -q "$T/edges:$line:" "$T/err" || fail "the bad line's number $line is not in: $(cat "$T/err")"
c=$(python3 -c 'import json,sys; print([json.loads(l)["count"] for l in open(sys.argv[1]) if json.loads(l)["n"]==1][0])' "$T/out")
[ "$c" = 5 ] || fail "the good lines around the bad ones were not counted: count $c, expected 5"
ok "bad lines named by file and line, skipped, exit status 1, the good lines still count"

# an edge older than the input's previous one is refused, not counted
printf '300000000000 1 1\n300200000000 1 0\n' >>"$T/edges"
if pulsed --once >"$T/out" 2>"$T/err"; then fail "pulsed --once exited 0 with an out-of-order edge"; fi
grep -q "pulse input 1: edge at 300000000000 ns is before the previous one" "$T/err" || fail "out-of-order edge not reported: $(cat "$T/err")"
c=$(python3 -c 'import json,sys; print([json.loads(l)["count"] for l in open(sys.argv[1]) if json.loads(l)["n"]==1][0])' "$T/out")
[ "$c" = 5 ] || fail "an out-of-order pulse was counted: count $c, expected 5"
ok "an edge before the previous one of its input is reported and not counted"

rm "$T/edges"
if pulsed --once >"$T/out" 2>"$T/err"; then fail "pulsed --once exited 0 without its edge file"; fi
grep -q "cannot open $T/edges" "$T/err" || fail "no reason for the missing file: $(cat "$T/err")"
ok "a missing edge file is a fault, said plainly"
