# Shared by the web integration tests: the simulated hub's daemons and
# lighttpd with the hub's own config (packaging/lighttpd), run script and
# pages (webcgi/www),
# under runsvdir, on free loopback ports; stopped pass or fail (lib.sh).
. "$SOURCE_DIR/tests/integration/lib.sh"

# start_web DAEMON...: the daemons named and lighttpd; sets HTTP_PORT and
# HTTPS_PORT and waits until lighttpd answers
start_web() {
	HTTP_PORT=$(free_port)
	HTTPS_PORT=$(free_port)
	export ENISCOPE_WWW=$SOURCE_DIR/webcgi/www ENISCOPE_CGI=$BUILD_DIR/webcgi ENISCOPE_VENDOR=$BUILD_DIR/webcgi/vendor ENISCOPE_LIGHTTPD_CONF=$SOURCE_DIR/packaging/lighttpd
	export ENISCOPE_HTTP_BIND=127.0.0.1 ENISCOPE_HTTP_PORT=$HTTP_PORT ENISCOPE_HTTPS_PORT=$HTTPS_PORT
	export PYTHONPATH=$SOURCE_DIR/tests/webcgi
	web_user
	start_runsvdir "$@" lighttpd
	wait_port "$HTTP_PORT" 20
	wait_port "$HTTPS_PORT" 20
}

# web_user: as root, lighttpd and the CGIs run as www-data, as on a device:
# the run and config directories set-group-id to its group (the daemons'
# sockets and the config then let it in), the scratch directory
# traversable; WEB_USER is who the CGIs run as
web_user() {
	WEB_USER=$(id -un)
	if [ "$(id -u)" = 0 ] && id www-data >/dev/null 2>&1; then
		WEB_USER=www-data
		export ENISCOPE_WEB_USER=www-data
		chmod 0711 "$T"
		chgrp www-data "$ENISCOPE_RUNDIR" "$(dirname "$ENISCOPE_CONF")"
		chmod 2770 "$ENISCOPE_RUNDIR" "$(dirname "$ENISCOPE_CONF")"
		[ ! -f "$ENISCOPE_CONF" ] || { chgrp www-data "$ENISCOPE_CONF"; chmod 0640 "$ENISCOPE_CONF"; }
	fi
}

# a demo-like config with simulated sources and two fake probes
web_config() {
	W=$T/w1
	for p in 28-0316a2799aff:21437 28-03172b4c11de:6812; do
		mkdir -p "$W/${p%:*}"
		printf '72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=%s\n' "${p#*:}" \
			>"$W/${p%:*}/w1_slave"
	done
	cat >"$ENISCOPE_CONF" <<JSON
{"adc":{"source":"sim"},
 "pulse_input":{"source":"sim"},
 "temps":{"w1_root":"$W","interval_s":1},
 "meters":[{"id":1,"enabled":true,"name":"Main"},{"id":2,"enabled":false}],
 "pulses":[{"id":1,"enabled":true,"name":"Gas","sim_pulses_per_hour":3600}]}
JSON
}

# web_clean: fails when a CGI run under the sanitizers reported anything
# (its stderr goes to lighttpd's log) or lighttpd logged a CGI crash
web_clean() {
	log=$ENISCOPE_LOGDIR/lighttpd/current
	wait_until 5 "lighttpd's log" test -f "$log"
	if grep -E 'Sanitizer|runtime error:|terminated by signal|cgi died' "$log"; then
		fail "a CGI reported errors (above)"
	fi
	ok "no sanitizer report nor crash in lighttpd's log"
}

