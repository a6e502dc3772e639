#!/bin/sh
# mqtt_lib.sh stops every broker a test started when the test ends, pass or
# fail, also one started at the end of a pipeline (a subshell), as
# start_plain_broker does: before, such a broker outlived its test (dozens
# were left running on a shared machine).
. "$(dirname "$0")/../integration/lib.sh"

# what a faulty library leaves behind is stopped here, so this test leaks
# nothing either
LEFT=""
kill_left() { for p in $LEFT; do kill "$p" 2>/dev/null; done; }
CLEANUP="$CLEANUP kill_left"

for outcome in pass fail; do
	sh -c '
		. "$SOURCE_DIR/tests/integration/lib.sh"
		. "$SOURCE_DIR/tests/mqttd/mqtt_lib.sh"
		start_plain_broker
		echo "$P $(cat "$T"/plain*pid)" >"$1"
		[ "$2" = pass ]
	' child "$T/pid.$outcome" "$outcome" >/dev/null 2>&1 || true
	read -r port pid <"$T/pid.$outcome" || fail "the child test started no broker ($outcome)"
	LEFT="$LEFT $pid"
	closed() { ! python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$port"; }
	wait_until 5 "the broker of a test that ended ($outcome) is stopped (port $port)" closed
	ok "a test that ended ($outcome) left no broker running"
done
