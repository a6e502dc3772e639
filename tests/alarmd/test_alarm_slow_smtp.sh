#!/bin/sh
# A mail server that accepts and never answers delays nothing else: while
# alarmd's mail hangs on it, the events still reach the bus and the
# webhooks at once, a second rule is evaluated and sent, and alarmd's
# status answers.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/alarm_lib.sh"

start_servers --silent-smtp
cat >"$ENISCOPE_CONF" <<JSON
{"adc":{"source":"sim"},
 "meters":[{"id":1,"enabled":true}],
 "smtp":{"host":"127.0.0.1","port":$SMTP_PORT,"security":"none","from":"hub@example.com"},
 "health_alarms":{"upload_backlog":false,"meter_silent":false,"wiring":false,"disk_full":false},
 "alarms":[{"id":1,"meter":1,"phase":1,"quantity":"V","high":1,"title":"Mail hangs",
            "emails":["ops@example.com"],"webhook":"http://127.0.0.1:$HTTP_PORT/one"}]}
JSON
start_runsvdir meterd alarmd
H=$T/srv/hook.log
wait_until 20 "the first rule's webhook" has_lines "$H" 1
wait_until 10 "the mail is in flight on the silent server" sh -c \
	"eniscopectl call alarmd '{\"cmd\":\"status\"}' | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)[\"deliveries\"][\"in_flight\"] < 1)'"

# a second rule while the first one's mail hangs
added=$(date +%s.%N)
eniscopectl config set alarms '[{"id":1,"meter":1,"phase":1,"quantity":"V","high":1,"title":"Mail hangs","emails":["ops@example.com"],"webhook":"http://127.0.0.1:'"$HTTP_PORT"'/one"},{"id":2,"meter":1,"phase":0,"quantity":"V","low":1000,"title":"Second","webhook":"http://127.0.0.1:'"$HTTP_PORT"'/two"}]' >/dev/null
wait_until 10 "the second rule's webhook" sh -c "grep -q '/two' '$H'"
took=$(python3 -c 'import json,sys; print(round([json.loads(x)["t"] for x in open(sys.argv[1]) if "/two" in x][0]-float(sys.argv[2]),1))' "$H" "$added")
python3 -c "import sys; sys.exit(not $took < 3.0)" || fail "second rule sent after $took s"
for i in 1 2 3 4 5; do
	s0=$(date +%s%N)
	eniscopectl call -t 1000 alarmd '{"cmd":"status"}' >/dev/null || fail "status did not answer within 1 s"
	ms=$((($(date +%s%N) - s0) / 1000000))
	[ $ms -lt 1000 ] || fail "status took $ms ms"
done
st=$(eniscopectl call alarmd '{"cmd":"status"}')
[ "$(json_get "$st" 'j["deliveries"]["in_flight"] >= 1 and j["deliveries"]["sent"] >= 2')" = True ] || fail "deliveries: $st"
ok "mail hung on a silent server; second rule's webhook $took s after it was saved; status answered within 1 s (last $ms ms)"
