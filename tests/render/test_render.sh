#!/bin/sh
# eniscope-render over config files into scratch roots: the normal files
# (DHCP, static) equal the golden files under golden/; a second run
# changes nothing; other lines of /etc/hosts are kept; switching to DHCP
# leaves resolv.conf to the DHCP client and an emptied source removes its
# file; a hostile value in the config writes no file at all; Avahi's file
# is well-formed XML whatever the site's name.
. "$SOURCE_DIR/tests/integration/lib.sh"
golden="$SOURCE_DIR/tests/render/golden"

render() { # CONFIG ROOT: eniscope-render's stdout in $T/out, stderr in $T/err
	eniscope-render -c "$1" --root "$2" >"$T/out" 2>"$T/err"
}

# DHCP, the defaults with a fixed uid and a site that needs escaping
cat >"$T/dhcp.json" <<'JSON'
{"hub":{"mac":"00:01:02:03:04:05","site":"Acme & Sons <HQ> \"Caf\u00e9\" 'n'"},
 "update":{"apt_url":"https://apt.example.com/eniscope"}}
JSON
mkdir "$T/dhcp"
render "$T/dhcp.json" "$T/dhcp" || fail "DHCP render: $(cat "$T/err")"
diff -ru "$golden/dhcp" "$T/dhcp" || fail "DHCP files differ from $golden/dhcp"
[ "$(wc -l <"$T/out")" -eq 7 ] || fail "DHCP render listed $(cat "$T/out")"
xmllint --noout "$T/dhcp/etc/avahi/services/eniscope.service" || fail "Avahi file is not well-formed"
ok "DHCP: the golden files, 7 listed, Avahi's XML well-formed"

render "$T/dhcp.json" "$T/dhcp" || fail "second render: $(cat "$T/err")"
[ ! -s "$T/out" ] || fail "second render changed $(cat "$T/out")"
ok "a second render changes nothing"

# static, over a hosts file with lines of its own
cat >"$T/static.json" <<'JSON'
{"hub":{"mac":"00:01:02:03:04:05"},
 "network":{"hostname":"meter-room-2","ntp":"10.0.0.1","dhcp":false,"ip":"10.0.0.50","netmask":"255.255.255.0",
            "gateway":"10.0.0.1","dns1":"10.0.0.2","dns2":"10.0.0.3","interface":"end0"}}
JSON
mkdir -p "$T/static/etc"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tdebian\n10.0.0.9\tserver\n' >"$T/static/etc/hosts"
render "$T/static.json" "$T/static" || fail "static render: $(cat "$T/err")"
diff -ru "$golden/static" "$T/static" || fail "static files differ from $golden/static"
ok "static: the golden files, other hosts lines kept"

# back to DHCP: resolv.conf is the DHCP client's now; no apt source, no NTP server
cat >"$T/back.json" <<'JSON'
{"hub":{"mac":"00:01:02:03:04:05"},"network":{"ntp":""}}
JSON
cp -r "$T/dhcp" "$T/back"
cp "$T/static/etc/resolv.conf" "$T/back/etc/resolv.conf"
render "$T/back.json" "$T/back" || fail "back to DHCP: $(cat "$T/err")"
cmp -s "$T/static/etc/resolv.conf" "$T/back/etc/resolv.conf" || fail "resolv.conf touched under DHCP"
[ ! -e "$T/back/etc/apt/sources.list.d/eniscope.list" ] || fail "apt source kept without update.apt_url"
[ ! -e "$T/back/etc/chrony/sources.d/eniscope.sources" ] || fail "chrony source kept without network.ntp"
grep -qx /etc/apt/sources.list.d/eniscope.list "$T/out" || fail "removal not listed: $(cat "$T/out")"
ok "back to DHCP: resolv.conf left alone, emptied sources removed"

# hostile values: refused by name, nothing written
n=0
while IFS='|' read -r field json; do
	[ -n "$field" ] || continue
	n=$((n + 1))
	printf '%s\n' "$json" >"$T/bad.json"
	rm -rf "$T/bad" && mkdir "$T/bad"
	if render "$T/bad.json" "$T/bad"; then fail "$field: rendered $json"; fi
	grep -q "$field" "$T/err" || fail "$field: the message does not name it: $(cat "$T/err")"
	[ -z "$(find "$T/bad" -mindepth 1)" ] || fail "$field: files written: $(find "$T/bad" -mindepth 1)"
done <<'ROWS'
network.hostname|{"network":{"hostname":"eni;reboot"}}
network.hostname|{"network":{"hostname":"eni\nscope"}}
network.hostname|{"network":{"hostname":"$(reboot)"}}
network.hostname|{"network":{"hostname":"h\u00e9llo"}}
network.hostname|{"network":{"hostname":"a123456789012345678901234567890123456789012345678901234567890123"}}
network.interface|{"network":{"interface":"eth0\niface lo inet static"}}
network.interface|{"network":{"interface":"eth0\" ; x"}}
network.ip|{"network":{"dhcp":false,"ip":"10.0.0.5\n\tup reboot","netmask":"255.0.0.0","gateway":"10.0.0.1"}}
network.gateway|{"network":{"dhcp":false,"ip":"10.0.0.5","netmask":"255.0.0.0","gateway":""}}
network.dns1|{"network":{"dhcp":false,"ip":"10.0.0.5","netmask":"255.0.0.0","gateway":"10.0.0.1","dns1":"1.1.1.1\nnameserver 6.6.6.6"}}
network.ntp|{"network":{"ntp":"pool.ntp.org iburst\nserver evil.example"}}
network.ntp|{"network":{"ntp":"'pool.ntp.org'"}}
update.apt_url|{"update":{"apt_url":"https://a.example/ bookworm main\ndeb http://evil.example/ x y"}}
update.apt_suite|{"update":{"apt_url":"https://a.example/","apt_suite":"bookworm main"}}
update.apt_components|{"update":{"apt_url":"https://a.example/","apt_components":"main\ndeb http://evil.example/ x"}}
update.apt_keyring|{"update":{"apt_url":"https://a.example/","apt_keyring":"/k.gpg] http://evil.example/"}}
ROWS
ok "$n hostile configs refused, each by name, no file written"
