#!/bin/sh
# The run directory is made by the services' run script, set-group-id to
# ENISCOPE_USER's group, even when the first service to start is one that
# stays root (meterd): its daemon used to make the directory itself,
# root's and 0755, so the unprivileged daemons could not bind there and
# nobody but root could reach meterd's sockets (seen in the package test
# when meterd won the race at boot).  Needs root (to run a service as
# nobody); skipped (77) otherwise.
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (an unprivileged ENISCOPE_USER)"; exit 77; }
command -v setpriv >/dev/null || { echo "SKIP: no setpriv"; exit 77; }
. "$(dirname "$0")/lib.sh"

chmod 755 "$T"
rmdir "$ENISCOPE_RUNDIR"
chgrp nogroup "$ENISCOPE_DATA"
chmod 2770 "$ENISCOPE_DATA"
cat >"$T/conf" <<CONF
ENISCOPE_RUNDIR=$ENISCOPE_RUNDIR
ENISCOPE_DATA=$ENISCOPE_DATA
ENISCOPE_CONF=$ENISCOPE_CONF
ENISCOPE_LOGDIR=$ENISCOPE_LOGDIR
ENISCOPE_USER=nobody
PATH=$PATH
CONF
echo '{"adc":{"source":"sim"},"meters":[{"id":1,"enabled":true}]}' >"$ENISCOPE_CONF"
chmod 644 "$ENISCOPE_CONF"

# meterd alone: the first and only service, and one that stays root
start_runsvdir meterd
SVWAIT=20 sv start "$T/service/meterd" >"$T/sv.out" 2>&1 || fail "meterd did not start: $(cat "$T/sv.out")"
[ "$(stat -c '%a %U:%G' "$ENISCOPE_RUNDIR")" = "2770 root:nogroup" ] ||
	fail "the run directory is $(stat -c '%a %U:%G' "$ENISCOPE_RUNDIR"), expected 2770 root:nogroup"
for s in ctl pub; do
	[ "$(stat -c '%a %G' "$ENISCOPE_RUNDIR/meterd.$s")" = "660 nogroup" ] ||
		fail "meterd.$s is $(stat -c '%a %G' "$ENISCOPE_RUNDIR/meterd.$s"), expected 660 nogroup"
done
setpriv --reuid=nobody --regid=nogroup --clear-groups eniscopectl status meterd >"$T/out" 2>&1 ||
	fail "the group's user cannot ask meterd: $(cat "$T/out")"
ok "meterd (root) started first: the run directory is 2770 root:nogroup, its sockets the group's, the group's user asks it"

# an unprivileged daemon can then bind there
cp -rL "$SOURCE_DIR/packaging/runit/storaged" "$T/service/storaged"
ln -s "$T/conf" "$T/service/storaged/conf"
wait_until 15 "runsvdir picks up storaged" test -p "$T/service/storaged/supervise/ok"
SVWAIT=20 sv start "$T/service/storaged" >"$T/sv.out" 2>&1 || fail "storaged (nobody) did not start: $(cat "$T/sv.out")"
ok "storaged, as nobody, binds in the same directory"
