#!/bin/sh
# Issue 16's settings pages and the message catalogs in a real browser over
# the real web side (lighttpd, the CGIs, the simulated hub under runsvdir,
# as test_admin_browser.sh): admin_pages.mjs says what is checked.
# Screenshots: $BUILD_DIR/meson-logs/admin-pages/.
. "$SOURCE_DIR/tests/webcgi/web_lib.sh"
. "$SOURCE_DIR/tests/web/browser_lib.sh"
. "$SOURCE_DIR/tests/mqttd/mqtt_lib.sh"
. "$SOURCE_DIR/tests/uploadd/upload_lib.sh"

browser_setup
command -v mosquitto >/dev/null || { echo "SKIP: mosquitto not installed"; exit 77; }
# a registered hub (the registration page would come first otherwise)
web_config
python3 - "$ENISCOPE_CONF" <<'PY'
import json, sys
conf = json.load(open(sys.argv[1]))
conf["hub"] = {"company": "Acme Foods Ltd"}
json.dump(conf, open(sys.argv[1], "w"))
PY
# a broker and a receiver for the instance and the target the pages add
start_plain_broker
start_receiver r
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
start_web meterd pulsed tempd storaged uploadd mqttd alarmd readingsd

SHOTS=$BUILD_DIR/meson-logs/admin-pages
rm -rf "$SHOTS"
node "$SOURCE_DIR/tests/web/admin_pages.mjs" "http://127.0.0.1:$HTTP_PORT" "$SHOTS" "$NODE_DIR/node_modules" "$ENISCOPE_CONF" "$P" "$RECV_PORT_r" ||
	fail "the browser walk failed (screenshots in $SHOTS)"
ok "screenshots: $(ls "$SHOTS" | tr '\n' ' ')"
web_clean
