#!/bin/sh
# paneld over a fake /sys/class/leds tree, a fake uploadd (its backlog in
# a file) and a FIFO of USER button edges (pulsed's edge lines, input 1):
# the brightness files over time show white/off normally, white/blue
# while an upload is pending, white/red while NTP sync has failed; the
# button at panel.time_scale 0.5 (the manual's 4 s and 30 s become 2 s
# and 15 s; check_button tests the real ones): a "3 s" press does nothing,
# a "5 s" press runs the reboot command (a script that records it), a
# power-on hold released in the red flashes cancels, one held to "30 s"
# runs the reset command and shows green.
. "$(dirname "$0")/../integration/lib.sh"

for c in red green blue; do
	mkdir -p "$T/leds/hub:$c"
	echo 255 >"$T/leds/hub:$c/max_brightness"
	echo 0 >"$T/leds/hub:$c/brightness"
done
mkfifo "$T/button"
exec 3<>"$T/button" # keeps the FIFO open: edges written before paneld starts wait in it
cat >"$T/record" <<SH
#!/bin/sh
echo "\$*" >>"$T/commands"
SH
chmod +x "$T/record"
: >"$T/commands"
echo 0 >"$T/backlog"

config() { # config REQUIRE_NTP_SYNC
	cat >"$ENISCOPE_CONF.new" <<JSON
{"network":{"require_ntp_sync":$1},
 "panel":{"leds_dir":"$T/leds","led_red":"hub:red","led_green":"hub:green","led_blue":"hub:blue",
          "button":"file:$T/button","time_scale":0.5,
          "reboot_command":["$T/record","reboot"],"reset_command":["$T/record","reset","all"]}}
JSON
	mv "$ENISCOPE_CONF.new" "$ENISCOPE_CONF"
}
config false
export SVDIR="$T/no-services"

"$BUILD_DIR/tests/paneld/fake_uploadd" "$T/backlog" 2>>"$T/fake_uploadd.log" &
UPL=$!
PANELD=
CLEANUP="$CLEANUP stop_all"
stop_all() {
	kill "$UPL" 2>/dev/null
	[ -z "$PANELD" ] || kill "$PANELD" 2>/dev/null
	wait
}
start_paneld() {
	paneld 2>>"$T/paneld.log" &
	PANELD=$!
	wait_until 10 "paneld answers" eniscopectl call paneld '{"cmd":"status"}'
}
stop_paneld() {
	kill "$PANELD"
	wait "$PANELD" || fail "paneld exited with $? on TERM"
	PANELD=
}
status() { eniscopectl call paneld '{"cmd":"status"}'; }
# is EXPR: the python expression on paneld's status (s) holds
is() { python3 -c 'import json,sys; s=json.loads(sys.argv[1]); sys.exit(0 if eval(sys.argv[2]) else 1)' "$(status)" "$1"; }

# seq SECONDS: the LED's colours over SECONDS as the brightness files
# show them, sampled every 10 ms, each change once: W white, O off, R, G, B
# (a colour seen in one sample only, between the writes of its three
# LEDs, is not one)
seq() {
	python3 - "$T/leds" "$1" <<'PY'
import sys, time
d, end = sys.argv[1], time.monotonic() + float(sys.argv[2])
names = {(1,1,1): "W", (0,0,0): "O", (1,0,0): "R", (0,1,0): "G", (0,0,1): "B"}
out, last, run = [], None, 0
while time.monotonic() < end:
    c = tuple(int(open(f"{d}/hub:{x}/brightness").read().strip() or 0) > 0 for x in ("red", "green", "blue"))
    c = names.get(tuple(int(v) for v in c), "?")
    run = run + 1 if c == last else 1
    last = c
    if run == 2 and (not out or out[-1] != c):
        out.append(c)
    time.sleep(0.01)
print(",".join(out))
PY
}
# alternates SEQ A B: SEQ is A and B alternating, at least 3 changes
alternates() {
	echo "$1" | python3 -c 'import sys; s=sys.stdin.read().strip().split(","); a,b=sys.argv[1:]; sys.exit(0 if len(s)>=3 and all(x in (a,b) for x in s) and all(s[i]!=s[i+1] for i in range(len(s)-1)) else 1)' "$2" "$3"
}

wait_until 10 "fake uploadd answers" eniscopectl call uploadd '{"cmd":"status"}'
start_paneld
wait_until 5 "normal pattern" is 's["led"]["pattern"]=="normal" and s["led"]["leds_missing"]==0'
s=$(seq 3.5)
alternates "$s" W O || fail "normal operation shows $s, want white/off"
ok "normal: white on/off at 1 s ($s)"

echo 5 >"$T/backlog"
wait_until 20 "upload pending" is 's["led"]["pattern"]=="upload_pending" and "cloud: 5 records pending" in s["led"]["reason"]'
s=$(seq 3.5)
alternates "$s" W B || fail "upload pending shows $s, want white/blue"
ok "upload pending: white/blue ($s)"
echo 0 >"$T/backlog"
wait_until 10 "back to normal" is 's["led"]["pattern"]=="normal"'

# NTP: with network.require_ntp_sync the kernel's flag counts; this
# machine runs no NTP client, so adjtimex says TIME_ERROR (5)
python3 -c 'import ctypes; b=ctypes.create_string_buffer(512); import sys; sys.exit(0 if ctypes.CDLL(None).adjtimex(b)==5 else 1)' ||
	fail "this machine's clock is NTP-synchronised: the ntp_failed case cannot be made here"
