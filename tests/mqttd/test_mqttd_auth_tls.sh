#!/bin/sh
# Several instances, each to its own broker, each independent: with the
# right password and with TLS against the test's CA they publish every
# interval, while a wrong password, a wrong CA, a FIFO for a CA file, a
# broker that is down and a host name that does not resolve each show a
# clear reason in status/mqttd and never slow the working instances down.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/mqtt_lib.sh"

make_ca testca
make_ca otherca
make_server_cert testca server
mosquitto_passwd -c -b "$T/passwd" hub 's3cret pass' 2>/dev/null || fail "mosquitto_passwd failed"

PA=$(free_port)
start_broker auth "$PA" <<EOF2
allow_anonymous false
password_file $T/passwd
EOF2
PB=$(free_port)
start_broker tls "$PB" <<EOF2
allow_anonymous true
cafile $T/testca.crt
certfile $T/server.crt
keyfile $T/server.key
EOF2
PDOWN=$(free_port) # nothing listens there
mkfifo "$T/fifo.crt" # paho reading it would block its one thread, every instance's

cat >"$ENISCOPE_CONF" <<JSON
{"adc":{"source":"sim"},
 "meters":[{"id":1,"enabled":true}],
 "mqtt":[
  {"title":"password","enabled":true,"host":"127.0.0.1","port":$PA,"interval_s":1,"topic":"t/pass",
   "username":"hub","password":"s3cret pass","qos":1},
  {"title":"wrong password","enabled":true,"host":"127.0.0.1","port":$PA,"interval_s":1,"topic":"t/bad",
   "username":"hub","password":"guess"},
  {"title":"tls","enabled":true,"host":"127.0.0.1","port":$PB,"interval_s":1,"topic":"t/tls",
   "tls":true,"ca_file":"$T/testca.crt"},
  {"title":"wrong ca","enabled":true,"host":"127.0.0.1","port":$PB,"interval_s":1,"topic":"t/badca",
   "tls":true,"ca_file":"$T/otherca.crt"},
  {"title":"fifo ca","enabled":true,"host":"127.0.0.1","port":$PB,"interval_s":1,"topic":"t/fifo",
   "tls":true,"ca_file":"$T/fifo.crt"},
  {"title":"down","enabled":true,"host":"127.0.0.1","port":$PDOWN,"interval_s":1,"topic":"t/down",
   "queue_len":3},
  {"title":"no such host","enabled":true,"host":"broker.invalid","port":1883,"interval_s":1,"topic":"t/dns"}
 ]}
JSON
start_services meterd mqttd

wait_until 15 "the password instance connects" is_true instance password 'i["connected"]'
wait_until 15 "the TLS instance connects" is_true instance tls 'i["connected"]'
ok "connected with the right password and over TLS with the test's CA"

mosquitto_sub -h 127.0.0.1 -p "$PA" -u hub -P 's3cret pass' -t t/pass -C 5 -W 15 -F '%U %p' >"$T/pass.txt" ||
	fail "password instance: fewer than 5 readings in 15 s"
mosquitto_sub -h 127.0.0.1 -p "$PB" --cafile "$T/testca.crt" -t t/tls -C 5 -W 15 -F '%U %p' >"$T/tls.txt" ||
	fail "TLS instance: fewer than 5 readings in 15 s"
python3 - "$T/pass.txt" "$T/tls.txt" <<'PY' || fail "the working instances were slowed down"
import json, sys
for path in sys.argv[1:]:
    stamps = []
    for line in open(path):
        recv, payload = line.split(" ", 1)
        doc = json.loads(payload)
        assert [o["did"] for o in doc["rtdata"]] == [1]
        stamps.append(float(recv))
    gaps = [round(b - a, 2) for a, b in zip(stamps, stamps[1:])]
    assert all(g < 1.6 for g in gaps), f"{path}: gaps between readings {gaps}"
    print(f"{path.rsplit('/', 1)[1]}: arrival gaps {gaps} s")
PY
ok "the password and TLS instances deliver every second while five others fail"

expect_error() {
	wait_until 15 "$1 shows a last error" is_true instance "$1" '"last_error" in i'
	got=$(instance "$1" 'i["last_error"]')
	case "$got" in *"$2"*) ;; *) fail "$1: last_error '$got', want '$2'" ;; esac
	[ "$(instance "$1" 'i["connected"]')" = False ] || fail "$1 says connected"
	ok "$1: $got"
}
expect_error "wrong password" "not authorised"
expect_error "wrong ca" "TLS failure: certificate verify failed"
expect_error "fifo ca" "TLS file $T/fifo.crt: is a FIFO, not a regular file"
expect_error "down" "connection refused"
expect_error "no such host" "cannot resolve host name broker.invalid"

dropped=$(instance password 'i["messages_dropped"]')
[ "$dropped" = 0 ] || fail "the password instance dropped $dropped messages"
sent=$(instance password 'i["messages_sent"]')
[ "$sent" -ge 5 ] || fail "the password instance sent only $sent"
ok "password instance: $sent sent (QoS 1, acknowledged), none dropped"

# a full queue drops the oldest and counts it
wait_until 10 "the down instance drops from its full queue" is_true instance down 'i["messages_dropped"] >= 2'
q=$(instance down 'i["messages_queued"]')
[ "$q" = 3 ] || fail "the down instance holds $q messages, queue_len is 3"
ok "the down instance keeps its queue_len of 3 and counts $(instance down 'i["messages_dropped"]') dropped"
st=$(eniscopectl status --json mqttd)
case "$st" in *"s3cret"*) fail "status shows a password" ;; esac
ok "status never shows the password"
