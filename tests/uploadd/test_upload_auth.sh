#!/bin/sh
# 401 pauses the target with a clear status while the data stays in the
# store; saving the config with the right token resumes it at once (no
# restart), and everything arrives.  Basic auth (user name and password)
# reaches the receiver as an Authorization header too.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/upload_lib.sh"

N=800
start_receiver r
receiver_ctl r '{"auth":"Bearer right-token"}'
start_store -n $N -m 8
url="http://127.0.0.1:$RECV_PORT_r/up"
config_targets "[{\"name\":\"cloud\",\"enabled\":true,\"url\":\"$url\",\"token\":\"wrong-token\",\"batch_size\":200}]"
start_uploadd

wait_until 15 "the target pauses" target_is cloud 't["paused"] and t["state"] == "paused"'
target_is cloud 't["last_error"]["http"] == 401 and "credentials" in t["paused_reason"] and t["records_sent"] == 0' ||
	fail "paused status: $(target_status cloud t)"
st=$(eniscopectl call uploadd '{"cmd":"status"}')
json_get "$st" '"credentials" in j["fault"]' | grep -q True || fail "no fault in uploadd's status: $st"
tries=$(grep -c '"code": 401' "$T/r.log")
wait_until 15 "backlog is reported" target_is cloud "t['backlog'] == $N"
sleep 2
[ "$(grep -c '"code": 401' "$T/r.log")" -eq "$tries" ] || fail "a paused target kept knocking"
ok "401: paused ($(target_status cloud 't["paused_reason"]')), $N records kept, no hammering"

config_targets "[{\"name\":\"cloud\",\"enabled\":true,\"url\":\"$url\",\"token\":\"right-token\",\"batch_size\":200}]"
wait_until 15 "the backlog drains after the credentials change" target_is cloud 't["backlog"] == 0 and not t["paused"]'
check_delivery r $N 8 0
ok "new token saved: resumed without a restart, all $N records arrived"

# basic auth: user name and password (tried through the check-in, which
# carries the same credentials)
checkin_answered() {
	eniscopectl call uploadd '{"cmd":"checkin"}' >/dev/null
	grep -q "\"path\": \"/up/checkin\".*\"code\": $1" "$T/r.log"
}
receiver_ctl r "{\"auth\":\"Basic $(printf 'hub:s3cret' | base64)\"}"
config_targets "[{\"name\":\"cloud\",\"enabled\":true,\"url\":\"$url\",\"username\":\"hub\",\"password\":\"wrong\",\"checkin\":true}]"
wait_until 10 "basic auth with a wrong password is refused" checkin_answered 401
config_targets "[{\"name\":\"cloud\",\"enabled\":true,\"url\":\"$url\",\"username\":\"hub\",\"password\":\"s3cret\",\"checkin\":true}]"
wait_until 10 "basic auth is accepted" checkin_answered 200
ok "basic auth: refused with the wrong password, accepted with the right one"
