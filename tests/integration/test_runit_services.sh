#!/bin/sh
# Every daemon's runit service as packaged (packaging/runit): run, log/run
# and check, with the environment from one file (./conf).
#  - `sv start` waits for each check (the daemon answers status), so every
#    daemon answers the moment it returns, and `sv check` says healthy;
#  - a daemon that cannot come up (its control socket's path taken) makes
#    `sv start` time out and its check fail, where runsv alone says "run";
#  - as root with ENISCOPE_USER, every daemon but meterd, paneld (and
#    updated, not run here: it would ask apt) runs as
#    that user, and the sockets are 0660 and the group's;
#  - svlogd gets its size rotation and floor (the s, n, N lines) from the
#    file.
. "$(dirname "$0")/lib.sh"

daemons="meterd pulsed tempd storaged uploadd mqttd alarmd paneld readingsd"
user=
if [ "$(id -u)" = 0 ]; then
	# nobody stands in for the package's eniscope user
	user=nobody
	chmod 755 "$T"
	chgrp nogroup "$ENISCOPE_RUNDIR" "$ENISCOPE_DATA" "$T/etc"
	chmod 2770 "$ENISCOPE_RUNDIR" "$ENISCOPE_DATA" "$T/etc"
fi
cat >"$T/conf" <<CONF
ENISCOPE_RUNDIR=$ENISCOPE_RUNDIR
ENISCOPE_DATA=$ENISCOPE_DATA
ENISCOPE_CONF=$ENISCOPE_CONF
ENISCOPE_LOGDIR=$ENISCOPE_LOGDIR
ENISCOPE_USER=$user
ENISCOPE_LOG_SIZE=4096
ENISCOPE_LOG_FILES=3
ENISCOPE_LOG_MIN_FILES=2
PATH=$PATH
CONF
cat >"$ENISCOPE_CONF" <<'JSON'
{"adc":{"source":"sim"},"meters":[{"id":1,"enabled":true}],"pulse_input":{"source":"sim"},
 "panel":{"button":"none","reboot_command":["true"],"reset_command":["true"]}}
JSON
chmod 644 "$ENISCOPE_CONF"
# tempd's control socket path is taken (a directory), so it cannot come up
mkdir "$ENISCOPE_RUNDIR/tempd.ctl"

# runsvdir does not see the variables: the services get them from ./conf
unset ENISCOPE_RUNDIR ENISCOPE_DATA ENISCOPE_CONF ENISCOPE_LOGDIR
start_runsvdir $daemons
set -a
. "$T/conf"
set +a

ready=
for d in $daemons; do [ "$d" = tempd ] || ready="$ready $T/service/$d"; done
SVWAIT=20 sv start $ready >"$T/sv.out" 2>&1 || fail "sv start failed: $(cat "$T/sv.out")"
for d in $daemons; do
	[ "$d" = tempd ] && continue
	eniscopectl status "$d" >/dev/null || fail "$d does not answer status although sv start returned"
done
SVWAIT=20 sv check $ready >"$T/sv.out" 2>&1 || fail "sv check failed: $(cat "$T/sv.out")"
ok "sv start returned once every daemon answered status; sv check says each is healthy"

rc=0
SVWAIT=3 sv start "$T/service/tempd" >"$T/sv.out" 2>&1 || rc=$?
[ $rc -ne 0 ] || fail "sv start said tempd is up though it cannot bind: $(cat "$T/sv.out")"
grep -q '^timeout' "$T/sv.out" || fail "sv start does not say timeout: $(cat "$T/sv.out")"
# (sv check itself runs ./check only while a process runs: between
# runit's restarts it sees nothing to check)
(cd "$T/service/tempd" && ./check) && fail "tempd's check passes though it cannot bind"
rmdir "$ENISCOPE_RUNDIR/tempd.ctl"
SVWAIT=20 sv start "$T/service/tempd" >"$T/sv.out" 2>&1 || fail "tempd did not come up once its socket path was free: $(cat "$T/sv.out")"
ok "a daemon that cannot bind its control socket fails sv start and its check, and passes once it can"

# the down state: a stopped daemon is not healthy
sv stop "$T/service/pulsed" >/dev/null
(cd "$T/service/pulsed" && ./check) && fail "pulsed's check passes while it is stopped"
SVWAIT=20 sv start "$T/service/pulsed" >/dev/null || fail "pulsed did not start again"
ok "a stopped daemon's check fails; sv start brings it back"

if [ -n "$user" ]; then
	for d in $daemons; do
		pid=$(json_get "$(eniscopectl status --json "$d")" "j['$d']['pid']")
		uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
		case $d in
		meterd | paneld) want=0 ;;
		*) want=$(id -u nobody) ;;
		esac
		[ "$uid" = "$want" ] || fail "$d (pid $pid) runs as uid $uid, expected $want"
		sock=$(stat -c '%a %G' "$ENISCOPE_RUNDIR/$d.ctl")
		[ "$sock" = "660 nogroup" ] || fail "$d.ctl is $sock, expected 660 nogroup"
	done
	ok "as root: every daemon but meterd and paneld runs as ENISCOPE_USER; every control socket is 0660, the group's"
fi

for d in $daemons; do
	cfg="$T/log/$d/config"
	[ "$(cat "$cfg" 2>/dev/null)" = "$(printf 's4096\nn3\nN2')" ] || fail "$cfg is not s4096/n3/N2: $(cat "$cfg" 2>/dev/null)"
done
wait_until 10 "meterd's log has its start line" grep -q "meterd" "$T/log/meterd/current"
ok "svlogd of every service: rotation at 4096 bytes, 3 old files, a floor of 2, from the file"

# rotation: each SIGHUP makes storaged log a line; 300 of them are ~25 kB
# of log, so svlogd rotates several times and keeps no more than 3 old files
pid=$(json_get "$(eniscopectl status --json storaged)" "j['storaged']['pid']")
python3 - "$pid" "$T/log/storaged" <<'PY' || fail "storaged did not log each SIGHUP"
import os, signal, sys, time
pid, d = int(sys.argv[1]), sys.argv[2]
def state():
    out = []
    for f in os.listdir(d):
        try:
            out.append((f, os.stat(os.path.join(d, f)).st_size))
        except FileNotFoundError:  # svlogd removed an old file meanwhile
            pass
    return sorted(out)
for i in range(300):
    before = state()
    os.kill(pid, signal.SIGHUP)
    end = time.monotonic() + 2
    while state() == before:  # its line reached the log (current grew or rotated)
        if time.monotonic() > end:
            sys.exit(f"no log line for SIGHUP {i}")
        time.sleep(0.005)
PY
old=$(ls "$T/log/storaged" | grep -c '^@' || true)
[ "$old" = 3 ] || fail "storaged's log has $old old files, expected 3 (n3) after ~25 kB: $(ls -l "$T/log/storaged")"
big=$(find "$T/log/storaged" -name current -size +4k)
[ -z "$big" ] || fail "current grew past 4096 bytes: $(ls -l "$T/log/storaged")"
ok "svlogd rotated storaged's log at 4096 bytes and kept 3 old files"
