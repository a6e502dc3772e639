#!/bin/sh
# mqttd against a real mosquitto: the payload is exactly the manual's
# rtdata, for the instance's meters, with the values meterd put on the bus
# at that second, every interval, never retained; the status topic is
# online/offline (retained), the last will says offline when mqttd is
# killed with SIGKILL; when the broker stops and comes back, publishing
# resumes by itself and what waited in the queue is delivered; mqttd stops
# within seconds on TERM, even with the broker gone.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/mqtt_lib.sh"

start_plain_broker

cat >"$ENISCOPE_CONF" <<JSON
{"adc":{"source":"sim"},
 "meters":[{"id":1,"enabled":true},{"id":2,"enabled":true},{"id":3,"enabled":true,"ct_rating_a":60}],
 "mqtt":[{"title":"plain","enabled":true,"host":"127.0.0.1","port":$P,"interval_s":1,
          "topic":"Eniscope8/04","meters":[1,3]}]}
JSON

eniscopectl tap -t 60 meter/ >"$T/tap.jsonl" &
TAP=$!
kill_tap() { kill "$TAP" 2>/dev/null; }
CLEANUP="$CLEANUP kill_tap"
start_services meterd mqttd
wait_until 15 "mqttd connects to the broker" is_true instance plain 'i["connected"]'
ok "mqttd connected to mosquitto on 127.0.0.1:$P"

# the retained status, then readings: %r is the retain flag
mosquitto_sub -h 127.0.0.1 -p "$P" -t Eniscope8/04/status -C 1 -W 5 -F '%r %p' >"$T/status.txt" ||
	fail "no status message"
[ "$(cat "$T/status.txt")" = "1 online" ] || fail "status topic: $(cat "$T/status.txt"), want retained online"
ok "Eniscope8/04/status is online, retained"

mosquitto_sub -h 127.0.0.1 -p "$P" -t Eniscope8/04 -t 'eniscope8/04' -C 5 -W 15 -F '%r %U %t %p' >"$T/sub.txt" ||
	fail "fewer than 5 readings in 15 s: $(cat "$T/sub.txt")"
sleep 1.2 # the tap gets the reading of the last publication's second
python3 - "$T/sub.txt" "$T/tap.jsonl" <<'PY' || fail "the published payload is not the manual's rtdata of the bus readings"
import json, sys
manual = set("""uid did S1 S A1 V3 P2 RE3 Q3 A2 E U3 P3 REx U1 V1 RE2 ts Ex3 AE2 RE I2 A3 E2 REx1 I In S3 U F
RE1 P1 E1 PF REx3 AE3 V Ex Q S2 REx2 PF3 PF2 E3 I3 PF1 P U2 V2 Q2 Q1 AE1 Ex2 Ex1 AE I1""".split())
assert len(manual) == 56
bus = {}
for line in open(sys.argv[2]):
    m = json.loads(line)
    p = m["payload"]
    bus.setdefault((p["did"], int(p["ts"])), []).append(p)
stamps = []
for line in open(sys.argv[1]):
    retain, t_recv, topic, payload = line.rstrip("\n").split(" ", 3)
    assert retain == "0", "a reading was retained"
    assert topic == "Eniscope8/04", topic   # case-sensitive, as given
    doc = json.loads(payload)
    assert list(doc) == ["rtdata"], list(doc)
    dids = [o["did"] for o in doc["rtdata"]]
    assert dids == [1, 3], f"meters {dids}, want the instance's [1, 3]"
    for o in doc["rtdata"]:
        assert set(o) == manual, f"fields differ from the manual: extra {set(o) - manual}, missing {manual - set(o)}"
        assert isinstance(o["ts"], int) and isinstance(o["did"], int) and isinstance(o["uid"], str)
        assert all(isinstance(o[k], (int, float)) and not isinstance(o[k], bool) for k in manual - {"uid"})
        same = [p for p in bus.get((o["did"], o["ts"]), []) if all(p[k] == o[k] for k in manual - {"ts"})]
        assert same, f"meter {o['did']} at {o['ts']}: no bus reading with these values"
        assert o["uid"].endswith(":00:%02d" % o["did"])
    stamps.append(doc["rtdata"][0]["ts"])
