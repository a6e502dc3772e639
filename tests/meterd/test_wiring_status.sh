#!/bin/sh
# meterd's wiring check in its status: meterd plays a replay file of a
# miswired 3LN installation (CT1 and CT2 swapped, CT3 clipped on
# backwards) on consumable meter 1, and a correct single-phase one on
# meter 2 (CT input 2, LN, on L1); once the verdicts have held, its status "wiring"
# says, per meter and per phase, the verdict and why, with the rotation,
# and "reversed_ct" lists the reversed CT (docs/BUS.md, docs/METERING.md).
. "$(dirname "$0")/../integration/lib.sh"

python3 "$SOURCE_DIR/tests/meterd/miswired_replay.py" >"$T/wiring.csv"
cat >"$ENISCOPE_CONF" <<JSON
{"adc":{"source":"replay:$T/wiring.csv"},
 "meters":[{"id":1,"enabled":true,"ct_input":1,"ct_rating_a":100,"purpose":"consumable"},
           {"id":2,"enabled":true,"ct_input":2,"ct_rating_a":100,"phase_type":"LN"}]}
JSON

meterd >"$T/meterd.log" 2>&1 &
PID=$!
CLEANUP="$CLEANUP stop_meterd"
stop_meterd() { kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true; }

judged() {
	st=$(eniscopectl status --json meterd) &&
		[ "$(json_get "$st" 'len(j["meterd"]["wiring"]) == 5 and all(e["verdict"] != "judging" for e in j["meterd"]["wiring"])')" = True ]
}
wait_until 40 "every phase judged" judged
st=$(eniscopectl status --json meterd)
python3 - "$st" <<'PY' || fail "wrong wiring verdicts: $st"
import json, sys
s = json.loads(sys.argv[1])["meterd"]
w = {(e["meter"], e["phase"]): e for e in s["wiring"]}
assert sorted(w) == [(1, 0), (1, 1), (1, 2), (1, 3), (2, 1)], sorted(w)
assert w[1, 0]["verdict"] == "ok" and w[1, 0]["rotation"] == "L1-L2-L3", w[1, 0]
verdicts = [w[1, p]["verdict"] for p in (1, 2, 3)]
assert verdicts == ["wrong_phase", "wrong_phase", "reversed"], verdicts
assert "L2's current, not L1's" in w[1, 1]["why"], w[1, 1]
assert "L1's current, not L2's" in w[1, 2]["why"], w[1, 2]
assert "backwards" in w[1, 3]["why"], w[1, 3]
assert w[2, 1]["verdict"] == "ok", w[2, 1]
assert s["reversed_ct"] == [{"meter": 1, "phase": 3, "why": w[1, 3]["why"]}], s["reversed_ct"]
print("meter 1:", [w[1, p]["why"] for p in (0, 1, 2, 3)])
PY
ok "status: meter 1 L1, L2 wrong_phase (swapped), L3 reversed, rotation L1-L2-L3; meter 2 ok; reversed_ct lists L3"
