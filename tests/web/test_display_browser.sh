#!/bin/sh
# The displays at / in a real browser over the real web side (lighttpd
# with the hub's config, CGIs and pages, readingsd and the simulated hub
# under runsvdir, tests/webcgi/web_lib.sh), driven by display_browser.mjs
# (headless Chromium, playwright-core): the Real-time Display moving with
# the simulated readings, its graph parameter and meter switched, the live
# stream's CGI killed and lighttpd restarted under it, the custom message,
# the Renewable Display, and the display password.  Screenshots:
# $BUILD_DIR/meson-logs/display-browser/.
. "$SOURCE_DIR/tests/webcgi/web_lib.sh"
. "$SOURCE_DIR/tests/web/browser_lib.sh"

browser_setup
command -v curl >/dev/null || { echo "SKIP: curl not installed (scripts/install-deps installs it)"; exit 77; }
[ -f "$BUILD_DIR/webcgi/vendor/uPlot.esm.js" ] || fail "the chart library was not built (webcgi/vendor: npm?)"

# two meters (the selector shows), a tariff, a time zone ahead of UTC, a
# custom message after 3 s; meter 2 a solar array and meter 1 the grid
# for the renewable part
web_config
python3 - "$ENISCOPE_CONF" <<'PY'
import json, sys
conf = json.load(open(sys.argv[1]))
conf["meters"] = [{"id": 1, "enabled": True, "name": "Main", "purpose": "grid", "temp_sensor": "28-0316a2799aff"},
                  {"id": 2, "enabled": True, "name": "Roof <b>PV</b>", "purpose": "renewable",
                   "renewable_source": "solar", "colour": "#ff8800", "max_power_w": 20000}]
# a time-of-use rate all week (the flat 0.25 never applies)
conf["interface"] = {"timezone": "Asia/Kolkata", "currency": "€", "price_per_kwh": 0.25,
                     "tou": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "00:00",
                              "end": "24:00", "price_per_kwh": 0.5}],
                     "co2_kg_per_kwh": 0.4, "graph": "power", "title": "Bakery"}
conf["messaging"] = {"enabled": True, "delay_s": 3, "duration_s": 4, "title": "Welcome <i>",
                     "body": "Switch off what you do not use."}
conf["renewable"] = {"title": "Our solar roof"}
json.dump(conf, open(sys.argv[1], "w"))
PY
# 40 days of history for meter 1, pulse input 1 and the probe, as a hub
# that has been running (tests/storaged/storefill)
"$BUILD_DIR/tests/storaged/storefill" "$ENISCOPE_DATA" 40 "$(date +%s)" || fail "storefill"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
start_web meterd storaged readingsd
wait_until 10 "readingsd's display-access" test -f "$ENISCOPE_RUNDIR/display-access"

SHOTS=$BUILD_DIR/meson-logs/display-browser
rm -rf "$SHOTS"
URL=http://127.0.0.1:$HTTP_PORT

# the stream's own form, before the browser: a retry hint, then data
# events a second apart, as text/event-stream
curl -s -N -D "$T/live.head" --max-time 3 "$URL/api/live" >"$T/live.body" || true
grep -qi '^Content-Type: text/event-stream' "$T/live.head" || fail "GET /api/live is not an event stream: $(cat "$T/live.head")"
head -1 "$T/live.body" | grep -qx 'retry: 2000' || fail "no retry hint first: $(head -3 "$T/live.body")"
n=$(grep -c '^data: {"age_s":' "$T/live.body")
[ "$n" -ge 2 ] && [ "$n" -le 4 ] || fail "$n data events in 3 s (want one a second): $(cat "$T/live.body")"
ok "GET /api/live: text/event-stream, retry hint, $n snapshots in 3 s"
# the client gone, its CGI ends by itself
wait_until 5 "the live CGI to end after its client left" sh -c "! ps --ppid \$(cat '$T/service/lighttpd/supervise/pid') -o comm= | grep -qx live"
ok "the live CGI ended when curl went"
# readingsd stopped: the stream says so once (event: stale), then keeps
# the connection alive with a comment line after 10 s of silence
sv down "$T/service/readingsd"
curl -s -N --max-time 16 "$URL/api/live" >"$T/stale.body" || true
sv up "$T/service/readingsd"
grep -q '^event: stale$' "$T/stale.body" && grep -q '^data: {"error":"readingsd: not running' "$T/stale.body" ||
	fail "no stale event with readingsd down: $(cat "$T/stale.body")"