config true
wait_until 10 "ntp failed" is 's["led"]["pattern"]=="ntp_failed" and not s["ntp_synchronised"]'
s=$(seq 3.5)
alternates "$s" W R || fail "NTP failed shows $s, want white/red"
ok "ntp failed: white/red ($s)"
config false
export SVDIR="$T/no-services"
wait_until 10 "back to normal" is 's["led"]["pattern"]=="normal"'

# the button: "3 s" (1.5 s) does nothing
echo "0 1 1" >&3
sleep 1.5 # the user holding the button
echo "0 1 0" >&3
wait_until 5 "release seen" is 'not s["button"]["pressed"] and s["button"]["state"]=="up"'
[ ! -s "$T/commands" ] || fail "a 1.5 s press ran: $(cat "$T/commands")"
ok "a short press does nothing"

# "5 s" (2.5 s): the reboot command, once
echo "0 1 1" >&3
sleep 2.5 # the user holding the button
echo "0 1 0" >&3
wait_until 5 "reboot recorded" grep -qx reboot "$T/commands"
wait_until 5 "reboot command ended" is '"reboot: exited with status 0" == s["button"]["last_action"] and s["button"]["state"]=="rebooting"'
[ "$(wc -l <"$T/commands")" -eq 1 ] || fail "commands: $(cat "$T/commands")"
ok "a long press reboots (recorded)"

# held from power-on, released in the red flashes ("25..30 s"): cancelled
stop_paneld
: >"$T/commands"
echo "0 1 1" >&3
start_paneld
seq 14 >"$T/seq" &
SEQ=$!
wait_until 20 "resetting phase" is 's["led"]["pattern"]=="resetting" and s["button"]["state"]=="held_from_power_on"'
# the user holds on through part of the flashes (25..30 s, 2.5 s at this
# scale): released as soon as the phase began, a loaded machine could show
# one flash only
sleep 1.2
echo "0 1 0" >&3
wait_until 5 "cancelled" is 's["button"]["last_action"].startswith("factory reset cancelled") and s["led"]["pattern"]=="normal"'
wait "$SEQ" || fail "the LED sampler failed"
[ ! -s "$T/commands" ] || fail "a cancelled power-on hold ran: $(cat "$T/commands")"
s=$(cat "$T/seq")
case "$s" in W,O,R*) ;; *) fail "power-on hold shows $s, want white (powering on), off (booting), red..." ;; esac
case "$s" in *R,O,R*) ;; *) fail "power-on hold shows $s, want red flashes" ;; esac
for p in powering_on booting processing resetting; do
	grep -q "LED: $p" "$T/paneld.log" || fail "no $p phase in the log"
done
ok "power-on hold released in the red flashes: cancelled ($s)"

# held from power-on to "30 s": the reset command, green
stop_paneld
echo "0 1 1" >&3
start_paneld
wait_until 30 "reset recorded" grep -qx "reset all" "$T/commands"
wait_until 5 "factory reset shown" is 's["led"]["pattern"]=="factory_reset" and s["button"]["state"]=="factory_reset"'
[ "$(cat "$T/leds/hub:red/brightness") $(cat "$T/leds/hub:green/brightness") $(cat "$T/leds/hub:blue/brightness")" = "0 255 0" ] ||
	fail "factory reset LED is not green"
ok "power-on hold to 30 s: factory reset (recorded), green"

# an absent LED: one log line, the others still work
stop_paneld
rm -r "$T/leds/hub:blue"
start_paneld
wait_until 5 "one LED missing" is 's["led"]["leds_missing"]==1'
[ "$(grep -c "LED hub:blue" "$T/paneld.log")" -eq 1 ] || fail "the absent LED is not logged once: $(grep "hub:blue" "$T/paneld.log")"
ok "an absent LED is a no-op with one log line"

# the admin's Reboot and Reset Hub, asked on the control socket: the
# reboot command, and the one reset path (the real eniscopectl, on this
# test's scratch directories, no runit services: SVDIR names none)
: >"$T/commands"
r=$(eniscopectl call paneld '{"cmd":"reboot"}') || fail "reboot refused: $r"
json_get "$r" 'j["started"]' | grep -qx reboot || fail "reboot answer: $r"
wait_until 5 "reboot recorded" grep -qx reboot "$T/commands"
wait_until 5 "reboot command ended" is 's["button"]["last_action"]=="reboot: exited with status 0"'
r=$(eniscopectl call paneld '{"cmd":"reset","kind":"everything"}') && fail "a bad kind was taken: $r"
echo "$r" | grep -q 'kind: must be \\"data\\" or \\"all\\"' || fail "bad kind answer: $r"
echo '{"inputs":{"1":{"count":5}}}' >"$ENISCOPE_DATA/pulsed-counts.json"
r=$(eniscopectl call paneld '{"cmd":"reset","kind":"data"}') || fail "reset refused: $r"
wait_until 10 "reset data ended" is 's["button"]["last_action"]=="reset data: exited with status 0"'
[ ! -e "$ENISCOPE_DATA/pulsed-counts.json" ] || fail "reset data through paneld left the pulse counts"
grep -q "reset data: done" "$T/paneld.log" || fail "the reset's log lines are not in paneld's log"
ok "reboot and reset data asked on paneld's control socket run the reboot command and eniscopectl reset"
