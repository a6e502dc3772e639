#!/bin/sh
# meson install puts what a hub needs under DESTDIR: every daemon and
# eniscopectl, the runit services (run and log/run working through their
# links), the web side (pages, lighttpd's config, CGIs), and the factory
# configuration, which is valid and is never overwritten by a second
# install.
. "$(dirname "$0")/lib.sh"

root="$T/root"
meson install -C "$BUILD_DIR" --no-rebuild --destdir "$root" >"$T/install.log" 2>&1 || {
	cat "$T/install.log"
	fail "meson install failed"
}
# the install directories, absolute: sysconfdir, datadir, libexecdir, prefix
set -- $(meson introspect "$BUILD_DIR" --buildoptions | python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
print(*[o[k] if o[k].startswith("/") else o["prefix"] + "/" + o[k] for k in ("sysconfdir", "datadir", "libexecdir")], o["prefix"])')
bin="$root$4/bin" etc="$root$1" share="$root$2/eniscope" cgi="$root$3/eniscope/cgi"
for d in meterd pulsed tempd storaged uploadd mqttd alarmd paneld updated; do
	[ -x "$bin/$d" ] || fail "$d is not installed in $bin"
	[ -d "$SOURCE_DIR/packaging/runit/$d" ] || continue
	run="$etc/sv/$d/run"
	[ -x "$run" ] || fail "$run is not executable"
	[ -x "$etc/sv/$d/log/run" ] || fail "$etc/sv/$d/log/run is not executable"
	cmp -s "$run" "$SOURCE_DIR/packaging/runit/daemon-run" || fail "$run is not daemon-run"
done
[ -x "$bin/eniscopectl" ] || fail "eniscopectl is not installed"
ok "daemons, eniscopectl and their runit services are installed"
[ -x "$root$4/sbin/eniscope-render" ] || fail "eniscope-render is not installed in $root$4/sbin"
[ -x "$root$3/eniscope/apt-check" ] || fail "updated's apt-check is not installed in $root$3/eniscope"
ok "eniscope-render and updated's apt-check are installed"

# the web side, where lighttpd's run script looks ($datadir/eniscope/www
# and .../lighttpd, the CGIs in $libexecdir/eniscope/cgi)
for f in www/admin/index.html www/admin/js/app.js www/js/api.js lighttpd/lighttpd.conf; do
	[ -f "$share/$f" ] || fail "$share/$f is not installed"
done
for c in api readings; do [ -x "$cgi/$c" ] || fail "the $c CGI is not installed in $cgi"; done
[ -x "$etc/sv/lighttpd/run" ] || fail "lighttpd's runit service is not installed"
ok "the admin pages, lighttpd's config, the CGIs and lighttpd's service are installed"

conf="$etc/eniscope/config.json"
[ -f "$conf" ] || fail "no configuration at $conf"
"$BUILD_DIR/eniscopectl/eniscopectl" config check "$conf" || fail "the factory configuration is not valid"
echo '{"version":1}' >"$conf"
meson install -C "$BUILD_DIR" --no-rebuild --destdir "$root" >"$T/install.log" 2>&1 || fail "a second install failed"
[ "$(cat "$conf")" = '{"version":1}' ] || fail "a second install overwrote the hub's configuration"
ok "the factory configuration is valid, and a reinstall keeps the hub's own"
