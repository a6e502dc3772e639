#!/bin/sh
# The Debian package in a Debian 12 root (tests/package/test-root, made
# once and kept; each run works on an overlay of it, so the cached root
# stays clean):
#  1. version N (the changelog's) installs: users, directories, config,
#     services linked into /etc/service, dhclient.conf diverted; the boot
#     script renders the network files; under runsvdir (the root has no
#     init) every service's check passes, the daemons run as eniscope,
#     a reading comes through eniscopectl tap and over MQTT, the web API
#     (lighttpd's CGIs as www-data) logs in, asks the daemons and serves
#     the readings;
#  2. the update: with N running, configured (a hand-edited config of
#     schema version 0, a site name, MQTT) and with data stored (a minute
#     in the store, energy registers), N+1 (built from the tree with a
#     bumped version) installs over it: the config is migrated with its
#     values, the store, registers and admin password are kept, every
#     service is back with the new programs;
#  3. purge removes the config, data, logs, services and rendered files,
#     stops the services, and gives dhclient.conf back;
#  4. lintian finds no error in the package.
# Needs root (chroot, mount) and debootstrap; skipped (77) otherwise.
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (chroot, mount)"; exit 77; }
for t in debootstrap dpkg-buildpackage lintian; do
	command -v $t >/dev/null || { echo "SKIP: no $t (scripts/install-deps installs it)"; exit 77; }
done
. "$SOURCE_DIR/tests/integration/lib.sh"

cached=$("$SOURCE_DIR/tests/package/test-root") || fail "no Debian 12 root (tests/package/test-root)"

# version N and N+1 from this tree, one compilation
N=$(dpkg-parsechangelog -l "$SOURCE_DIR/packaging/debian/changelog" -S Version)
N1="$N+update1"
# (PACKAGE_TEST_DEBS="N.deb N1.deb": those, when working on this test)
if [ -n "${PACKAGE_TEST_DEBS:-}" ]; then
	echo "$PACKAGE_TEST_DEBS" | tr ' ' '\n' >"$T/debs.txt"
else
	"$SOURCE_DIR/scripts/build-deb" -v "$N" -v "$N1" "$T/debs" >"$T/debs.txt" 2>"$T/build-deb.err" ||
		fail "scripts/build-deb failed: $(tail -n 20 "$T/build-deb.err")"
fi
deb_n=$(sed -n 1p "$T/debs.txt")
deb_n1=$(sed -n 2p "$T/debs.txt")
ok "built $(basename "$deb_n") and $(basename "$deb_n1")"

lintian --fail-on error "$deb_n1" >"$T/lintian.out" 2>&1 || fail "lintian: $(grep '^E:' "$T/lintian.out")"
ok "lintian: no error ($(grep -c '^W:' "$T/lintian.out") warnings)"

# the working root: an overlay on the cached one, with /proc
R="$T/root"
mkdir -p "$R" "$T/ovl/upper" "$T/ovl/work"
mount -t overlay overlay -o "lowerdir=$cached,upperdir=$T/ovl/upper,workdir=$T/ovl/work" "$R" ||
	fail "cannot mount an overlay on $cached"
