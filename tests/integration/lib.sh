# Shared by the integration tests: a scratch hub directory and helpers.
# Every test runs in its own temp dir, on Unix sockets and loopback only,
# and cleans up whatever it started, also when it fails.
set -eu
: "${BUILD_DIR:?run through meson test}" "${SOURCE_DIR:?run through meson test}"

T=$(mktemp -d /tmp/eniscope-it.XXXXXX)
export ENISCOPE_RUNDIR="$T/run" ENISCOPE_DATA="$T/data" ENISCOPE_CONF="$T/etc/config.json" ENISCOPE_LOGDIR="$T/log"
mkdir -p "$ENISCOPE_RUNDIR" "$ENISCOPE_DATA" "$T/etc" "$ENISCOPE_LOGDIR" "$T/service"
for d in "$BUILD_DIR"/*/; do PATH="$d:$PATH"; done
export PATH

CLEANUP=""
cleanup() {
	status=$?
	for c in $CLEANUP; do eval "$c" || true; done
	if [ $status -ne 0 ]; then
		echo "--- logs of the failed run ($T/log):"
		for f in "$T"/log/*/current; do [ -f "$f" ] && { echo "== $f"; tail -n 30 "$f"; }; done
	fi
	rm -rf "$T"
	exit $status
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

ok() {
	echo "ok: $*"
}

# start_runsvdir SERVICE...: copies the named packaging/runit services and
# supervises them; stopped (HUP, then wait) at exit.  When the test wrote
# $T/conf, each service's ./conf links to it (the services' one
# environment file, packaging/runit/daemon-run), so sv and the check
# scripts see the test's settings too.
start_runsvdir() {
	for svc in "$@"; do
		cp -rL "$SOURCE_DIR/packaging/runit/$svc" "$T/service/$svc"
		[ ! -f "$T/conf" ] || ln -s "$T/conf" "$T/service/$svc/conf"
	done
	setsid runsvdir -P "$T/service" </dev/null >"$T/runsvdir.log" 2>&1 &
	RUNSVDIR_PID=$!
	CLEANUP="$CLEANUP stop_runsvdir"
	# sv talks to runsv through supervise/ok, there once runsv runs
	for svc in "$@"; do wait_until 10 "runsv of $svc" test -p "$T/service/$svc/supervise/ok"; done
}

stop_runsvdir() {
	# runsvdir exits at once on HUP while its runsv children are still
	# stopping and writing supervise/: wait for those too, or removing $T
	# races them.  A daemon that does not stop on runsv's TERM (seen: an
	# ASan build hanging in LeakSanitizer's exit check, spinning at 10 % CPU
	# for good) would outlive the test with its runsv and svlogd: every
	# process of the tree still there after the wait is named and killed.
	tree=$(s_descendants "$RUNSVDIR_PID")
	kill -HUP "$RUNSVDIR_PID" 2>/dev/null || return 0
	i=0
	while [ $i -lt 100 ]; do
		alive=
		for p in "$RUNSVDIR_PID" $tree; do kill -0 "$p" 2>/dev/null && { alive=$p; break; }; done
		[ -n "$alive" ] || break
		sleep 0.1
		i=$((i + 1))
	done
	# only processes working in $T: a pid that ended may be someone else's by now
	left=$(for p in $tree $(for q in $tree; do s_descendants "$q"; done); do
		case $(readlink "/proc/$p/cwd" 2>/dev/null) in "$T"/*) echo "$p" ;; esac; done | sort -u)
	[ -z "$left" ] && return 0
	echo "warning: still running 10 s after runsvdir's stop, killed:" >&2
	ps -o pid=,args= -p "$(echo $left | tr ' ' ',')" >&2 || true
	kill -KILL $left 2>/dev/null || true
}

# s_descendants PID: the pids of every process below PID
s_descendants() {
	for c in $(pgrep -P "$1" 2>/dev/null); do
		echo "$c"
		s_descendants "$c"
	done
}

# json_get FILE-OR-TEXT EXPR: evaluates a python expression on j (the parsed JSON)
json_get() {
	python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}

# wait_until SECONDS WHAT COMMAND...: polls COMMAND every 0.1 s until it
# succeeds; fails the test naming WHAT when it never does
wait_until() {
	limit=$(($1 * 10))
	what=$2
	shift 2
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -le $limit ] || fail "$what: not within ${limit}00 ms"
		sleep 0.1
	done
}

# free_port: a TCP port nobody listens on right now
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port PORT [SECONDS]: until something accepts on 127.0.0.1:PORT
wait_port() {
	python3 - "$1" "${2:-10}" <<'PY' || fail "nothing listens on 127.0.0.1:$1"
import socket, sys, time
port, limit = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while True:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        break
    except OSError:
        if time.monotonic() > limit:
            sys.exit(1)
        time.sleep(0.05)
PY
}
