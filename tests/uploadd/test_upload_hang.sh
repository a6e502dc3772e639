#!/bin/sh
# A receiver that accepts the connection and then says nothing is cut off
# by the request timeout (and the low-speed limit), retried, and never
# holds back another target: a second receiver gets every record while
# the first hangs.  TERM stops uploadd within a few seconds even with a
# request hanging.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/upload_lib.sh"

N=1600
start_receiver slow
start_receiver good
receiver_ctl slow '{"hang":true}'
start_store -n $N -m 8
config_targets "[{\"name\":\"slow\",\"enabled\":true,\"url\":\"http://127.0.0.1:$RECV_PORT_slow/up\",\"timeout_s\":3,\"low_speed_bps\":1,\"low_speed_time_s\":2,\"retry_max_s\":2,\"batch_size\":100},
 {\"name\":\"good\",\"enabled\":true,\"url\":\"http://127.0.0.1:$RECV_PORT_good/up\",\"batch_size\":100}]"
start_uploadd

wait_until 60 "the good target drains" target_is good 't["backlog"] == 0 and t["records_sent"] == '$N
check_delivery good $N 8 0
target_is slow 't["records_sent"] == 0' || fail "the hanging receiver took records: $(target_status slow t)"
ok "one target hangs, the other delivered all $N records meanwhile"

wait_until 20 "the hanging request is cut off" target_is slow 't["failures"] >= 2 and t["last_error"]["curl"] == 28'
target_status slow 't["last_error"]["text"]'
ok "the hanging receiver is cut off by the timeout (curl 28) and retried"

hangs=$(grep -c '"hang"' "$T/slow.log")
[ "$hangs" -ge 2 ] || fail "expected repeated attempts at the hanging receiver, saw $hangs"

# TERM while a request hangs: out within a few seconds
wait_until 10 "a request is hanging" target_is slow 't["state"] == "sending"'
start=$(date +%s%N)
kill -TERM "$UPLOADD_PID"
wait "$UPLOADD_PID" || fail "uploadd exited with $?"
ms=$((($(date +%s%N) - start) / 1000000))
[ $ms -lt 3000 ] || fail "TERM to exit took $ms ms with a request hanging"
ok "TERM to exit in $ms ms with a request hanging"
