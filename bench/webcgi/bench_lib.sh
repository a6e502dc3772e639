# Shared by the webcgi benchmarks: a scratch hub directory, meterd
# (simulated, 3 meters) and readingsd, and lighttpd from the hub's own
# config and run script on a free loopback port; everything stopped at
# exit.  Needs build and src set.  Sets T, port, base, lpid (lighttpd:
# the run script execs it) and pids.
T=$(mktemp -d /tmp/eniscope-bench-web.XXXXXX)
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.05; done; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$T/run" "$T/data" "$T/etc" "$T/www"
echo '{"adc":{"source":"sim"},"meters":[{"id":1,"enabled":true},{"id":2,"enabled":true},{"id":3,"enabled":true}]}' \
	>"$T/etc/config.json"
export ENISCOPE_RUNDIR=$T/run ENISCOPE_DATA=$T/data ENISCOPE_CONF=$T/etc/config.json
export ENISCOPE_WWW=$T/www ENISCOPE_CGI=$build/webcgi ENISCOPE_LIGHTTPD_CONF=$src/packaging/lighttpd
export ENISCOPE_HTTP_BIND=127.0.0.1 ENISCOPE_HTTP_PORT=$port ENISCOPE_HTTPS_PORT=$((port + 1))
"$build/meterd/meterd" 2>"$T/meterd.log" &
pids="$pids $!"
"$build/webcgi/readingsd" 2>"$T/readingsd.log" &
pids="$pids $!"
"$src/packaging/runit/lighttpd/run" >"$T/lighttpd.log" 2>&1 &
lpid=$!
pids="$pids $lpid"
base=http://127.0.0.1:$port
