#!/bin/sh
# The commissioning pages in a real browser over the real web side:
# lighttpd with the hub's own config and CGIs, readingsd, and the simulated
# hub under runsvdir, all on loopback in a scratch directory.  Headless
# Chromium (Debian's chromium) driven by playwright-core (npm, pinned in
# package-lock.json, installed into the build tree with `npm ci`) walks the
# first commissioning (admin_browser.mjs); then the files the pages saved
# are checked here.  Screenshots of each step: $BUILD_DIR/meson-logs/admin-browser/.
. "$SOURCE_DIR/tests/integration/lib.sh"

for tool in /usr/bin/chromium node npm lighttpd openssl sv; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (scripts/install-deps installs it)"; exit 77; }
done

# playwright-core from the npm registry, once per build tree and again
# only when the lock file changes
NODE_DIR=$BUILD_DIR/tests/web-node
if ! cmp -s "$SOURCE_DIR/tests/web/package-lock.json" "$NODE_DIR/package-lock.json" ||
	[ ! -f "$NODE_DIR/node_modules/playwright-core/package.json" ]; then
	rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
	cp "$SOURCE_DIR/tests/web/package.json" "$SOURCE_DIR/tests/web/package-lock.json" "$NODE_DIR/"
	(cd "$NODE_DIR" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error) ||
		fail "npm ci of tests/web/package-lock.json (playwright-core) failed"
fi

# a hub as it leaves the factory, with the demo's simulated meters: not
# registered (no company), no admin password set yet, two 1-wire probes
W=$T/w1
for probe in 28-0316a2799aff:21437 28-03172b4c11de:6812; do
	mkdir -p "$W/${probe%:*}"
	printf '72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=%s\n' "${probe#*:}" >"$W/${probe%:*}/w1_slave"
done
cp "$SOURCE_DIR/packaging/demo/config.json" "$ENISCOPE_CONF"
eniscopectl config set temps.w1_root "$W" >/dev/null
eniscopectl config set hub.company '' >/dev/null
eniscopectl config set hub.site '' >/dev/null

HTTP_PORT=$(free_port)
HTTPS_PORT=$(free_port)
export ENISCOPE_WWW="$SOURCE_DIR/webcgi/www" ENISCOPE_CGI="$BUILD_DIR/webcgi" \
	ENISCOPE_LIGHTTPD_CONF="$SOURCE_DIR/packaging/lighttpd" ENISCOPE_HTTP_BIND=127.0.0.1 \
	ENISCOPE_HTTP_PORT="$HTTP_PORT" ENISCOPE_HTTPS_PORT="$HTTPS_PORT"
start_runsvdir meterd pulsed tempd storaged uploadd mqttd readingsd lighttpd
wait_port "$HTTP_PORT" 30
wait_port "$HTTPS_PORT" 30

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

# the factory password is gone
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
	-d '{"username":"admin","password":"admin"}' "http://127.0.0.1:$HTTP_PORT/api/login")
[ "$code" = 401 ] || fail "admin/admin still logs in after the change (HTTP $code)"
ok "admin/admin refused after the password change"
ok "screenshots: $(ls "$SHOTS" | tr '\n' ' ')"
