#!/bin/sh
# alarmd's mail through a real SMTP server (aiosmtpd) on loopback with
# TLS and AUTH, as a hub's provider asks for them:
# - STARTTLS with a self-signed certificate made here: refused until it is
#   trusted through smtp.ca_file, then sent over TLS, logged in with AUTH
#   LOGIN; AUTH PLAIN likewise;
# - implicit TLS (security "tls", the server socket wrapped in TLS);
# - a wrong password: the rule's mail is refused (535), the error shown in
#   alarmd's status, tried again after the backoff's wait (5 s, then 10 s),
#   kept across a SIGKILL of alarmd (its state file), and delivered once
#   the password is corrected.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/alarm_lib.sh"

mkdir -p "$T/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
	-keyout "$T/tls/key.pem" -out "$T/tls/cert.pem" 2>"$T/tls/openssl.log" || fail "openssl: $(cat "$T/tls/openssl.log")"
CERT=$T/tls/cert.pem
KEY=$T/tls/key.pem

start_servers --starttls "$CERT" "$KEY" --auth hub:s3cret --mechanisms LOGIN
cat >"$ENISCOPE_CONF" <<JSON
{"adc":{"source":"sim"},"meters":[{"id":1,"enabled":true}],
 "smtp":{"host":"127.0.0.1","port":$SMTP_PORT,"security":"starttls","username":"hub","password":"s3cret",
         "from":"hub@example.com"},
 "health_alarms":{"upload_backlog":false,"meter_silent":false,"wiring":false,"disk_full":false,"restart_loop":false}}
JSON
start_runsvdir meterd alarmd
M=$T/srv/mail.log
A=$T/srv/auth.log
wait_until 20 "alarmd answers" eniscopectl call alarmd '{"cmd":"status"}'

status_get() { st=$(eniscopectl call alarmd '{"cmd":"status"}') && json_get "$st" "$1"; }
test_done() { [ "$(status_get 'j["test_email"]["state"]')" != sending ]; }
# test_mail TO: one test e-mail; prints its state, and error when it failed
test_mail() {
	eniscopectl call alarmd "{\"cmd\":\"test-email\",\"to\":\"$1\"}" >/dev/null
	wait_until 40 "the test e-mail's result" test_done
	status_get 'j["test_email"]["state"] + " " + j["test_email"].get("error", "")'
}
last_mail() { line_get "$M" "$(lines "$M")" "$1"; }
last_auth() { line_get "$A" "$(lines "$A")" "$1"; }
# sent_as TO MECHANISM: a test e-mail to TO sent over TLS, logged in as
# hub with MECHANISM (any: not checked)
sent_as() {
	r=$(test_mail "$1")
	case $r in sent*) ;; *) fail "test e-mail to $1: $r" ;; esac
	[ "$(last_mail '(j["to"], j["tls"], j["login"])')" = "(['$1'], True, 'hub')" ] || fail "mail: $(tail -n 1 "$M")"
	[ "$2" = any ] || [ "$(last_auth '(j["mechanism"], j["ok"])')" = "('$2', True)" ] || fail "auth: $(cat "$A")"
}
# set_key KEY VALUE: a config change alarmd has applied (its own reload
# on the file's change is asynchronous: "reload" applies it now)
set_key() {
	eniscopectl config set "$1" "$2" >/dev/null
	eniscopectl call alarmd '{"cmd":"reload"}' >/dev/null
}

r=$(test_mail a@example.com)
case $r in failed*certificate*|failed*SSL*|failed*self*signed*) ;; *) fail "an untrusted certificate was accepted: $r" ;; esac
[ "$(lines "$M")" -eq 0 ] || fail "a mail went through an untrusted TLS session: $(cat "$M")"
ok "STARTTLS with a self-signed certificate not trusted: refused ($r)"

set_key smtp.ca_file "$CERT"
sent_as b@example.com LOGIN
ok "STARTTLS trusted through smtp.ca_file: sent over TLS, AUTH LOGIN as hub"

stop_servers
start_servers --starttls "$CERT" "$KEY" --auth hub:s3cret --mechanisms PLAIN
set_key smtp.port "$SMTP_PORT"
sent_as c@example.com PLAIN
ok "STARTTLS, AUTH PLAIN as hub"

stop_servers
start_servers --tls "$CERT" "$KEY" --auth hub:s3cret
set_key smtp.port "$SMTP_PORT"
r=$(test_mail d@example.com)
case $r in failed*) ;; *) fail "STARTTLS asked of an implicit-TLS port: $r" ;; esac
set_key smtp.security tls
sent_as d@example.com any
ok "implicit TLS (security tls): sent over TLS from the first byte, AUTH as hub"

# a wrong password: a rule's mail is refused, retried with the backoff
set_key smtp.password wrong
n_auth=$(lines "$A")
n_mail=$(lines "$M")
set_key alarms '[{"id":1,"meter":1,"phase":1,"quantity":"V","high":1,"title":"Volts","emails":["ops@example.com"],"recovery_s":2,"reminder_s":0}]'
failed_auths() { [ "$(tail -n +$((n_auth + 1)) "$A" | grep -c '"ok": false')" -ge "$1" ]; }
wait_until 30 "the first refused login" failed_auths 1
wait_until 30 "a second attempt" failed_auths 2
gap=$(python3 -c 'import json,sys; l=[json.loads(x) for x in open(sys.argv[1])][int(sys.argv[2]):]; print(round(l[1]["t"]-l[0]["t"],1))' "$A" "$n_auth")
python3 -c "import sys; sys.exit(not 4.5 <= $gap <= 8)" || fail "second attempt $gap s after the first, want the backoff's 5 s: $(cat "$A")"
err=$(status_get 'j["deliveries"]["last_error"]')
case $err in *535*|*[Ll]ogin*) ;; *) fail "the refusal is not in alarmd's status: $err" ;; esac
[ "$(status_get 'j["deliveries"]["pending"]')" -ge 1 ] || fail "the mail was dropped: $(status_get 'j["deliveries"]')"
[ "$(lines "$M")" -eq "$n_mail" ] || fail "a mail went through with the wrong password"
ok "wrong password: refused, shown in alarmd's status ($err), tried again $gap s later (backoff 5 s)"

# alarmd killed while the mail waits: kept in its state file, not lost
pid=$(cat "$T/service/alarmd/supervise/pid")
kill -KILL "$pid"
alarmd_new() { [ "$(cat "$T/service/alarmd/supervise/pid")" != "$pid" ] && eniscopectl call alarmd '{"cmd":"status"}'; }
wait_until 20 "alarmd started again" alarmd_new
[ "$(alarm_state 1)" = raised ] || fail "state after the restart: $(alarm_state 1)"
[ "$(status_get 'j["deliveries"]["pending"]')" -ge 1 ] || fail "the waiting mail was lost in the restart: $(status_get 'j["deliveries"]')"
ok "alarmd killed with the mail waiting: after its restart the alarm is raised and the mail still waits"

set_key smtp.password s3cret
wait_until 40 "the rule's mail once the password is right" has_lines "$M" $((n_mail + 1))
[ "$(last_mail '(j["subject"], j["tls"], j["login"])')" = "('Volts', True, 'hub')" ] || fail "mail: $(tail -n 1 "$M")"
[ "$(status_get 'j["deliveries"]["pending"]')" -eq 0 ] || fail "still pending: $(status_get 'j["deliveries"]')"
[ "$(lines "$M")" -eq $((n_mail + 1)) ] || fail "mails: $(tail -n 3 "$M")"
ok "the password corrected: the mail that waited across the restart delivered once, no second raise"
