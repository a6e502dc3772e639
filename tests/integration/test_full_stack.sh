#!/bin/sh
# The whole hub as the demo runs it (packaging/demo/config.json, every
# daemon and lighttpd under runsvdir, a local mosquitto), uploading to an
# HTTP receiver (tests/uploadd/receiver.py), through faults:
#  0. readings reach MQTT, the store (real one-minute records), the
#     receiver and the web API (/api/readings, logged in);
#  1. SIGKILL of each daemon and lighttpd in turn: runit restarts it and
#     its check passes again;
#  2. the broker down and up (readings on MQTT again), the receiver down
#     and up (the backlog drains);
#  3. the whole stack stopped and started (a reboot) in the middle of a
#     minute;
#  4. the data directory (a 24 MiB tmpfs) filled up, then freed: storaged
#     holds the minutes in memory and writes them after;
# and at the end, with the sources stopped and the last minute stored:
# every stored minute was uploaded at least once, no energy register or
# pulse count ever went back (a tap on the bus all along), storaged
# dropped nothing.  It prints what it checked and what was lost (0).
# Needs root (a tmpfs in a private mount namespace, as storaged's fault
# test); skipped (77) otherwise.  Takes about 4 minutes: the minutes are
# real.
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: the full-stack test needs root (a tmpfs for the data directory)"
	exit 77
fi
if [ -z "${FULLSTACK_IN_NS:-}" ]; then
	FULLSTACK_IN_NS=1 unshare -m --propagation private "$0" "$@"
	exit $?
fi
. "$SOURCE_DIR/tests/webcgi/web_lib.sh"
. "$SOURCE_DIR/tests/uploadd/upload_lib.sh"
for t in mosquitto mosquitto_sub lighttpd; do command -v $t >/dev/null || fail "$t is needed"; done
[ -x "$BUILD_DIR/webcgi/api" ] || fail "the web CGIs are not built"

# the data directory: a small card of its own
mount -t tmpfs -o size=24m tmpfs "$ENISCOPE_DATA" || fail "cannot mount a tmpfs on $ENISCOPE_DATA"
CLEANUP="$CLEANUP umount_data"
umount_data() { umount -l "$ENISCOPE_DATA"; }

start_receiver r
mqtt_port=$(free_port)
"$SOURCE_DIR/packaging/demo/mosquitto-service" "$T/service/mosquitto" "$mqtt_port"
web_config # the fake probes in $T/w1; the config itself is the demo's:
python3 - "$SOURCE_DIR/packaging/demo/config.json" "$ENISCOPE_CONF" "$mqtt_port" "$RECV_PORT_r" "$T/w1" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["hub"]["mac"] = "02:00:00:00:00:07"
c["mqtt"][0].update(enabled=True, port=int(sys.argv[3]), interval_s=1)
c["upload"] = [{"name": "cloud", "enabled": True, "url": "http://127.0.0.1:%s/up" % sys.argv[4],
                "interval_s": 1, "retry_max_s": 2}]
c["temps"] = {"w1_root": sys.argv[5], "interval_s": 1}
json.dump(c, open(sys.argv[2], "w"))
PY
[ "$(id -u)" != 0 ] || chmod 0711 "$T" "$ENISCOPE_DATA"

daemons="meterd pulsed tempd storaged uploadd mqttd alarmd paneld readingsd"
start_web $daemons
SVS=$(for s in $daemons lighttpd mosquitto; do echo "$T/service/$s"; done)
SVWAIT=30 sv start $SVS >"$T/sv.out" 2>&1 || fail "the stack did not come up: $(cat "$T/sv.out")"
ok "every service's check passes: $daemons lighttpd mosquitto"

# what the bus and the broker carry, all along
: >"$T/tap.jsonl"
eniscopectl tap -t 900 >>"$T/tap.jsonl" 2>>"$T/tap.err" &
TAP=$!
: >"$T/mqtt.txt"
mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -t 'eniscope/demo/#' -v >>"$T/mqtt.txt" 2>>"$T/mqtt.err" &
SUB=$!
CLEANUP="$CLEANUP stop_watchers"
stop_watchers() { kill "$TAP" "$SUB" 2>/dev/null; }

