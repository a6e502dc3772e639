#!/bin/sh
# A storaged that answers one target's requests 2.5 s late (within the
# 3 s a request may take) holds up that target only: the other target
# delivers its whole backlog meanwhile, and uploadd answers "status" at
# once throughout.  uploadd used to wait for each answer inside its loop,
# so every late answer stalled the other target and its status 2.5 s.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/upload_lib.sh"

N=1600
start_receiver slowstore
start_receiver other
start_store -n $N -m 8 -d upload:slowstore:2500
config_targets "[{\"name\":\"slowstore\",\"enabled\":true,\"url\":\"http://127.0.0.1:$RECV_PORT_slowstore/up\",\"batch_size\":100},
 {\"name\":\"other\",\"enabled\":true,\"url\":\"http://127.0.0.1:$RECV_PORT_other/up\",\"batch_size\":100}]"
start=$(date +%s%N)
start_uploadd

# 16 batches, each a batch request and an ack (and reads ahead): with the
# loop waiting on the slow target's answers this took over 40 s
wait_until 20 "the other target drains" target_is other 't["records_sent"] == '$N
ms=$((($(date +%s%N) - start) / 1000000))
# (wait_until counts its tries, and each status waited too: the clock says)
[ $ms -lt 10000 ] || fail "the other target took $ms ms to deliver $N records: held up by the slow one"
check_delivery other $N 8 0
sent=$(target_status slowstore 't["records_sent"]')
[ "$sent" -lt $N ] || fail "the slow target finished too ($sent records): the delay did not bite"
ok "the other target delivered all $N records in $ms ms while the slow one had $sent"

# status while a slow answer is owed: under 1 s every time
for i in 1 2 3 4 5; do
	t0=$(date +%s%N)
	eniscopectl call uploadd '{"cmd":"status"}' >/dev/null || fail "no status"
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ $ms -lt 1000 ] || fail "status took $ms ms with storaged slow"
	worst=$((ms > ${worst:-0} ? ms : ${worst:-0}))
done
ok "status answered in at most $worst ms while storaged is slow for a target"

# the slow target gets on at its pace (2.5 s an answer): a few batches
wait_until 60 "the slow target gets on" target_is slowstore 't["records_sent"] >= 400 and t["last_error"] is None'
ok "the slow target delivers too, at storaged's pace, without an error"
