#!/bin/sh
# bench_readings: GET /api/readings through lighttpd (the hub's own config
# and run script) with wrk, 50 connections, over meterd (simulated) and
# readingsd; prints requests per second and the latency percentiles, and
# the same for GET /api/session (the api CGI: JSON and ZeroMQ libraries
# loaded) for comparison, and the CPU time each costs lighttpd and the
# CGI, which says what an idle machine would do whatever load the
# measurement ran under.  Goal: readings >= 1000 req/s on a 2-core box.
#   BENCH_SECONDS (default 10)
set -eu
build=@BUILD_DIR@
src=@SOURCE_DIR@
secs=${BENCH_SECONDS:-10}
command -v wrk >/dev/null || { echo "bench_readings: wrk not installed (packaging/debian-packages.txt)"; exit 0; }
. "$src/bench/webcgi/bench_lib.sh"
i=0
until curl -s -o /dev/null "$base/api/session"; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "bench_readings: lighttpd did not start"; cat "$T/lighttpd.log"; exit 1; }
	sleep 0.1
done
# the first login sets a password; then a session of our own
curl -s -c "$T/jar" -H 'Content-Type: application/json' -d '{"username":"admin","password":"admin"}' "$base/api/login" >"$T/login"
csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$T/login") ||
	{ echo "bench_readings: login failed: $(cat "$T/login")"; cat "$T/lighttpd.log"; exit 1; }
curl -s -b "$T/jar" -c "$T/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	-d '{"current":"admin","new":"bench password"}' "$base/api/password" >/dev/null
sid=$(awk '$6 == "eniscope_session" { print $7 }' "$T/jar")
i=0
until curl -s -H "Cookie: eniscope_session=$sid" "$base/api/readings" | grep -q '"did":3'; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "bench_readings: no readings within 10 s"; exit 1; }
	sleep 0.1
done
bytes=$(curl -s -H "Cookie: eniscope_session=$sid" "$base/api/readings" | wc -c)
# CPU seconds lighttpd and its reaped CGIs have used (utime stime cutime
# cstime of /proc/PID/stat, in clock ticks): what a request costs whatever
# else the machine is doing
cpu_ticks() {
	awk '{ print $14 + $15 + $16 + $17 }' "/proc/$lpid/stat"
}
hz=$(getconf CLK_TCK)
run() {
	c0=$(cpu_ticks)
	wrk -t2 -c50 -d"${secs}s" --latency -H "Cookie: eniscope_session=$sid" "$base$1" >"$T/wrk"
	c1=$(cpu_ticks)
	n=$(awk '/requests in/ { print $1 }' "$T/wrk")
	rps=$(awk '/^Requests\/sec/ { print $2 }' "$T/wrk")
	p50=$(awk '$1 == "50%" { print $2 }' "$T/wrk")
	p99=$(awk '$1 == "99%" { print $2 }' "$T/wrk")
	bad=$(awk '/Non-2xx/ { print $NF }' "$T/wrk")
	echo "$1: $rps req/s, p50 $p50, p99 $p99 (50 connections, ${secs} s${bad:+, $bad non-2xx})"
	awk -v t=$((c1 - c0)) -v n="$n" -v hz="$hz" -v cores="$(nproc)" 'BEGIN {
		ms = 1000 * t / hz / n
		printf "  CPU per request (lighttpd + CGI): %.2f ms, so at most %.0f req/s on %d idle cores (wrk not counted)\n", ms, 1000 * cores / ms, cores }'
}
echo "3 meters, $bytes bytes an answer; load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
run /api/readings
run /api/session
