#!/bin/sh
# meterd's real libiio path, without the hardware: a fake IIO device that
# libiio's local backend reads like a real one.  In a mount namespace of
# this test's own, a tmpfs on /sys/bus holds the sysfs tree of
# /sys/bus/iio/devices/iio:device0 (sysfs itself takes no new files, and
# this kernel may have no /sys/bus/iio to mount over), and an overlay on
# /dev holds a FIFO at /dev/iio:device0; fake_iio_adc.py plays the driver:
# once libiio has enabled the buffer it writes scans of known sine waves in
# the layout the scan elements declare.  Through the bus, meterd must read
# them as the meters the waves make; when the device goes silent and then
# disappears, its status must say so while it keeps running, and readings
# must resume when the device is back; a scan layout it cannot read is
# refused by name.
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root, to mount a fake /sys/bus/iio and /dev/iio:device0 in a private mount namespace (unshare -m)"
	exit 77
fi
# Everything from here runs in the private namespace: no mount leaks out,
# and all of them vanish with the test's last process.
if [ -z "${IIO_FAKE_NS:-}" ]; then
	IIO_FAKE_NS=1 exec unshare -m --propagation private "$0" "$@"
fi
. "$(dirname "$0")/../integration/lib.sh"

DEV=/sys/bus/iio/devices/iio:device0
mount -t tmpfs fake-sysfs /sys/bus
# an overlay keeps every real node of /dev; the new FIFO lands in its upper
# layer, which must not be on the overlay filesystem the root may be on
mkdir "$T/dev"
mount -t tmpfs fake-dev "$T/dev"
mkdir "$T/dev/upper" "$T/dev/work"
mount -t overlay fake-dev -o "lowerdir=/dev,upperdir=$T/dev/upper,workdir=$T/dev/work" /dev
mkfifo /dev/iio:device0
# lazily: meterd may still hold the FIFO; and before lib.sh removes $T
CLEANUP="$CLEANUP unmount_fakes"
unmount_fakes() { umount -l /dev; umount -l "$T/dev"; }

# make_device: the sysfs tree of an ADC as the IIO ABI describes it, in
# three storage formats: V1..V3 24-bit samples in 32-bit words (shifted),
# CT1 signed 16-bit, CT2 big-endian unsigned 16-bit with an offset, and the
# timestamp channel real drivers have.  Values end in a newline as sysfs
# gives them (libiio drops the last character).  The rate starts at 1000:
# meterd must set adc.sample_rate_hz.
make_device() {
	mkdir -p "$DEV/scan_elements" "$DEV/buffer"
	echo eniscope-fake-adc >"$DEV/name"
	echo 1000 >"$DEV/sampling_frequency"
	echo 0 >"$DEV/buffer/enable"
	echo 0 >"$DEV/buffer/length"
	echo 1 >"$DEV/buffer/watermark"
	for i in 0 1 2 3 4 5 6 7 8 9; do
		case $i in
		0 | 1 | 2) type=le:s24/32'>>'8 scale=0.05 offset= ;;
		3 | 4 | 5) type=le:s16/16'>>'0 scale=0.02 offset= ;;
		6 | 7 | 8) type=be:u16/16'>>'0 scale=0.02 offset=-32768 ;;
		9) type=le:s64/64'>>'0 ;;
		esac
		ch=voltage$i
		[ $i = 9 ] && ch=timestamp
		echo 0 >"$DEV/scan_elements/in_${ch}_en"
		echo $i >"$DEV/scan_elements/in_${ch}_index"
		echo "$type" >"$DEV/scan_elements/in_${ch}_type"
		[ $i = 9 ] && continue
		echo $scale >"$DEV/in_${ch}_scale"
		[ -z "$offset" ] || echo $offset >"$DEV/in_${ch}_offset"
	done
}

# The waves, rms@degrees of lag behind V1, in the channel's units (volts at
# the ADC: V as is, CT 0.333 V rms at the CT's rating).  Meter 1 (CT1,
# 100 A, 3LN): 50 A at PF 0.8 lagging, 20 A at PF 1, 10 A at PF 0.5 leading;
# meter 2 (CT2, 50 A, LN): 5 A at PF 0.9 lagging.
start_adc() {
	python3 "$SOURCE_DIR/tests/meterd/fake_iio_adc.py" "$DEV" /dev/iio:device0 50 \
		voltage0=230@0 voltage1=230@120 voltage2=230@240 \
		voltage3=0.1665@36.8699 voltage4=0.0666@120 voltage5=0.0333@180 \
		voltage6=0.0333@25.8419 >"$T/adc.log" 2>&1 &
	ADC=$!
}
stop_adc() {
	kill "$ADC" 2>/dev/null || return 0
	wait "$ADC" 2>/dev/null || true # killed: 143
}
CLEANUP="stop_adc $CLEANUP"

make_device
start_adc
cat >"$ENISCOPE_CONF" <<'JSON'
{"hub":{"mac":"02:00:00:00:00:01"},
 "adc":{"source":"iio","device":"eniscope-fake-adc"},
 "meters":[{"id":1,"enabled":true,"ct_rating_a":100},
           {"id":2,"enabled":true,"ct_rating_a":50,"phase_type":"LN"}]}
