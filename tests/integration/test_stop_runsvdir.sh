#!/bin/sh
# lib.sh's cleanup leaves nothing running: a service that ignores runsv's
# TERM (as an ASan daemon hung in LeakSanitizer's exit check does) is killed
# with its runsv and svlogd when the test that started it ends, instead of
# running on after its scratch directory is gone.
. "$(dirname "$0")/lib.sh"

# an inner test: one stubborn service under start_runsvdir's runsvdir
cat >"$T/inner.sh" <<'SH'
. "$SOURCE_DIR/tests/integration/lib.sh"
mkdir -p "$T/service/stubborn/log"
printf '#!/bin/sh\ntrap "" TERM\ntouch ../../started\nexec sleep 600\n' >"$T/service/stubborn/run"
printf '#!/bin/sh\nexec cat >/dev/null\n' >"$T/service/stubborn/log/run"
chmod +x "$T/service/stubborn/run" "$T/service/stubborn/log/run"
setsid runsvdir -P "$T/service" </dev/null >/dev/null 2>&1 &
RUNSVDIR_PID=$!
CLEANUP="$CLEANUP stop_runsvdir"
wait_until 10 "the stubborn service runs" test -f "$T/started"
echo "$T" >"$OUTER/inner_dir"
SH
OUTER=$T sh "$T/inner.sh" 2>"$T/inner.err" || fail "the inner test failed: $(cat "$T/inner.err")"
inner=$(cat "$T/inner_dir")
# what is left of the inner test's tree (cwd in its scratch directory)
leaked=
for p in $(pgrep -x runsv; pgrep -x sleep; pgrep -x cat); do
	case $(readlink "/proc/$p/cwd" 2>/dev/null) in
	"$inner"/*)
		leaked="$leaked $p ($(ps -o args= -p "$p"))"
		kill -KILL "$p"
		;;
	esac
done
[ -z "$leaked" ] || fail "outlived their test in $inner:$leaked"
grep -q "still running 10 s after runsvdir's stop, killed" "$T/inner.err" ||
	fail "the cleanup did not say what it killed: $(cat "$T/inner.err")"
ok "a service that ignores TERM is killed with its runsv at the end of its test"
