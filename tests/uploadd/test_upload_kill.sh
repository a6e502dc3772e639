#!/bin/sh
# uploadd killed with SIGKILL in the middle of a batch, three times, loses
# nothing: the cursor moved only after a 2xx, so the restarted uploadd
# sends the unacknowledged slice again.  Duplicates are at most one batch
# per kill, and each is a record the receiver already had (same rid).
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/upload_lib.sh"

N=4000
start_receiver r
receiver_ctl r '{"delay":0.25}' # each batch stays in flight a while
start_store -n $N -m 8
config_targets "[{\"name\":\"cloud\",\"enabled\":true,\"url\":\"http://127.0.0.1:$RECV_PORT_r/up\",\"batch_size\":100}]"
start_uploadd
for k in 1 2 3; do
	wait_until 60 "delivery goes on before kill $k" has_accepted r $((k * 1000 - 500))
	wait_until 10 "a batch is in flight" target_is cloud 't["state"] == "sending"'
	kill -KILL "$UPLOADD_PID"
	wait "$UPLOADD_PID" 2>/dev/null || true
	start_uploadd
done
ok "killed with SIGKILL three times mid-batch"
receiver_ctl r '{"delay":0}'
wait_until 60 "the backlog drains" target_is cloud 't["backlog"] == 0 and t["state"] == "idle"'
check_delivery r $N 8 300
ok "every record arrived after the kills"
