# Shared by alarmd's integration tests: the SMTP server and webhook
# receiver (servers.py), and reading what they got.  Sourced after
# ../integration/lib.sh.
ALARM_HERE=$SOURCE_DIR/tests/alarmd

# start_servers [servers.py's options]: sets SMTP_PORT and HTTP_PORT (a
# second call after stop_servers starts new ones, logging to the same files)
start_servers() {
	mkdir -p "$T/srv"
	rm -f "$T/srv/smtp.port" "$T/srv/http.port"
	# the Debian python, which has python3-aiosmtpd (packaging/debian-packages.txt)
	/usr/bin/python3 "$ALARM_HERE/servers.py" "$T/srv" "$@" 2>>"$T/srv.err" &
	SERVERS_PID=$!
	CLEANUP="$CLEANUP stop_servers"
	wait_until 20 "the test servers listen" test -s "$T/srv/http.port"
	SMTP_PORT=$(cat "$T/srv/smtp.port")
	HTTP_PORT=$(cat "$T/srv/http.port")
	: >>"$T/srv/mail.log"
	: >>"$T/srv/hook.log"
	: >>"$T/srv/auth.log"
}
stop_servers() {
	kill "$SERVERS_PID" 2>/dev/null || true
	wait "$SERVERS_PID" 2>/dev/null || true
}

# lines FILE: how many lines it has
lines() { wc -l <"$1" | tr -d ' '; }
# has_lines FILE N: at least N lines
has_lines() { [ "$(lines "$1")" -ge "$2" ]; }

# line_get FILE N EXPR: EXPR on j, line N (1-based) parsed
line_get() {
	python3 -c 'import json,sys; j=json.loads(open(sys.argv[1]).read().splitlines()[int(sys.argv[2])-1]); print(eval(sys.argv[3]))' "$1" "$2" "$3"
}

# alarm_state ID: the rule's state in alarmd's status
alarm_state() {
	st=$(eniscopectl call alarmd '{"cmd":"status"}') || return 1
	json_get "$st" "[r['state'] for r in j['rules'] if r['id']=='$1'][0]"
}