JSON
start_runsvdir meterd

: >"$T/tap.jsonl"
eniscopectl tap -t 120 meter/ >>"$T/tap.jsonl" &
TAP=$!
kill_tap() { kill "$TAP" 2>/dev/null; }
CLEANUP="kill_tap $CLEANUP"

# readings N [FROM]: at least N of each meter's readings since tap line FROM
readings() {
	python3 - "$T/tap.jsonl" "$1" "${2:-0}" <<'PY'
import json, sys
seen = {}
for line in open(sys.argv[1]).read().splitlines()[int(sys.argv[3]):]:
    try:
        o = json.loads(line)
    except ValueError:
        continue  # the line being written
    seen[o["topic"]] = seen.get(o["topic"], 0) + 1
sys.exit(0 if min(seen.get("meter/1/rt", 0), seen.get("meter/2/rt", 0)) >= int(sys.argv[2]) else 1)
PY
}
# status_says PYTHON-CONDITION: true of meterd's status (st)
status_says() {
	st=$(eniscopectl status --json meterd) && json_get "$st" "$1" | grep -qx True
}
# same_meterd: the last status is of the meterd that ran at first (pid)
same_meterd() {
	now=$(json_get "$st" 'j["meterd"]["pid"]')
	[ "$now" = "$pid" ] || fail "meterd restarted (pid $pid -> $now)"
}

wait_until 30 "four readings of each meter from the fake ADC" readings 4
[ "$(tr -d '\0\n' <"$DEV/sampling_frequency")" = 4000 ] || fail "meterd did not set sampling_frequency to 4000: $(cat "$DEV/sampling_frequency")"
en=$(cd "$DEV/scan_elements" && for f in *_en; do printf '%s=%s ' "${f%_en}" "$(tr -d '\0\n' <"$f")"; done)
case $en in
*in_timestamp=0*) ;;
*) fail "meterd enabled the timestamp channel it has no use for: $en" ;;
esac
[ "$(echo "$en" | grep -o '=1' | wc -l)" = 9 ] || fail "meterd did not enable exactly voltage0..voltage8: $en"
ok "meterd opened $DEV by name, enabled voltage0..8 (not the timestamp), set sampling_frequency 4000"

# The last three readings of each meter against the waves (the first may
# hold a part-second of the start): within 0.5 % on V, I, P, Q, S; PF
# within 0.002, angles within 0.1 degree, F within 0.005 Hz.
python3 - "$T/tap.jsonl" <<'PY' || fail "readings differ from the waves the fake ADC makes"
import json, math, sys
msgs = [json.loads(l) for l in open(sys.argv[1]).read().splitlines() if l.endswith("}")]
want = {  # phase: (V, I, PF, leading)
    "meter/1/rt": {1: (230, 50, 0.8, False), 2: (230, 20, 1.0, False), 3: (230, 10, 0.5, True)},
    "meter/2/rt": {1: (230, 5, 0.9, False)},
}
bad = []
def near(what, got, exp, tol):
    if not abs(got - exp) <= tol:
        bad.append(f"{what} {got}, expected {exp} +- {tol:g}")
for topic, phases in want.items():
    rs = [m["payload"] for m in msgs if m["topic"] == topic][-3:]
    assert len(rs) == 3, (topic, len(rs))
    for r in rs:
        w = f"{topic} seq {r['seq']}:"
        near(w + " F", r["F"], 50, 0.005)
        for p, ang in ((2, 120), (3, 240)):
            near(f"{w} A{p}", r[f"A{p}"], ang, 0.1)
        for p in (1, 2, 3):
            v, i, pf, lead = phases.get(p, (230, 0, 0, False))
            q = v * i * math.sqrt(1 - pf * pf) * (-1 if lead else 1)
            near(f"{w} V{p}", r[f"V{p}"], v, 0.005 * v)
            near(f"{w} I{p}", r[f"I{p}"], i, 0.005 * i)
            near(f"{w} P{p}", r[f"P{p}"], v * i * pf, 0.005 * v * i)
            near(f"{w} Q{p}", r[f"Q{p}"], q, 0.005 * v * i)
            near(f"{w} S{p}", r[f"S{p}"], v * i, 0.005 * v * i)
            near(f"{w} PF{p}", r[f"PF{p}"], pf, 0.002)
        assert "simulated" not in r, w + " marked simulated"
if bad:
    sys.exit("\n".join(bad))
m1 = [m["payload"] for m in msgs if m["topic"] == "meter/1/rt"][-1]
m2 = [m["payload"] for m in msgs if m["topic"] == "meter/2/rt"][-1]
print("meter 1:", {k: m1[k] for k in ("V1", "V2", "V3", "F", "A2", "A3", "I1", "I2", "I3", "P1", "P2", "P3", "Q1", "Q3", "PF1", "PF2", "PF3", "P")})
print("meter 2:", {k: m2[k] for k in ("V1", "I1", "P1", "Q1", "PF1")})
PY
ok "both meters read the waves: V 230 V, F 50 Hz, A2/A3 120/240, I, P, Q, PF as made"
status_says 'j["meterd"]["source"] == "iio" and not j["meterd"]["simulated"] and "fault" not in j["meterd"]' \
	|| fail "meterd's status is not a healthy iio source: $st"