# storaged's stats, and one value of them
sd() { eniscopectl call storaged '{"cmd":"stats"}' | python3 -c 'import json,sys; j=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
mqtt_lines() { grep -c '^eniscope/demo/meter/1 ' "$T/mqtt.txt" || true; }

wait_until 20 "meter 1 on MQTT" sh -c "grep -q '^eniscope/demo/meter/1 ' '$T/mqtt.txt'"
python3 - "$HTTP_PORT" <<'PY' || fail "the web API"
import sys
from webclient import admin, wait_for, check
c = admin(int(sys.argv[1]))
snap = wait_for("meter 1 in /api/readings", lambda: (lambda r: r.json if r.status == 200 and r.json["rtdata"] else None)(c.get("/api/readings")), 20)
check(1 in [m["did"] for m in snap["rtdata"]] and snap["pulses"], "meters and pulses in the web API's /api/readings")
PY
wait_until 80 "a minute in the store" sh -c "[ \"\$(eniscopectl call storaged '{\"cmd\":\"stats\"}' | python3 -c 'import json,sys; print(json.load(sys.stdin).get(\"rows\", 0))')\" -gt 0 ]"
wait_until 30 "the minute at the receiver" has_accepted r 1
ok "readings on MQTT and in the web API; $(sd 'j["rows"]') records stored; $(accepted r) at the receiver"

# 1. SIGKILL each in turn
svpid() { sv status "$T/service/$1" | sed -n 's/^run: [^:]*: (pid \([0-9]*\)).*/\1/p'; }
for s in $daemons lighttpd; do
	p1=$(svpid "$s")
	[ -n "$p1" ] || fail "$s is not running before its kill: $(sv status "$T/service/$s")"
	kill -KILL "$p1"
	wait_until 15 "runit restarts $s" sh -c "p=\$(sv status '$T/service/$s' | sed -n 's/^run: [^:]*: (pid \([0-9]*\)).*/\1/p'); [ -n \"\$p\" ] && [ \"\$p\" != $p1 ]"
	SVWAIT=15 sv start "$T/service/$s" >/dev/null || fail "$s's check does not pass after the restart"
done
ok "SIGKILL of each of $daemons lighttpd: runit restarted each, its check passes"

# 2. the broker down and up; the receiver down and up
sv down "$T/service/mosquitto"
wait_until 15 "mqttd sees the broker gone" sh -c "eniscopectl call mqttd '{\"cmd\":\"status\"}' | grep -q '\"connected\": *false'"
n=$(mqtt_lines)
sv up "$T/service/mosquitto"
# the subscriber went with the broker: a new one
kill "$SUB" 2>/dev/null
wait_until 15 "the broker back" sh -c "mosquitto_pub -h 127.0.0.1 -p $mqtt_port -t x -n"
mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -t 'eniscope/demo/#' -v >>"$T/mqtt.txt" 2>>"$T/mqtt.err" &
SUB=$!
wait_until 30 "readings on MQTT again" sh -c "[ \$(grep -c '^eniscope/demo/meter/1 ' '$T/mqtt.txt') -gt $n ]"
ok "broker down and up: mqttd reconnected, readings on MQTT again"

stop_receiver r
wait_until 80 "a minute waits for the receiver" target_is cloud 't["backlog"] is not None and t["backlog"] > 0'
start_receiver r --port="$RECV_PORT_r"
wait_until 60 "the backlog drains" target_is cloud 't["backlog"] == 0'
ok "receiver down and up: minutes waited in storaged, then went"

# 3. a reboot in the middle of a minute
wait_until 60 "the middle of a minute" sh -c '[ $(( $(date +%s) % 60 )) -ge 20 ] && [ $(( $(date +%s) % 60 )) -le 40 ]'
stop_runsvdir
setsid runsvdir -P "$T/service" </dev/null >>"$T/runsvdir.log" 2>&1 &
RUNSVDIR_PID=$!
# (supervise/ok is still there from before: runsv answers once it runs)
for s in $daemons lighttpd mosquitto; do
	wait_until 10 "runsv of $s" sh -c "sv status '$T/service/$s' | grep -Eq '^(run|down|finish)'"
done
SVWAIT=30 sv start $SVS >"$T/sv.out" 2>&1 || fail "the stack did not come back: $(cat "$T/sv.out")"
kill "$SUB" 2>/dev/null
mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -t 'eniscope/demo/#' -v >>"$T/mqtt.txt" 2>>"$T/mqtt.err" &
SUB=$!
ok "the whole stack stopped at second $(( $(date +%s) % 60 )) of a minute and started again"

# 4. the card full, then freed
rows=$(sd 'j["rows"]')
dd if=/dev/zero of="$ENISCOPE_DATA/filler" bs=64k 2>/dev/null || true
wait_until 80 "storaged says the card is full" sh -c "eniscopectl call storaged '{\"cmd\":\"stats\"}' | grep -q '\"fault_state\": *\"card full\"'"
held=$(sd 'j["held_in_memory"]')
rm -f "$ENISCOPE_DATA/filler"
wait_until 90 "storaged writes again" sh -c "eniscopectl call storaged '{\"cmd\":\"stats\"}' | python3 -c 'import json,sys; j=json.load(sys.stdin); sys.exit(0 if j[\"fault_state\"] == \"ok\" and j[\"held_in_memory\"] == 0 else 1)'"
ok "card full: storaged held $held records in memory; freed: written ($rows -> $(sd 'j["rows"]') rows)"

# the end: the sources stop, their last minute is stored and uploaded
sv down "$T/service/meterd" "$T/service/pulsed" "$T/service/tempd"
sleep 0.5 # a reading already on the bus arrives
cut=$(date +%s)
wait_until 70 "the minute of the last readings is stored" sh -c "[ \$(date +%s) -ge \$(( ($cut / 60 + 1) * 60 + 2 )) ]"
wait_until 60 "the last minutes are uploaded" target_is cloud 't["backlog"] == 0'
kill "$TAP" 2>/dev/null

python3 - "$T/r.log" "$T/tap.jsonl" <<'PY' || fail "something was lost"
import collections, json, subprocess, sys
def call(req):
    return json.loads(subprocess.run(["eniscopectl", "call", "storaged", json.dumps(req)],
                                     capture_output=True, text=True, check=True).stdout)
stored = set()
while True:
    recs = call({"cmd": "batch", "consumer": "audit", "max": 1000})["records"]
    if not recs:
        break
    stored.update(r["rid"] for r in recs)
    call({"cmd": "ack", "consumer": "audit", "upto": recs[-1]["id"]})
uploaded = collections.Counter()
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("code") == 200:
        uploaded.update(e.get("rids", []))
missing = sorted(stored - set(uploaded))
minutes = sorted({int(r.rsplit("/", 1)[1]) for r in stored})
print(f"checked: {len(stored)} stored records over {len(minutes)} minutes; {len(set(uploaded))} uploaded "
      f"({sum(uploaded.values()) - len(uploaded)} sent twice); not uploaded: {len(missing)} {missing[:3]}")
# registers and counts, every reading on the bus in order per source
back = []
last = {}
n = 0
for line in open(sys.argv[2]):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    t, p = m["topic"], m["payload"]
    keys = ["E", "Ex", "RE", "REx", "AE"] if t.startswith("meter/") and t.endswith("/rt") else ["count"] if t.startswith("pulse/") else []
    for k in keys:
        if k in p:
            n += 1
            if (t, k) in last and p[k] < last[(t, k)]:
                back.append((t, k, last[(t, k)], p[k]))
            last[(t, k)] = p[k]
print(f"checked: {n} register and count values on the bus; went back: {len(back)} {back[:3]}")
st = call({"cmd": "stats"})
dropped = {k: st.get(k, 0) for k in ("dropped_unuploaded", "lost_to_damage", "dropped")}
gaps = [b - a for a, b in zip(minutes, minutes[1:]) if b - a > 60]
print(f"checked: storaged dropped {dropped}; minutes without any record between the first and the last: {sum(g // 60 - 1 for g in gaps)}")
lost = len(missing) + len(back) + sum(v or 0 for v in dropped.values())
print(f"lost: {lost}")
sys.exit(1 if lost else 0)
PY
ok "nothing lost"
web_clean
# a sanitized build's reports go to each daemon's log
if grep -lE 'Sanitizer|runtime error:' "$ENISCOPE_LOGDIR"/*/current "$ENISCOPE_LOGDIR"/*/@* 2>/dev/null; then
	fail "a daemon reported errors (the logs above)"
fi
ok "no sanitizer report in any daemon's log"
