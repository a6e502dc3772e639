#!/bin/sh
# tempd under runsvdir over a fake w1 tree: good probes are published as
# temp/<id>, refused reads (CRC NO, 85 C, -127 C, garbage, nine zero bytes that
# pass the kernel's CRC) are not and show
# in status; a probe plugged in while tempd runs is announced once on
# temp/found; an unplugged one is reported vanished and its readings stop;
# replugged, it reads again without a second announcement; beyond 8 probes
# the rest are listed as ignored.  --once prints the same objects.
. "$(dirname "$0")/../integration/lib.sh"

W=$T/w1
mkdir -p "$W/w1_bus_master1"
# probe ID CRC T
probe() {
	mkdir -p "$W/$1"
	printf '72 01 4b 46 7f ff 0e 10 57 : crc=57 %s\n72 01 4b 46 7f ff 0e 10 57 t=%s\n' "$2" "$3" >"$W/$1/w1_slave.new"
	mv "$W/$1/w1_slave.new" "$W/$1/w1_slave"
}
A=28-0316a2799aff
probe $A YES 21437
probe 28-00000000000b NO 21437
probe 28-00000000000c YES 85000
probe 28-00000000000d YES -127000
mkdir -p "$W/28-00000000000e" && echo "garbage" >"$W/28-00000000000e/w1_slave"
# a bus held low: nine zero bytes, whose CRC is zero, so the kernel says YES
mkdir -p "$W/28-000000000010" &&
	printf '00 00 00 00 00 00 00 00 00 : crc=00 YES\n00 00 00 00 00 00 00 00 00 t=0\n' >"$W/28-000000000010/w1_slave"
cat >"$ENISCOPE_CONF" <<JSON
{"temps":{"w1_root":"$W","interval_s":1},
 "meters":[{"id":1,"enabled":true,"temp_sensor":"$A"}]}
JSON

if tempd --once >"$T/once" 2>"$T/once.err"; then fail "tempd --once exited 0 with faulty probes"; fi
python3 - "$T/once" "$A" <<'PY' || fail "tempd --once printed the wrong objects: $(cat "$T/once")"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
found = sorted(o["id"] for o in objs if "first_seen" in o)
temps = [o for o in objs if "T" in o]
assert len(found) == 6, found
assert temps == [dict(id=sys.argv[2], T=21.437, ts=temps[0]["ts"])], temps
PY
grep -q "28-00000000000b: CRC check failed" "$T/once.err" || fail "no CRC reason: $(cat "$T/once.err")"
ok "--once: 6 probes found, only the good one read (21.437), exit status 1, reasons logged"

start_runsvdir tempd
: >"$T/tap.jsonl"
eniscopectl tap -t 90 temp/ >>"$T/tap.jsonl" &
TAP=$!
CLEANUP="$CLEANUP kill_tap"
kill_tap() { kill "$TAP" 2>/dev/null; }

# until PYTHON-CONDITION on msgs (the tap so far) and st (tempd's status)
until_true() {
	i=0
	until python3 - "$T/tap.jsonl" "$1" <<'PY' 2>/dev/null
import json, subprocess, sys
msgs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
st = json.loads(subprocess.run(["eniscopectl", "status", "--json", "tempd"], capture_output=True).stdout)["tempd"]
probes = {p["id"]: p for p in st.get("probes", [])}
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
	do
		i=$((i + 1))
		[ $i -le 150 ] || fail "never true within 15 s: $1; status: $(eniscopectl status --json tempd)"
		sleep 0.1
	done
}
readings() { python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["topic"] == "temp/" + sys.argv[2]))' "$T/tap.jsonl" "$1"; }

# the tap may connect after the first round's temp/found: readings are the proof here
until_true "sum(m['topic'] == 'temp/$A' for m in msgs) >= 2"
until_true "probes['28-00000000000b']['state'] == 'fault' and 'CRC' in probes['28-00000000000b']['fault'] and probes['28-00000000000c']['state'] == 'fault' and 'power-on' in probes['28-00000000000c']['fault'] and 'did not answer' in probes['28-00000000000d']['fault'] and probes['28-00000000000e']['state'] == 'fault' and 'configuration register' in probes['28-000000000010']['fault'] and probes['$A']['T'] == 21.437 and probes['$A']['configured']"
python3 - "$T/tap.jsonl" <<'PY' || fail "a refused read was published"
import json, sys
bad = [l for l in open(sys.argv[1]) if json.loads(l)["topic"] in ("temp/28-00000000000b", "temp/28-00000000000c", "temp/28-00000000000d", "temp/28-00000000000e", "temp/28-000000000010")]
assert not bad, bad
PY
ok "the good probe is published (21.437), CRC NO / 85 / -127 / garbage / nine zero bytes are faults in status, never published"

N=28-00000000000f
probe $N YES 18500
until_true "any(m['topic'] == 'temp/found' and m['payload']['id'] == '$N' for m in msgs) and any(m['topic'] == 'temp/$N' and m['payload']['T'] == 18.5 for m in msgs)"
until_true "any(f['id'] == '$N' for f in st['found'])"
ok "a probe plugged in while tempd runs is announced on temp/found, read, and offered in status"

rm -r "$W/$A"
until_true "probes['$A']['state'] == 'vanished' and 'T' not in probes['$A']"
before=$(readings $A)
sleep 3 # three read intervals with the probe gone (a wait for an absence)
[ "$(readings $A)" = "$before" ] || fail "temp/$A still published after the probe vanished"
ok "an unplugged probe is reported vanished and its readings stop"

probe $A YES 22000
until_true "any(m['topic'] == 'temp/$A' and m['payload']['T'] == 22.0 for m in msgs) and probes['$A']['state'] == 'ok'"
python3 - "$T/tap.jsonl" "$A" <<'PY' || fail "the replugged probe was announced again"
import json, sys
n = sum(1 for l in open(sys.argv[1]) if json.loads(l)["topic"] == "temp/found" and json.loads(l)["payload"]["id"] == sys.argv[2])
assert n <= 1, n
PY
ok "replugged, it reads again (22.0) without a second temp/found"

for k in 1 2 3 4; do probe 28-00000000010$k YES 20000; done
until_true "len(st['ignored']) == 3 and 'more than 8' in st.get('fault', '') and len(st['probes']) == 8"
ok "with 11 probes on the bus 8 are read and 3 listed as ignored"