ok "meterd's status: source iio, not simulated, no fault"

# The device goes silent: a driver stops, a trigger dies, or the ADC is
# unplugged (an unbound driver's buffer is never readable again, and a
# FIFO with libiio's own write end never reads EOF): meterd must say so.
pid=$(json_get "$st" 'j["meterd"]["pid"]')
stop_adc
wait_until 10 "a fault in meterd's status once the ADC is silent" status_says '"no samples" in j["meterd"].get("fault", "")'
ok "silent ADC, meterd's fault: $(json_get "$st" 'j["meterd"]["fault"]')"
# ... and then gone: meterd retries and says what it finds
rm -r "$DEV"
wait_until 15 "meterd's status naming the missing device" status_says '"no device" in j["meterd"].get("fault", "")'
ok "device gone, meterd's fault: $(json_get "$st" 'j["meterd"]["fault"]')"
same_meterd
ok "meterd kept running (pid $pid)"

# back: readings resume and the fault clears, without restarting meterd
from=$(wc -l <"$T/tap.jsonl")
make_device
start_adc
wait_until 40 "readings again once the device is back" readings 2 "$from"
wait_until 5 "the fault cleared" status_says '"fault" not in j["meterd"]'
same_meterd
ok "device back: readings resume and the fault clears, same meterd (pid $pid)"

# A channel whose scan element repeats its sample (type ...X8: eight 16-bit
# values a scan) is refused, naming it: converting one would write 16 bytes
# where meterd has room for one sample's 8.
# The type is changed before the ADC goes silent: meterd reads it when it
# reopens the source after the fault, and a change made after the fault
# could come too late for that reopen on a loaded machine.
echo 'le:s16/16X8>>0' >"$DEV/scan_elements/in_voltage3_type"
stop_adc
# meterd may reopen, and refuse the channel, within a second of the
# silence: either fault shows the silence was seen
wait_until 10 "a fault in meterd's status once the ADC is silent" \
	status_says 'any(s in j["meterd"].get("fault", "") for s in ("no samples", "samples repeated"))'
start_adc
wait_until 15 "meterd's status refusing the repeated channel" status_says '"voltage3: samples repeated 8 times" in j["meterd"].get("fault", "")'
ok "repeated samples, meterd's fault: $(json_get "$st" 'j["meterd"]["fault"]')"
same_meterd

# adc.channels, saved while meterd runs: a channel the device lacks is
# refused by name; then an explicit map that puts meter 2's wave (5 A on a
# 50 A CT: 0.0333 V, PF 0.9) on meter 1's CT1_1 (100 A: reads 10 A) and
# leaves CT1_2, CT1_3 and CT2_1 unmapped (they read 0).  Three 32-bit
# channels and one 16-bit make 14 bytes, padded to 16-byte scans as the
# kernel does (libiio 0.24 alone would step by 14).
echo 'le:s16/16>>0' >"$DEV/scan_elements/in_voltage3_type"
eniscopectl config set adc.channels '{"V1":"voltage0","V2":"voltage1","V3":"voltage2","CT1_1":"voltage42"}' >/dev/null
wait_until 15 "meterd's status naming the missing channel" status_says '"adc.channels.CT1_1: device eniscope-fake-adc has no input channel \"voltage42\"" in j["meterd"].get("fault", "")'
ok "unknown channel, meterd's fault: $(json_get "$st" 'j["meterd"]["fault"]')"
from=$(wc -l <"$T/tap.jsonl")
eniscopectl config set adc.channels '{"V1":"voltage0","V2":"voltage1","V3":"voltage2","CT1_1":"voltage6"}' >/dev/null
wait_until 40 "readings with the explicit channel map" readings 3 "$from"
python3 - "$T/tap.jsonl" "$from" <<'PY' || fail "readings do not follow adc.channels"
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):] if l.endswith("}")]
m1 = [m["payload"] for m in msgs if m["topic"] == "meter/1/rt"][-1]
m2 = [m["payload"] for m in msgs if m["topic"] == "meter/2/rt"][-1]
got = {k: m1[k] for k in ("V1", "A2", "A3", "I1", "P1", "PF1", "I2", "I3")} | {"meter 2 I1": m2["I1"]}
print(got)
assert abs(m1["V1"] - 230) < 1.15 and abs(m1["A2"] - 120) < 0.1 and abs(m1["A3"] - 240) < 0.1, got
assert abs(m1["I1"] - 10) < 0.05 and abs(m1["P1"] - 2070) < 11.5 and abs(m1["PF1"] - 0.9) < 0.002, got
assert m1["I2"] == 0 and m1["I3"] == 0 and m2["I1"] == 0, got
PY
status_says '"fault" not in j["meterd"]' || fail "a fault remains with a good channel map: $st"
same_meterd
ok "adc.channels applied without a restart: CT1_1 reads voltage6, unmapped CTs read 0"
