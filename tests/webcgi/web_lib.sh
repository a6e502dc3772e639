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
	export ENISCOPE_WWW=$SOURCE_DIR/webcgi/www ENISCOPE_CGI=$BUILD_DIR/webcgi ENISCOPE_LIGHTTPD_CONF=$SOURCE_DIR/packaging/lighttpd
	export ENISCOPE_HTTP_BIND=127.0.0.1 ENISCOPE_HTTP_PORT=$HTTP_PORT ENISCOPE_HTTPS_PORT=$HTTPS_PORT
	export PYTHONPATH=$SOURCE_DIR/tests/webcgi
	start_runsvdir "$@" lighttpd
	wait_port "$HTTP_PORT" 20
	wait_port "$HTTPS_PORT" 20
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
