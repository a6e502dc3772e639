#!/bin/sh
# The health alarm "a daemon restarting over and over", end to end under
# runsv: pulsed killed (SIGKILL) again and again, runsv starting it each
# time; alarmd counts the starts it sees (a new pid in pulsed's status)
# within health_alarms.restart_window_s.  One more start than
# restart_max raises one e-mail naming the daemon and the count; once
# the starts have aged out of the window it recovers, one e-mail.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/alarm_lib.sh"

start_servers
cat >"$ENISCOPE_CONF" <<JSON
{"pulse_input":{"source":"sim"},
 "smtp":{"host":"127.0.0.1","port":$SMTP_PORT,"security":"none","from":"hub@example.com"},
 "health_alarms":{"emails":["ops@example.com"],"recovery_s":1,"reminder_s":0,
                  "upload_backlog":false,"meter_silent":false,"wiring":false,"disk_full":false,
                  "restart_loop":true,"restart_max":3,"restart_window_s":20}}
JSON
start_runsvdir pulsed alarmd
M=$T/srv/mail.log
SV=$T/service

starts() {
	st=$(eniscopectl call alarmd '{"cmd":"status"}') || return 1
	json_get "$st" "[int(r.get('value', -1)) for r in j['rules'] if r['id']=='restarts:pulsed'][0]"
}
starts_are() { [ "$(starts)" = "$1" ]; }

wait_until 30 "alarmd sees pulsed's start" starts_are 1
[ "$(alarm_state restarts:pulsed)" = normal ] || fail "state: $(alarm_state restarts:pulsed)"
for n in 2 3 4; do
	pid=$(cat "$SV/pulsed/supervise/pid")
	kill -KILL "$pid"
	wait_until 20 "start $n of pulsed seen" starts_are "$n"
	[ "$n" -eq 4 ] || [ "$(lines "$M")" -eq 0 ] || fail "mail at $n starts (max 3): $(cat "$M")"
done
killed_at=$(date +%s.%N)
wait_until 10 "the restart-loop e-mail" has_lines "$M" 1
[ "$(line_get "$M" 1 'j["subject"]')" = "pulsed restarting over and over" ] || fail "subject: $(line_get "$M" 1 'j["subject"]')"
body=$(line_get "$M" 1 'j["body"]')
echo "$body" | grep -q "^Starts: 4" || fail "no count in: $body"
echo "$body" | grep -q "^High limit: 3" || fail "no limit in: $body"
echo "$body" | grep -q "pulsed started 4 times in the last 20 s" || fail "no detail in: $body"
[ "$(alarm_state restarts:pulsed)" = raised ] || fail "state: $(alarm_state restarts:pulsed)"
[ "$(alarm_state restarts:meterd)" = normal ] || fail "meterd (not running): $(alarm_state restarts:meterd)"
ok "pulsed killed 3 times under runsv: 4 starts in 20 s (max 3), one e-mail naming it, the count and the limit"

wait_until 40 "the recovery e-mail" has_lines "$M" 2
[ "$(line_get "$M" 2 'j["subject"]')" = "Recovered: pulsed restarting over and over" ] || fail "second: $(line_get "$M" 2 'j["subject"]')"
took=$(python3 -c 'import json,sys; l=[json.loads(x) for x in open(sys.argv[1])]; print(round(l[1]["t"]-float(sys.argv[2]),1))' "$M" "$killed_at")
[ "$(lines "$M")" -eq 2 ] || fail "mails: $(cat "$M")"
[ "$(alarm_state restarts:pulsed)" = normal ] || fail "state: $(alarm_state restarts:pulsed)"
ok "left running: recovered $took s after the last kill, when its starts left the 20 s window; two e-mails in all"
