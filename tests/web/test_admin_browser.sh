#!/bin/sh
# The commissioning pages in a real browser over the real web side:
# lighttpd with the hub's own config, CGIs and pages, readingsd, and the
# simulated hub under runsvdir, all on loopback in a scratch directory
# (tests/webcgi/web_lib.sh).  Headless Chromium (Debian's chromium) driven
# by playwright-core (npm, pinned in package-lock.json, installed into the
# build tree with `npm ci`) walks the first commissioning
# (admin_browser.mjs); then the files the pages saved are checked here.
# Screenshots of each step: $BUILD_DIR/meson-logs/admin-browser/.
. "$SOURCE_DIR/tests/webcgi/web_lib.sh"
. "$SOURCE_DIR/tests/web/browser_lib.sh"

browser_setup

# a hub as it leaves the factory, with simulated meters and two 1-wire
# probes (web_config): not registered (no company), no admin password set;
# one MQTT instance for System Status to list
# (written into the file: an eniscopectl run here, before start_web gives
# the config directory to the web user's group, would leave a lock file
# the CGIs cannot open)
web_config
# updated's commands record their arguments (0.1.0-1 installed, 0.2.0-1 offered)
. "$SOURCE_DIR/tests/updated/fake_apt.sh"
fake_apt "$T"
python3 - "$ENISCOPE_CONF" "$T" <<'PY'
import json, sys
conf = json.load(open(sys.argv[1]))
conf["mqtt"] = [{"title": "Local broker", "host": "127.0.0.1", "topic": "eniscope/demo"}]
t = sys.argv[2]
conf["panel"] = {"button": "none", "leds_dir": t + "/leds", "reboot_command": [t + "/reboot"], "reset_command": ["true"]}
conf["update"] = {"check_command": [t + "/check"], "install_command": [t + "/install", "-y"]}
json.dump(conf, open(sys.argv[1], "w"))
PY
# Reboot runs this: the hub (its web side) goes away for 3 s and comes
# back, as a reboot looks from the browser; the page must come back by
# itself.  Reset Hub's "data" runs the real eniscopectl through paneld on
# this test's services.
mkdir -p "$T/leds"
cat >"$T/reboot" <<SH
#!/bin/sh
echo reboot >>"$T/reboot.out"
sv -w 10 down "$T/service/lighttpd"
sleep 3
sv up "$T/service/lighttpd"
SH
chmod +x "$T/reboot"
export SVDIR="$T/service" REBOOT_RECORD="$T/reboot.out"
# The daemons without LeakSanitizer's exit check (ASan builds): under
# load it can hang a daemon's exit for good, and this test restarts meterd
# (a hung exit kept runsv from starting it again).  Their leaks are the
# business of their own tests and valgrind; this one is about the pages.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
start_web meterd pulsed tempd storaged uploadd mqttd alarmd paneld updated readingsd

# the miswired installation the walk switches the ADC to at its end
python3 "$SOURCE_DIR/tests/meterd/miswired_replay.py" >"$T/wiring.csv"
export WIRING_REPLAY=$T/wiring.csv

SHOTS=$BUILD_DIR/meson-logs/admin-browser
rm -rf "$SHOTS"
node "$SOURCE_DIR/tests/web/admin_browser.mjs" "http://127.0.0.1:$HTTP_PORT" "https://127.0.0.1:$HTTPS_PORT" "$SHOTS" "$NODE_DIR/node_modules" "$T/service" ||
	fail "the browser walk failed (screenshots in $SHOTS)"

# what the pages saved is in the config file, as typed
conf() { json_get "$(eniscopectl config get "$1")" "$2"; }
[ "$(conf hub 'j["company"]')" = "Acme Foods Ltd" ] || fail "hub.company not saved"
[ "$(conf network 'j["hostname"], j["dhcp"], j["ip"]')" = "('bakery-hub-7', False, '192.168.0.61')" ] ||
	fail "network not saved: $(eniscopectl config get network)"
m4=$(conf 'meters[3]' '(j["name"], j["enabled"], j["ct_input"], j["purpose"], j["ct_rating_a"], j["max_power_w"], j["ct_cal"][1]["gain"])')
[ "$m4" = "('<script>window.pwned=1</script> Workshop & \"Bay\" 4', True, 4, 'renewable', 120, 12000, 1.02)" ] ||
	fail "meter 4 not saved as typed: $m4"
[ -n "$(conf 'meters[3]' 'j["temp_sensor"]')" ] || fail "meter 4's probe not saved"
ok "config holds what the pages saved (hub, network, meter 4 with its name as typed)"

[ "$(cat "$T/installs")" = "-y eniscope-hub" ] || fail "the page's update ran: $(cat "$T/installs" 2>&1)"
ok "the System Status page's update ran the update command once, with the package"
[ "$(conf update 'j["apt_url"]')" = "https://apt.example.com/eniscope" ] || fail "update.apt_url not saved"
ok "the update source the page saved is in the config"

# the factory password is gone
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
	-d '{"username":"admin","password":"admin"}' "http://127.0.0.1:$HTTP_PORT/api/login")
[ "$code" = 401 ] || fail "admin/admin still logs in after the change (HTTP $code)"
ok "admin/admin refused after the password change"
ok "screenshots: $(ls "$SHOTS" | tr '\n' ' ')"
