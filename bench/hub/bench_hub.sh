#!/bin/sh
# bench_hub: the whole hub under runsvdir (packaging/runit services, as the
# package runs them) at full load: 8 simulated three-phase meters, 8
# simulated pulse inputs, 8 probes (a fake w1 tree, read every 5 s), MQTT
# each second to a local mosquitto, uploads to an HTTP receiver
# (tests/uploadd/receiver.py).  Prints
#   - the time from runsvdir's start to the first reading on MQTT
#     (goal: within 3 s);
#   - per daemon, in steady state (after BENCH_WARMUP s, default 20, over
#     BENCH_SECONDS s, default 60): CPU as % of one core (utime + stime
#     from /proc/PID/stat), RSS and PSS (/proc/PID/smaps_rollup)
#     (goals: the whole hub under 2 % of one core, each daemon under
#     4 MB PSS).
# The CPU figures are the processes' own time, so a loaded machine slows
# the measurement but barely changes them.
set -eu
build=@BUILD_DIR@
src=@SOURCE_DIR@
secs=${BENCH_SECONDS:-60}
warmup=${BENCH_WARMUP:-20}
for t in runsvdir mosquitto mosquitto_sub python3; do
	command -v $t >/dev/null || { echo "bench_hub: $t not installed (packaging/debian-packages.txt)"; exit 0; }
