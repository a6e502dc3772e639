#!/bin/sh
# A user who may not use a daemon's sockets is told so, naming the socket,
# at once: eniscopectl once said "no answer within 2000 ms" (ZeroMQ retries
# a refused connection until the timeout) or "not running" (when the run
# directory could not even be searched), and tap heard nothing, silently.
# Needs root to run meterd and then act as another user (setpriv); skipped
# (77) otherwise.
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (to act as an unprivileged user)"; exit 77; }
command -v setpriv >/dev/null || { echo "SKIP: no setpriv"; exit 77; }
. "$(dirname "$0")/lib.sh"

as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

echo '{"adc":{"source":"sim"},"meters":[{"id":1,"enabled":true}]}' >"$ENISCOPE_CONF"
meterd 2>"$T/meterd.err" &
METERD=$!
CLEANUP="$CLEANUP stop_meterd"
stop_meterd() { kill "$METERD" 2>/dev/null; wait "$METERD" 2>/dev/null; }
wait_until 10 "meterd answers status" eniscopectl status meterd
CTL="$ENISCOPE_RUNDIR/meterd.ctl"

# the sockets are root's (srwxr-xr-x): another user may see them, not connect
chmod 755 "$T" "$ENISCOPE_RUNDIR"
[ -w "$CTL" ] && as_nobody test -w "$CTL" && fail "nobody may write $CTL: the test proves nothing"

# runs as nobody: "$@" must fail within 1 s (the timeouts are 1 and 5 s),
# saying permission denied and naming the socket
denied() {
	what=$1
	shift
	start=$(date +%s%N)
	as_nobody "$@" >"$T/out" 2>&1 && fail "$what: succeeded as nobody: $(cat "$T/out")"
	ms=$((($(date +%s%N) - start) / 1000000))
	grep -q "permission denied: $CTL" "$T/out" || fail "$what: does not say permission denied on $CTL: $(cat "$T/out")"
	[ $ms -lt 1000 ] || fail "$what: took $ms ms"
	ok "$what: permission denied on the socket, in $ms ms"
}
denied "status" eniscopectl status meterd
denied "call" eniscopectl call meterd '{"cmd":"status"}'

# a run directory nobody may search: the same, not "not running"
chmod 700 "$ENISCOPE_RUNDIR"
denied "status, run directory closed" eniscopectl status meterd
chmod 755 "$ENISCOPE_RUNDIR"

# tap says which publisher it may not hear, instead of printing nothing
rc=0
as_nobody eniscopectl tap -n 1 -t 2 meter/ >"$T/tap.out" 2>"$T/tap.err" || rc=$?
[ $rc -ne 0 ] || fail "tap as nobody heard something: $(cat "$T/tap.out")"
grep -q "cannot connect to meterd: Permission denied ($ENISCOPE_RUNDIR/meterd.pub)" "$T/tap.err" ||
	fail "tap as nobody said: $(cat "$T/tap.err")"
[ "$(grep -c meterd "$T/tap.err")" = 1 ] || fail "tap said it more than once: $(cat "$T/tap.err")"
ok "tap names the publisher it may not connect to, once"

# root still gets through
eniscopectl status meterd >/dev/null || fail "root lost access"
ok "root is answered"
