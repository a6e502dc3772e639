#!/bin/sh
# meterd under runsvdir: readings reach `eniscopectl tap`; after a SIGKILL
# runit brings meterd back, the same tap session hears it again, and no
# energy register went backwards across the kill.
. "$(dirname "$0")/lib.sh"

cat >"$ENISCOPE_CONF" <<'JSON'
{"adc":{"source":"sim"},"meters":[{"id":1,"enabled":true,"ct_rating_a":100}]}
JSON
start_runsvdir meterd

: >"$T/tap.jsonl" # exists before the tap's shell opens it: no race with wait_lines
eniscopectl tap -t 40 meter/1/rt >>"$T/tap.jsonl" &
TAP=$!
CLEANUP="$CLEANUP kill_tap"
kill_tap() { kill "$TAP" 2>/dev/null; }

# wait_lines N: until the tap has N lines, at most 15 s
wait_lines() {
	i=0
	while :; do
		n=$(wc -l <"$T/tap.jsonl" 2>/dev/null || echo 0)
		[ "$n" -ge "$1" ] && return 0
		i=$((i + 1))
		[ $i -le 150 ] || fail "tap has $n lines, expected $1 within 15 s"
		sleep 0.1
	done
}
wait_lines 3
ok "meter/1/rt arrives through eniscopectl tap"

python3 - "$T/tap.jsonl" <<'PY' || fail "a reading lacks a field of the manual's rtdata"
import json, sys
need = ["uid", "did", "ts", "seq", "F", "In"]
for n in ["V", "U", "I", "P", "Q", "S", "PF", "E", "Ex", "RE", "REx", "AE"]:
    need += [n, n + "1", n + "2", n + "3"]
need.remove("U"); need += ["U", "A1", "A2", "A3"]
line = json.loads(open(sys.argv[1]).readline())
assert line["topic"] == "meter/1/rt", line["topic"]
p = line["payload"]
missing = [k for k in need if k not in p]
assert not missing, missing
assert p["did"] == 1 and p["uid"].endswith(":00:01"), p["uid"]
assert 200 < p["V1"] < 260 and 49 < p["F"] < 51, (p["V1"], p["F"])
assert all(isinstance(p[k], (int, float)) for k in need if k != "uid")
PY
ok "every rtdata field is there, with sane values"

pid1=$(json_get "$(eniscopectl status --json meterd)" 'j["meterd"]["pid"]')
before=$(wc -l <"$T/tap.jsonl")
kill -9 "$pid1"
ok "meterd (pid $pid1) killed with SIGKILL"

i=0
while :; do
	st=$(eniscopectl status --json meterd 2>/dev/null || true)
	pid2=$(json_get "$st" 'j["meterd"].get("pid", 0)' 2>/dev/null || echo 0)
	[ "$pid2" != 0 ] && [ "$pid2" != "$pid1" ] && break
	i=$((i + 1))
	[ $i -le 150 ] || fail "runit did not restart meterd within 15 s"
	sleep 0.1
done
sv status "$T/service/meterd" | grep -q '^run:' || fail "sv status does not say run: $(sv status "$T/service/meterd")"
ok "runit restarted meterd as pid $pid2"

wait_lines $((before + 4))
kill_tap
python3 - "$T/tap.jsonl" <<'PY' || fail "readings did not resume correctly after the restart"
import json, sys
msgs = [json.loads(l)["payload"] for l in open(sys.argv[1])]
restarts = [i for i in range(1, len(msgs)) if msgs[i]["seq"] < msgs[i - 1]["seq"]]
assert len(restarts) == 1, f"expected one restart in seq, saw {len(restarts)}: {[m['seq'] for m in msgs]}"
assert len(msgs) - restarts[0] >= 3, "fewer than 3 readings after the restart"
for k in ["E", "E1", "AE", "RE"]:
    vals = [m[k] for m in msgs]
    back = [(a, b) for a, b in zip(vals, vals[1:]) if b < a]
    assert not back, f"{k} went backwards: {back}"
print(f"{len(msgs)} readings, restart after #{restarts[0]}, E {msgs[0]['E']} -> {msgs[-1]['E']} Wh")
PY
ok "the same tap session hears meterd again; no energy register went backwards"