done
T=$(mktemp -d /tmp/eniscope-bench-hub.XXXXXX)
pids=
rsd=
cleanup() {
	if [ -n "$rsd" ]; then
		SVWAIT=10 sv force-stop "$T"/service/* >/dev/null 2>&1 || true
		kill -HUP "$rsd" 2>/dev/null || true
		while kill -0 "$rsd" 2>/dev/null; do sleep 0.05; done
		# runsv and svlogd end once their services have
		i=0
		while [ $i -lt 100 ] && ps -eo args= | grep -q "^svlogd -tt $T/"; do sleep 0.1; i=$((i + 1)); done
	fi
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.05; done; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mkdir -p "$T/run" "$T/data" "$T/etc" "$T/log" "$T/service" "$T/w1"

# 8 probes
for i in 1 2 3 4 5 6 7 8; do
	id=28-00000000000$i
	mkdir -p "$T/w1/$id"
	printf '72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=%s\n' "2${i}000" >"$T/w1/$id/w1_slave"
done
mqtt_port=$(free_port)
mosquitto -p "$mqtt_port" >"$T/mosquitto.log" 2>&1 &
pids="$pids $!"
python3 "$src/tests/uploadd/receiver.py" "$T/recv.port" "$T/recv.log" --summary 2>"$T/recv.err" &
pids="$pids $!"
i=0
until [ -s "$T/recv.port" ] && mosquitto_pub -p "$mqtt_port" -t x -n 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "bench_hub: mosquitto or the receiver did not start"; exit 1; }
	sleep 0.1
done
python3 - "$T" "$mqtt_port" "$(cat "$T/recv.port")" >"$T/etc/config.json" <<'PY'
import json, sys
t, mqtt, recv = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
print(json.dumps({
    "hub": {"mac": "02:00:00:00:00:09"},
    "adc": {"source": "sim"},
    "meters": [{"id": i, "enabled": True, "ct_rating_a": 100} for i in range(1, 9)],
    "pulse_input": {"source": "sim"},
    "pulses": [{"id": i, "enabled": True, "sim_pulses_per_hour": 3600} for i in range(1, 9)],
    "temps": {"w1_root": t + "/w1"},
    "panel": {"button": "none", "reboot_command": ["true"], "reset_command": ["true"]},
    "mqtt": [{"enabled": True, "host": "127.0.0.1", "port": mqtt, "topic": "bench", "interval_s": 1}],
    "upload": [{"name": "cloud", "enabled": True, "url": "http://127.0.0.1:%d/up" % recv}],
}))
PY
path=$build/eniscopectl
daemons=
for svc in "$src"/packaging/runit/*/; do
	name=$(basename "$svc")
	[ "$name" = lighttpd ] && continue
	bin=$(find "$build" -mindepth 2 -maxdepth 2 -type f -name "$name" -perm -u+x | head -n 1)
	[ -n "$bin" ] || continue
	path=$path:$(dirname "$bin")
	daemons="$daemons $name"
	cp -rL "$svc" "$T/service/$name"
	ln -s "$T/conf" "$T/service/$name/conf"
done
cat >"$T/conf" <<CONF
ENISCOPE_RUNDIR=$T/run
ENISCOPE_DATA=$T/data
ENISCOPE_CONF=$T/etc/config.json
ENISCOPE_LOGDIR=$T/log
PATH=$path:$PATH
CONF

# the first reading on MQTT: a subscriber, known to be subscribed (it
# heard our own message), is there before runsvdir starts
: >"$T/first.txt"
mosquitto_sub -p "$mqtt_port" -t bench -t bench-ready -v >>"$T/first.txt" 2>&1 &
pids="$pids $!"
i=0
until grep -q '^bench-ready' "$T/first.txt"; do
	mosquitto_pub -p "$mqtt_port" -t bench-ready -m 1
	i=$((i + 1)); [ $i -lt 100 ] || { echo "bench_hub: the subscriber hears nothing"; exit 1; }
	sleep 0.1
done
t0=$(date +%s%N)
setsid runsvdir -P "$T/service" </dev/null >"$T/runsvdir.log" 2>&1 &
rsd=$!
i=0
until grep -q '^bench ' "$T/first.txt"; do
	i=$((i + 1)); [ $i -lt 3000 ] || { echo "bench_hub: no reading on MQTT within 30 s"; exit 1; }
	sleep 0.01
done
t1=$(date +%s%N)
first_ms=$(((t1 - t0) / 1000000))

sleep "$warmup"
hz=$(getconf CLK_TCK)
pidof_svc() { sv status "$T/service/$1" | sed -n 's/^run: [^:]*: (pid \([0-9]*\)).*/\1/p'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for d in $daemons; do
	p=$(pidof_svc "$d")
	[ -n "$p" ] || { echo "bench_hub: $d is not running: $(sv status "$T/service/$d")"; exit 1; }
	eval "pid_$d=$p start_$d=$(ticks "$p")"
done
s0=$(date +%s%N)
sleep "$secs"
s1=$(date +%s%N)
wall_s=$(python3 -c "print(($s1 - $s0) / 1e9)")
records=$(python3 -c '
import json, sys
print(sum(e.get("n", 0) for e in map(json.loads, open(sys.argv[1])) if e.get("code") == 200))' "$T/recv.log")
mqtt_msgs=$(mosquitto_sub -p "$mqtt_port" -t bench -C 16 -W 5 2>/dev/null | wc -l)

echo "bench_hub: 8 meters, 8 pulse inputs, 8 probes, MQTT each second, one upload target; $secs s after $warmup s"
printf 'first reading on MQTT %d ms after runsvdir started (goal < 3000 ms)\n' "$first_ms"
printf '%-10s %8s %9s %9s\n' daemon "CPU %" "RSS kB" "PSS kB"
total=0
worst_pss=0
worst=
for d in $daemons; do
	eval "p=\$pid_$d s=\$start_$d"
	[ -r "/proc/$p/stat" ] || { echo "bench_hub: $d (pid $p) ended during the measurement"; exit 1; }
	e=$(ticks "$p")
	cpu=$(python3 -c "print('%.3f' % (($e - $s) / $hz / $wall_s * 100))")
	rss=$(awk '/^Rss:/ {print $2}' "/proc/$p/smaps_rollup")
	pss=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup")
	printf '%-10s %8s %9s %9s\n' "$d" "$cpu" "$rss" "$pss"
	total=$(python3 -c "print($total + $cpu)")
	[ "$pss" -le "$worst_pss" ] || { worst_pss=$pss; worst=$d; }
done
printf '%-10s %8.3f\n' total "$total"
goal() { if [ "$1" = 1 ]; then echo "met"; else echo "MISSED"; fi; }
echo "goals: hub CPU < 2 % of one core: $(goal "$(python3 -c "print(int($total < 2))")");" \
	"PSS < 4 MB per daemon (largest $worst, $worst_pss kB): $(goal "$([ "$worst_pss" -lt 4096 ] && echo 1)");" \
	"first MQTT reading < 3 s: $(goal "$([ "$first_ms" -lt 3000 ] && echo 1)")"
echo "meanwhile: $mqtt_msgs rtdata messages on MQTT in 5 s; $records records uploaded to the receiver"
