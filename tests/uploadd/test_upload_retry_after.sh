#!/bin/sh
# 429 and 503 with Retry-After: uploadd waits what the receiver asked,
# given in seconds or as an HTTP-date, then delivers everything; 408 and
# 502 are retried too (uploaders that stop for good after one of those
# are what users complain about).
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/upload_lib.sh"

N=3000
start_receiver r
receiver_ctl r '{"fail":429,"fail_count":1,"retry_after":"3","delay":0.3}' # slow: still draining at the end
start_store -n $N -m 8
config_targets "[{\"name\":\"cloud\",\"enabled\":true,\"url\":\"http://127.0.0.1:$RECV_PORT_r/up\",\"batch_size\":100}]"
start_uploadd
wait_until 30 "delivery after the 429" has_accepted r 100

# gap between the answer that asked to wait and the next request
gap() {
	python3 - "$T/r.log" "$1" <<'PY'
import json, sys
es = [json.loads(l) for l in open(sys.argv[1])]
i = max(k for k, e in enumerate(es) if e["code"] == int(sys.argv[2]))
print("%.2f" % (es[i + 1]["t"] - es[i]["t"]))
PY
}
g=$(gap 429)
python3 -c "import sys; sys.exit(not 2.9 <= $g < 6)" || fail "next request $g s after a 429 with Retry-After: 3"
ok "429 Retry-After: 3 -> next request after $g s"

date=$(python3 -c 'import email.utils, time; print(email.utils.formatdate(time.time() + 4, usegmt=True))')
receiver_ctl r "{\"fail\":503,\"fail_count\":1,\"retry_after\":\"$date\"}"
wait_until 20 "the 503 is answered" grep -q '"code": 503' "$T/r.log"
wait_until 30 "a request after the 503" gap 503
g=$(gap 503)
python3 -c "import sys; sys.exit(not 2.5 <= $g < 7)" || fail "next request $g s after a 503 with Retry-After: $date"
ok "503 Retry-After: $date -> next request after $g s"

receiver_ctl r '{"fail":408,"fail_count":2,"retry_after":null}'
wait_until 20 "the 408s are answered" sh -c "[ \$(grep -c '\"code\": 408' '$T/r.log') -ge 2 ]"
receiver_ctl r '{"fail":502,"fail_count":2,"delay":0}'
wait_until 60 "the backlog drains" target_is cloud 't["backlog"] == 0 and t["state"] == "idle"'
check_delivery r $N 8 0
ok "408 and 502 retried; all $N records arrived"
