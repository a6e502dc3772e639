#!/bin/sh
# An outage: the receiver is down while 6 hours of 8 meters' minutes wait
# in the store; uploadd retries on its own (no restart) and, when the
# receiver is back, every record arrives, none missing, none twice.  Then
# the receiver dies again in the middle of the drain and comes back:
# duplicates only where a batch was in flight.  Records whose time is not
# known are never sent, and are set aside instead of blocking the queue.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/upload_lib.sh"

N=2880 # 6 h x 60 min x 8 meters
start_receiver r1
port=$RECV_PORT_r1
stop_receiver r1 # the port is known, nobody listens: connection refused
start_store -n $N -m 8 -u 97
config_targets "[{\"name\":\"cloud\",\"enabled\":true,\"url\":\"http://127.0.0.1:$port/up\",\"batch_size\":200,\"retry_max_s\":2}]"
start_uploadd

wait_until 20 "uploadd sees the outage" target_is cloud 't["failures"] >= 3'
# between two tries the target also passes through asking storaged for the
# batch: wait for the backoff state rather than sample one moment
wait_until 10 "backoff with curl's connect error and nothing sent" \
	target_is cloud 't["state"] == "backoff" and t["last_error"]["curl"] == 7 and t["records_sent"] == 0'
wait_until 15 "backlog is reported" target_is cloud "t['backlog'] == $N"
ok "receiver down: uploadd backs off, says why (curl 7), backlog $N"

start_receiver r1 --port=$port
receiver_ctl r1 '{"delay":0.05}' # a slow link, so the drain can be cut in the middle
wait_until 60 "the drain starts" has_accepted r1 1000
stop_receiver r1
has_accepted r1 $((N - N / 97)) && fail "drained before the second outage: nothing was in flight"
wait_until 20 "uploadd sees the second outage" target_is cloud 't["failures"] >= 2'
start_receiver r1 --port=$port
wait_until 60 "the backlog drains" target_is cloud 't["backlog"] == 0 and t["state"] == "idle"'
check_delivery r1 $N 8 200 97
unknown=$((N / 97))
[ "$(wc -l <"$T/aside.log")" -eq $unknown ] || fail "expected $unknown set aside: $(cat "$T/aside.log")"
grep -v "time not known" "$T/aside.log" && fail "set aside for another reason"
ok "receiver back, down mid-drain, back: all $((N - unknown)) records arrived, duplicates at most a batch; the $unknown with unknown time set aside, never sent"
