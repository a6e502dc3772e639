#!/bin/sh
# Every daemon stopped by runit (runsv's TERM) leaves nothing behind in the
# run directory: its control and bus sockets are removed, so a stopped hub
# does not look like one whose daemons are hung (a client connects to a
# socket nobody serves and waits out its timeout).
. "$(dirname "$0")/lib.sh"

daemons="meterd pulsed tempd storaged uploadd mqttd alarmd paneld readingsd"
mkdir -p "$T/w1"
cat >"$ENISCOPE_CONF" <<JSON
{"adc":{"source":"sim"},"pulse_input":{"source":"sim"},"temps":{"w1_root":"$T/w1"},
 "panel":{"button":"none","leds_dir":"$T/leds"},
 "meters":[{"id":1,"enabled":true}]}
JSON
start_runsvdir $daemons
for d in $daemons; do
	wait_until 30 "$d answers status" eniscopectl status "$d"
done
sockets=$(find "$ENISCOPE_RUNDIR" -type s | sort | tr '\n' ' ')
for d in $daemons; do
	case " $sockets " in *"/$d.ctl "*) ;; *) fail "$d has no control socket: $sockets" ;; esac
done
ok "every daemon runs with its sockets: $sockets"

stop_runsvdir
CLEANUP=
left=$(find "$ENISCOPE_RUNDIR" -type s | sort | tr '\n' ' ')
[ -z "$left" ] || fail "sockets left after every daemon stopped: $left"
for d in $daemons; do
	grep -q "info: stopped" "$T/log/$d/current" || fail "$d did not say it stopped: $(tail -n 3 "$T/log/$d/current")"
done
ok "after runit stopped them, no socket is left and each daemon said it stopped"
