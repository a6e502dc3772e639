#!/bin/sh
# Attacks on the admin over lighttpd with the hub's own config and run
# script, over the simulated hub (attack_checks.py says which).
. "$(dirname "$0")/web_lib.sh"
web_config
start_web meterd readingsd
mkdir -p "$T/marker"
python3 "$SOURCE_DIR/tests/webcgi/attack_checks.py" "$HTTP_PORT" "$ENISCOPE_CONF" "$T/marker"
web_clean

# the admin only over HTTPS: a second lighttpd, same run script, with
# ENISCOPE_ADMIN_HTTPS_ONLY=1
P2=$(free_port)
S2=$(free_port)
ENISCOPE_HTTP_PORT=$P2 ENISCOPE_HTTPS_PORT=$S2 ENISCOPE_ADMIN_HTTPS_ONLY=1 \
	setsid "$SOURCE_DIR/packaging/runit/lighttpd/run" >"$T/lighttpd2.log" 2>&1 &
L2=$!
CLEANUP="$CLEANUP stop_l2"
stop_l2() { kill "$L2" 2>/dev/null && while kill -0 "$L2" 2>/dev/null; do sleep 0.05; done; }
wait_port "$P2" 20
wait_port "$S2" 20
loc=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$P2/admin/")
[ "$loc" = "301 https://127.0.0.1:$S2/admin/" ] || fail "https-only: /admin/ over HTTP answered $loc"
ok "https-only: /admin/ over HTTP redirects to HTTPS"
body=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$P2/api/session")
[ "$body" = '{"error":"the admin is served only over HTTPS"} 403' ] || fail "https-only: API over HTTP: $body"
ok "https-only: the API over HTTP answers 403"
body=$(curl -s -w ' %{http_code}' -X POST -H 'Content-Type: application/json' -d '{"username":"admin","password":"x"}' "http://127.0.0.1:$P2/api/login")
[ "$body" = '{"error":"the admin is served only over HTTPS"} 403' ] || fail "https-only: the admin login over HTTP: $body"
ok "https-only: the admin login over HTTP answers 403"
# the display is open here (no display password): served over HTTP, the
# live stream's first bytes within its 2 s, history's refusal its own 400
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P2/api/display")" = 200 ] ||
	fail "https-only: /api/display over HTTP is not served"
curl -s -m 2 "http://127.0.0.1:$P2/api/live" | grep -q '^retry:' || fail "https-only: /api/live over HTTP sends no stream"
body=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$P2/api/history")
case $body in *'HTTPS'*) fail "https-only: /api/history over HTTP: $body" ;; esac
ok "https-only: the displays' calls stay on HTTP for the wall screens"
code=$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$S2/api/session")
[ "$code" = 401 ] || fail "https-only: the API over HTTPS answered $code"
ok "https-only: the API over HTTPS is served (401 without a session)"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host:' --http1.0 "http://127.0.0.1:$P2/admin/")
[ "$code" = 403 ] || fail "https-only: /admin/ over HTTP without a Host answered $code"
ok "https-only: /admin/ over HTTP without a Host is refused"
