#!/bin/sh
# A health alarm end to end: the upload receiver is down, records wait in
# the store; once the oldest has waited past health_alarms.upload_backlog_s
# one e-mail goes out ("Upload backlog", naming the target), and when the
# receiver is back and the backlog drains, one "Recovered" e-mail after the
# recovery time.  Nothing else is sent.
. "$(dirname "$0")/../integration/lib.sh"
. "$SOURCE_DIR/tests/uploadd/upload_lib.sh"
. "$(dirname "$0")/alarm_lib.sh"

start_servers
start_receiver r1
port=$RECV_PORT_r1
stop_receiver r1 # the port is known, nobody listens: connection refused
start_store -n 50 -m 1
cat >"$ENISCOPE_CONF" <<JSON
{"hub":{"mac":"02:00:00:00:00:01","site":"Test site"},
 "upload":[{"name":"cloud","enabled":true,"url":"http://127.0.0.1:$port/up","retry_max_s":1}],
 "smtp":{"host":"127.0.0.1","port":$SMTP_PORT,"security":"none","from":"hub@example.com"},
 "health_alarms":{"emails":["ops@example.com"],"webhook":"http://127.0.0.1:$HTTP_PORT/health",
                  "upload_backlog":true,"upload_backlog_s":3,"recovery_s":2,"reminder_s":0,
                  "meter_silent":false,"wiring":false,"disk_full":false}}
JSON
start_uploadd
alarmd 2>>"$T/alarmd.log" &
ALARMD_PID=$!
CLEANUP="$CLEANUP stop_alarmd"
stop_alarmd() { kill "$ALARMD_PID" 2>/dev/null || true; wait "$ALARMD_PID" 2>/dev/null || true; }

M=$T/srv/mail.log
wait_until 30 "the backlog e-mail" has_lines "$M" 1
[ "$(line_get "$M" 1 'j["subject"]')" = "Upload backlog" ] || fail "subject: $(line_get "$M" 1 'j["subject"]')"
body=$(line_get "$M" 1 'j["body"]')
echo "$body" | grep -q 'Upload target "cloud": 50 records not delivered' || fail "body: $body"
echo "$body" | grep -q "^High limit: 3 s" || fail "no limit in: $body"
[ "$(alarm_state upload-backlog)" = raised ] || fail "state: $(alarm_state upload-backlog)"
ok "receiver down: one e-mail past the limit, naming the target and its backlog"

start_receiver r1 --port=$port
back=$(date +%s.%N)
wait_until 30 "the recovery e-mail" has_lines "$M" 2
[ "$(line_get "$M" 2 'j["subject"]')" = "Recovered: Upload backlog" ] || fail "second mail: $(line_get "$M" 2 'j["subject"]')"
took=$(python3 -c 'import json,sys; l=[json.loads(x) for x in open(sys.argv[1])]; print(round(l[1]["t"]-float(sys.argv[2]),1))' "$M" "$back")
python3 -c "import sys; sys.exit(not $took >= 2.0)" || fail "recovered $took s after the receiver came back, before the recovery time"
[ "$(lines "$M")" -eq 2 ] || fail "more mails: $(cat "$M")"
[ "$(lines "$T/srv/hook.log")" -eq 2 ] || fail "webhook events: $(cat "$T/srv/hook.log")"
[ "$(line_get "$T/srv/hook.log" 2 'j["event"]["id"] + " " + j["event"]["event"]')" = "upload-backlog recovered" ] || fail "webhook: $(cat "$T/srv/hook.log")"
ok "receiver back: the backlog drained, one recovery e-mail $took s later (recovery time 2 s), the same two events at the webhook"
