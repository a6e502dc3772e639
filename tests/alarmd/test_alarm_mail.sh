#!/bin/sh
# A rule on the simulated hub crosses its limit: one e-mail with the rule's
# name as subject and the meter, phase, value and limit in it, the same
# event on the bus and at the webhook; a reminder every reminder time
# while it lasts; when the limit is moved at run time so the value is
# inside, the recovery e-mail comes only after the recovery time.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/alarm_lib.sh"

start_servers
cat >"$ENISCOPE_CONF" <<JSON
{"adc":{"source":"sim"},"hub":{"site":"Test site"},
 "meters":[{"id":1,"enabled":true}],
 "smtp":{"host":"127.0.0.1","port":$SMTP_PORT,"security":"none","from":"hub@example.com"},
 "health_alarms":{"upload_backlog":false,"meter_silent":false,"wiring":false,"disk_full":false},
 "alarms":[{"id":7,"meter":1,"phase":2,"quantity":"V","high":1,"title":"Over-voltage L2",
            "emails":["ops@example.com","boss@example.com"],"recovery_s":3,"reminder_s":4,
            "webhook":"http://127.0.0.1:$HTTP_PORT/hook"}]}
JSON
: >"$T/tap.jsonl"
eniscopectl tap -t 60 alarm/ >>"$T/tap.jsonl" &
TAP=$!
CLEANUP="$CLEANUP kill_tap"
kill_tap() { kill "$TAP" 2>/dev/null; }
start_runsvdir meterd alarmd

M=$T/srv/mail.log
wait_until 20 "the first e-mail" has_lines "$M" 1
[ "$(line_get "$M" 1 'j["subject"]')" = "Over-voltage L2" ] || fail "subject: $(line_get "$M" 1 'j["subject"]')"
[ "$(line_get "$M" 1 'sorted(j["to"])')" = "['boss@example.com', 'ops@example.com']" ] || fail "recipients: $(cat "$M")"
body=$(line_get "$M" 1 'j["body"]')
echo "$body" | grep -q "^Meter: 1" || fail "no meter in: $body"
echo "$body" | grep -q "^Phase: 2" || fail "no phase in: $body"
echo "$body" | grep -Eq "^Voltage L2: [0-9.]+ V" || fail "no value in: $body"
echo "$body" | grep -q "^High limit: 1 V" || fail "no limit in: $body"
echo "$body" | grep -q "raised at Test site" || fail "no site in: $body"
ok "one e-mail: subject, both recipients, meter, phase, value and limit"

wait_until 20 "the webhook's raised event" has_lines "$T/srv/hook.log" 1
[ "$(line_get "$T/srv/hook.log" 1 '(j["event"]["id"], j["event"]["event"], j["event"]["meter"], j["event"]["phase"], j["event"]["limit"], j["event"]["limit_kind"], j["event"]["value"] > 100)')" = \
  "('7', 'raised', 1, 2, 1.0, 'high', True)" ] || fail "webhook: $(cat "$T/srv/hook.log")"
grep -q '"topic":"alarm/7"' "$T/tap.jsonl" || fail "no alarm/7 on the bus: $(cat "$T/tap.jsonl")"
ok "the webhook and the bus got the same event"

wait_until 20 "a reminder" has_lines "$M" 2
[ "$(line_get "$M" 2 'j["subject"]')" = "Reminder: Over-voltage L2" ] || fail "second mail: $(line_get "$M" 2 'j["subject"]')"
gap=$(python3 -c 'import json,sys; l=[json.loads(x) for x in open(sys.argv[1])]; print(round(l[1]["t"]-l[0]["t"],1))' "$M")
python3 -c "import sys; sys.exit(not 3.0 <= $gap <= 6.0)" || fail "reminder after $gap s, want 4"
ok "reminder after $gap s (reminder time 4 s)"

moved=$(date +%s.%N)
eniscopectl config set 'alarms[0].high' 1000 >/dev/null
wait_until 20 "the recovery e-mail" sh -c "grep -q 'Recovered: Over-voltage L2' '$M'"
took=$(python3 -c 'import json,sys; l=[json.loads(x) for x in open(sys.argv[1])]; print(round([x["t"] for x in l if x["subject"].startswith("Recovered")][0]-float(sys.argv[2]),1))' "$M" "$moved")
python3 -c "import sys; sys.exit(not 3.0 <= $took <= 7.0)" || fail "recovered $took s after the limit moved, want 3 s + a tick"
n=$(lines "$M")
[ "$(alarm_state 7)" = normal ] || fail "state after recovery: $(alarm_state 7)"
wait_until 10 "the webhook's recovered event" sh -c "grep -q '\"recovered\"' '$T/srv/hook.log'"
grep -q '"reminded"' "$T/srv/hook.log" || fail "no reminded at the webhook"
ok "recovered $took s after the limit moved (recovery time 3 s); state normal; webhook saw raised, reminded, recovered"

sleep 5 # nothing more while the value stays inside: no reminders after recovery
[ "$(lines "$M")" -eq "$n" ] || fail "mails after recovery: $(cat "$M")"
ok "no e-mail after the recovery"