CLEANUP="root_down $CLEANUP"
mount -t proc proc "$R/proc"
# root_down: every process working in the root ends (runsvdir first, so
# nothing is restarted), then the mounts go
root_down() {
	for p in $(root_pids); do case $(cat "/proc/$p/comm" 2>/dev/null) in runsvdir) kill -HUP "$p" ;; esac; done
	i=0
	while [ -n "$(root_pids)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	left=$(root_pids)
	[ -z "$left" ] || kill -KILL $left 2>/dev/null
	umount "$R/proc" 2>/dev/null
	umount "$R" 2>/dev/null
}
# root_pids: the processes whose root directory is the scratch root
root_pids() {
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$R" ] && echo "${p#/proc/}"
	done
}
# (with a clean environment: the test's ENISCOPE_* are not the root's)
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
# the package's services (the root's runit has its own too)
svcs="meterd pulsed tempd storaged uploadd mqttd alarmd paneld readingsd updated lighttpd"
sv_all() { in_root env SVWAIT="$1" sv "$2" $(for s in $svcs; do echo "/etc/service/$s"; done); }
# svpid SERVICE: its process id, as runsv says
svpid() { in_root sv status "/etc/service/$1" | sed -n 's/^run: [^:]*: (pid \([0-9]*\)).*/\1/p'; }

# the hub's ports on this machine's loopback (the root shares the network)
http_port=$(free_port)
https_port=$(free_port)
mqtt_port=$(free_port)

cp "$deb_n" "$deb_n1" "$R/tmp/"
in_root dpkg -i "/tmp/$(basename "$deb_n")" >"$T/dpkg.out" 2>&1 || fail "dpkg -i of $N: $(tail -n 20 "$T/dpkg.out")"
in_root id eniscope >/dev/null || fail "no user eniscope after the install"
in_root id -nG www-data | grep -qw eniscope || fail "www-data is not in group eniscope"
for s in meterd storaged mqttd lighttpd; do
	[ "$(in_root readlink "/etc/service/$s")" = "/etc/sv/$s" ] || fail "/etc/service/$s is not linked to /etc/sv/$s"
done
[ "$(in_root stat -c "%a %U:%G" /etc/eniscope)" = "2770 root:eniscope" ] || fail "/etc/eniscope is $(in_root stat -c "%a %U:%G" /etc/eniscope)"
in_root eniscopectl config check /etc/eniscope/config.json >/dev/null || fail "the factory config is not valid"
ok "$N installs: users, set-group-id directories, the factory config, services linked into /etc/service"

# the boot script renders the system's files (life's eniscope-render,
# docs/SYSTEM.md) over the distribution's dhclient.conf, diverted aside
dhclient_sum=$(md5sum <"$R/etc/dhcp/dhclient.conf.distrib") || fail "isc-dhcp-client's dhclient.conf is not diverted aside"
in_root /etc/init.d/eniscope-render start >"$T/render.out" 2>&1 || fail "the boot script failed: $(cat "$T/render.out")"
for f in /etc/network/interfaces.d/eniscope /etc/dhcp/dhclient.conf /etc/avahi/services/eniscope.service; do
	[ -s "$R$f" ] || fail "the boot script did not render $f: $(cat "$T/render.out")"
done
grep -q '192.168.1.227' "$R/etc/dhcp/dhclient.conf" || fail "the rendered dhclient.conf has no fallback address"
ok "the boot script renders the network, dhclient (the distribution's diverted aside) and Avahi files"

# the administrator's settings: ports, and a config as a hand edit of schema
# version 0 would leave it (ct_rating, mqtt interval without units)
sed -i "s/^ENISCOPE_HTTP_PORT=.*/ENISCOPE_HTTP_PORT=$http_port/; s/^ENISCOPE_HTTPS_PORT=.*/ENISCOPE_HTTPS_PORT=$https_port/; s/^ENISCOPE_HTTP_BIND=.*/ENISCOPE_HTTP_BIND=127.0.0.1/" \
	"$R/etc/default/eniscope-hub"
cat >"$R/etc/eniscope/config.json" <<JSON
{"adc":{"source":"sim"},"pulse_input":{"source":"sim"},"hub":{"site":"Plant 7"},
 "meters":[{"id":1,"enabled":true,"ct_rating":60}],
 "mqtt":[{"enabled":true,"host":"127.0.0.1","port":$mqtt_port,"topic":"pkgtest","interval":1}]}
JSON
cat >"$R/tmp/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence false
CONF
in_root setsid mosquitto -c /tmp/mosquitto.conf </dev/null >"$T/mosquitto.log" 2>&1 &
wait_port "$mqtt_port"
# the root's init would: runsvdir on /etc/service
in_root setsid runsvdir -P /etc/service </dev/null >/dev/null 2>&1 &
for s in $svcs; do wait_until 15 "runsv of $s" test -p "$R/etc/sv/$s/supervise/ok"; done
# root_logs: the end of each service's log in the root, for a failure
root_logs() { for f in "$R"/var/log/eniscope/*/current; do echo "== $f"; tail -n 5 "$f"; done; }
sv_all 30 start >"$T/sv.out" 2>&1 || fail "sv start in the root: $(cat "$T/sv.out"; root_logs)"
sv_all 5 check >"$T/sv.out" 2>&1 || fail "sv check in the root: $(cat "$T/sv.out")"
ok "under runsvdir every service's check passes: $(grep -c '^ok' "$T/sv.out") services"

for d in storaged mqttd uploadd readingsd; do
	pid=$(svpid "$d")
	u=$(in_root ps -o user= -p "$pid")
	[ "$u" = eniscope ] || fail "$d runs as $u, not eniscope"
done
ok "the daemons run as eniscope"

in_root eniscopectl tap -n 1 -t 10 meter/1/rt >"$T/tap.out" ||
	fail "no meter/1/rt on the bus: $(in_root eniscopectl status meterd; tail -n 5 "$R/var/log/eniscope/meterd/current")"
grep -q '"V1"' "$T/tap.out" || fail "the tap's reading has no V1: $(cat "$T/tap.out")"
mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -t pkgtest -C 1 -W 15 >"$T/mqtt.out" || fail "no reading on MQTT"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))["rtdata"][0]; assert j["did"] == 1 and 200 < j["V1"] < 260, j' "$T/mqtt.out" ||
	fail "the MQTT reading is wrong: $(cat "$T/mqtt.out")"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/admin/")
[ "$code" = 200 ] || fail "lighttpd answers /admin/ with $code"
ok "a reading through eniscopectl tap and on MQTT; lighttpd serves the admin"
# the CGIs, as www-data in group eniscope, reach the daemons' sockets and
# readingsd's snapshot
PYTHONPATH="$SOURCE_DIR/tests/webcgi" python3 - "$http_port" <<'PY' || fail "the web API cannot reach the hub"
import sys
from webclient import admin, check, wait_for
c = admin(int(sys.argv[1]))
r = c.get("/api/status")
d = {x["name"]: x for x in r.json["daemons"]}
check(r.status == 200 and d["meterd"]["running"] and d["storaged"]["running"], "/api/status: the CGI asks the daemons", r)
wait_for("meter 1 in /api/readings", lambda: (lambda r: r.status == 200 and r.json["rtdata"])(c.get("/api/readings")), 15)
PY
ok "the web API (www-data) logs in, asks the daemons and reads the readings"

# data stored with N: a minute in the store (the first whole minute
# after the start) and the energy registers
# store FIELD: a number from storaged's stats (wherever it is in the answer)
store() {
	in_root eniscopectl call storaged '{"cmd":"stats"}' | python3 -c '
import json, sys
def find(o, k):
    if isinstance(o, dict):
        if k in o: return o[k]
        for v in o.values():
            r = find(v, k)
            if r is not None: return r
print(find(json.load(sys.stdin), sys.argv[1]) or 0)' "$1"
}
i=0
until [ "$(store rows)" -gt 0 ]; do
	i=$((i + 1))
	[ $i -le 150 ] || fail "no minute stored by $N within 75 s: $(in_root eniscopectl call storaged '{"cmd":"stats"}')"
	sleep 0.5
done
rows_n=$(store rows)
oldest_n=$(store oldest)
e_n=$(in_root eniscopectl tap -n 1 -t 10 meter/1/rt | python3 -c 'import json,sys; print(json.load(sys.stdin)["payload"]["E"])')
pids_n=$(for d in meterd storaged mqttd lighttpd; do svpid "$d"; done)
ok "$N stored $rows_n rows from minute $oldest_n; meter 1's energy register reads $e_n Wh"

# the update, with N running
in_root dpkg -i "/tmp/$(basename "$deb_n1")" >"$T/dpkg.out" 2>&1 || fail "dpkg -i of $N1 over $N: $(tail -n 20 "$T/dpkg.out")"
[ "$(in_root dpkg-query -W -f '${Version}' eniscope-hub)" = "$N1" ] || fail "the installed version is not $N1"
python3 - "$R/etc/eniscope/config.json" "$mqtt_port" <<'PY' || fail "the config was not migrated with its values: $(cat "$R/etc/eniscope/config.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["version"] == 1, j
m1 = [m for m in j["meters"] if m["id"] == 1][0]
assert m1["ct_rating_a"] == 60 and "ct_rating" not in m1, m1
assert j["mqtt"][0]["interval_s"] == 1 and j["mqtt"][0]["port"] == int(sys.argv[2]), j["mqtt"]
assert j["hub"]["site"] == "Plant 7" and j["adc"]["source"] == "sim", j
PY
grep -q "^ENISCOPE_HTTP_PORT=$http_port$" "$R/etc/default/eniscope-hub" || fail "the update replaced the administrator's /etc/default/eniscope-hub"
ok "$N -> $N1: the config is migrated to version 1 with every value; /etc/default/eniscope-hub kept"

sv_all 30 start >"$T/sv.out" 2>&1 || fail "services after the update: $(cat "$T/sv.out"; root_logs)"
for d in meterd storaged mqttd lighttpd; do
	pid=$(svpid "$d")
	for old in $pids_n; do [ "$pid" != "$old" ] || fail "$d was not restarted by the update (pid $pid)"; done
	case $(readlink "/proc/$pid/exe") in *deleted*) fail "$d still runs the replaced program" ;; esac
done
ok "every service is back, restarted with the new programs"

[ "$(store oldest)" = "$oldest_n" ] || fail "the store's oldest minute changed: $oldest_n -> $(store oldest)"
[ "$(store rows)" -ge "$rows_n" ] || fail "the store lost rows: $rows_n -> $(store rows)"
e_n1=$(in_root eniscopectl tap -n 1 -t 10 meter/1/rt | python3 -c 'import json,sys; print(json.load(sys.stdin)["payload"]["E"])')
python3 -c "import sys; sys.exit(0 if $e_n1 >= $e_n else 1)" || fail "meter 1's energy register went back: $e_n -> $e_n1 Wh"
mosquitto_sub -h 127.0.0.1 -p "$mqtt_port" -t pkgtest -C 1 -W 15 >/dev/null || fail "no reading on MQTT after the update"
PYTHONPATH="$SOURCE_DIR/tests/webcgi" python3 - "$http_port" <<'PY' || fail "the admin password set with $N does not log in after the update"
import sys
from webclient import Client, check
r = Client(int(sys.argv[1])).login("admin", "correct horse battery")
check(r.status == 200 and not r.json["must_change_password"], "the password set with N logs in", r)
PY
ok "data kept: the store still starts at minute $oldest_n with $(store rows) rows, E $e_n -> $e_n1 Wh; the admin password too; readings on MQTT again"

# purge, with the services running
in_root dpkg --purge eniscope-hub >"$T/dpkg.out" 2>&1 || fail "dpkg --purge: $(tail -n 20 "$T/dpkg.out")"
for p in /etc/eniscope /var/lib/eniscope /var/log/eniscope /etc/sv/meterd /etc/runit/runsvdir/default/meterd /etc/default/eniscope-hub /usr/bin/meterd; do
	[ ! -e "$R$p" ] && [ ! -L "$R$p" ] || fail "$p is still there after the purge"
done
wait_until 10 "the hub's processes end after the purge" sh -c "! ps -o comm= -p \"\$(echo $(root_pids) | tr ' ' ',')\" | grep -Eq 'meterd|storaged|lighttpd|svlogd'"
[ "$(md5sum <"$R/etc/dhcp/dhclient.conf")" = "$dhclient_sum" ] || fail "the distribution's dhclient.conf is not back after the purge"
for f in /etc/network/interfaces.d/eniscope /etc/avahi/services/eniscope.service; do
	[ ! -e "$R$f" ] || fail "$f, rendered, is still there after the purge"
done
ok "purge stops the services and removes config, data, logs, services and the rendered files; dhclient.conf is the distribution's again"