gaps = [b - a for a, b in zip(stamps, stamps[1:])]
assert all(1 <= g <= 2 for g in gaps), f"interval_s 1 but ts gaps {gaps}"
print(f"{len(stamps)} payloads, ts gaps {gaps}, every value equal to the bus reading")
PY
ok "rtdata has exactly the manual's 56 fields for meters 1 and 3, equal to the bus readings, every second, not retained"

sent=$(instance plain 'i["messages_sent"]')
[ "$sent" -ge 5 ] || fail "status says $sent messages sent"
ok "status counts $sent messages sent"

# the broker goes away: mqttd notices, queues, and comes back by itself
stop_broker plain
wait_until 10 "status shows the broker lost" is_true instance plain 'not i["connected"] and "last_error" in i'
ok "broker stopped: status says $(instance plain 'i["last_error"]')"
wait_until 10 "readings wait in the queue" is_true instance plain 'i["messages_queued"] >= 2'
queued=$(instance plain 'i["messages_queued"]')
echo "allow_anonymous true" | start_broker plain "$P"
wait_until 40 "mqttd reconnects by itself" is_true instance plain 'i["connected"]'
wait_until 5 "the queue is delivered" is_true instance plain 'i["messages_queued"] == 0'
mosquitto_sub -h 127.0.0.1 -p "$P" -t Eniscope8/04 -C 2 -W 10 >"$T/sub2.txt" || fail "no readings after the broker came back"
ok "broker restarted: mqttd reconnected ($(instance plain 'i["connects"]') connections), $queued queued readings delivered, publishing resumed"

# the last will: SIGKILL leaves the broker to say offline
mosquitto_sub -h 127.0.0.1 -p "$P" -t Eniscope8/04/status -W 20 -F '%r %p' >"$T/will.txt" &
SUB=$!
sleep 0.5
pid=$(mqttd_pid)
kill -9 "$pid"
wait_until 10 "the will arrives" grep -q '^0 offline$' "$T/will.txt"
ok "mqttd killed with SIGKILL: the broker published the last will 'offline'"
wait_until 15 "runit restarts mqttd and it says online again" grep -c '^0 online$' "$T/will.txt"
kill "$SUB" 2>/dev/null || true
mosquitto_sub -h 127.0.0.1 -p "$P" -t Eniscope8/04/status -C 1 -W 5 -F '%r %p' >"$T/status.txt"
[ "$(cat "$T/status.txt")" = "1 online" ] || fail "retained status after the restart: $(cat "$T/status.txt")"
ok "restarted mqttd: status online again (retained)"

# a clean stop says offline itself, and is quick
mosquitto_sub -h 127.0.0.1 -p "$P" -t Eniscope8/04/status -C 2 -W 10 -F '%r %p' >"$T/bye.txt" &
SUB=$!
sleep 0.5
wait_until 10 "mqttd is up" is_true instance plain 'i["connected"]'
t0=$(date +%s%N)
sv -w 10 down "$T/service/mqttd" >/dev/null || fail "sv down mqttd timed out"
t1=$(date +%s%N)
wait "$SUB" || true
grep -q '^0 offline$' "$T/bye.txt" || fail "no offline on a clean stop: $(cat "$T/bye.txt")"
ok "TERM: mqttd said offline and stopped in $(((t1 - t0) / 1000000)) ms"

stop_broker plain
sv up "$T/service/mqttd"
wait_until 10 "mqttd runs with the broker gone" is_true instance plain '"last_error" in i'
t0=$(date +%s%N)
sv -w 10 down "$T/service/mqttd" >/dev/null || fail "sv down mqttd timed out with the broker gone"
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
[ "$ms" -lt 4000 ] || fail "TERM with the broker gone took $ms ms"
ok "TERM with the broker gone: stopped in $ms ms"