[ "$(grep -c '^event: stale$' "$T/stale.body")" = 1 ] || fail "the stale event repeated: $(cat "$T/stale.body")"
grep -q '^: keep-alive$' "$T/stale.body" || fail "no keep-alive comment in 16 s of silence: $(cat "$T/stale.body")"
ok "readingsd down: one stale event naming it, then keep-alive comments"
wait_until 10 "a fresh snapshot again" sh -c "curl -s -N --max-time 2 '$URL/api/live' | grep -q '^data: {\"age_s\"'"

# as the installer would on the admin pages: the admin password set, the
# display password (Security, PUT /api/display-password: only its yescrypt
# hash is kept) and the company logo (Interface Options, PUT /api/logo);
# the walk switches security.display_login on at its end
curl -s -c "$T/jar" -H 'Content-Type: application/json' -d '{"username":"admin","password":"admin"}' \
	"$URL/api/login" >"$T/login"
csrf=$(json_get "$(cat "$T/login")" 'j["csrf"]')
curl -s -b "$T/jar" -c "$T/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	-d '{"current":"admin","new":"Display-test-admin-1"}' "$URL/api/password" >"$T/pw"
csrf=$(json_get "$(cat "$T/pw")" 'j["csrf"]') || fail "admin password not changed: $(cat "$T/pw")"
code=$(curl -s -o "$T/dp" -w '%{http_code}' -b "$T/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	-X PUT -d '{"password":"Lobby-screen-42"}' "$URL/api/display-password")
[ "$code" = 200 ] || fail "display password not set: HTTP $code $(cat "$T/dp")"
python3 - "$T/logo.png" <<'PY'
import struct, sys, zlib
w, h = 120, 40
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
rows = b"".join(b"\0" + bytes([0xff, 0x88, 0x00]) * w for _ in range(h))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
code=$(curl -s -o "$T/lp" -w '%{http_code}' -b "$T/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: image/png' \
	-X PUT --data-binary @"$T/logo.png" "$URL/api/logo")
[ "$code" = 200 ] || fail "logo not uploaded: HTTP $code $(cat "$T/lp")"
ok "admin password, display password and logo set through the API"

node "$SOURCE_DIR/tests/web/display_browser.mjs" "$URL" "$SHOTS" "$NODE_DIR/node_modules" "$T/service" \
	"$ENISCOPE_RUNDIR" "$ENISCOPE_CONF" ||
	fail "the browser walk failed (screenshots in $SHOTS)"
# a new display password (the admin's PUT) ends the display's sessions:
# whoever had the old one sees the display no more
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$T/djar" -H 'Content-Type: application/json' \
	-d '{"password":"Lobby-screen-42"}' "$URL/api/display/login")
[ "$code" = 200 ] || fail "display login: HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/djar" "$URL/api/display")
[ "$code" = 200 ] || fail "the display session does not see the display: HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	-X PUT -d '{"password":"Lobby-screen-43"}' "$URL/api/display-password")
[ "$code" = 200 ] || fail "display password not changed: HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$T/djar" "$URL/api/display")
[ "$code" = 401 ] || fail "the old display password's session still sees the display: HTTP $code"
ok "a new display password ends the display's sessions (200 before, 401 after)"

# the display password is rate limited as the admin's login (the walk
# ended with the right password, which cleared this address's count)
for i in 1 2 3; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"password":"guess'$i'"}' \
		"$URL/api/display/login")
	[ "$code" = 401 ] || fail "wrong display password $i: HTTP $code"
done
curl -s -D "$T/slow.head" -o "$T/slow.body" -H 'Content-Type: application/json' -d '{"password":"guess4"}' \
	"$URL/api/display/login" >/dev/null
grep -q '^HTTP/1.1 429' "$T/slow.head" && grep -qi '^Retry-After: [0-9]' "$T/slow.head" ||
	fail "the fourth wrong display password was not slowed: $(cat "$T/slow.head" "$T/slow.body")"
ok "three wrong display passwords: 401 each; the fourth waits (429, Retry-After)"
web_clean
ok "screenshots: $(ls "$SHOTS" | tr '\n' ' ')"
