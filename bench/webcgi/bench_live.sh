#!/bin/sh
# bench_live: display clients one hub serves at one update a second.
# Holds N server-sent event streams (GET /api/live) open through lighttpd
# (the hub's own config and run script) over meterd (simulated, 3 meters)
# and readingsd, for BENCH_SECONDS, and prints what the streams got (events
# a second per stream), and what they cost: memory per client (the live
# CGIs' proportional set size, PSS, and lighttpd's growth) and CPU per
# client (lighttpd's and the CGIs' utime + stime over the window).  For
# comparison, the PSS of one ZeroMQ bus subscriber (`eniscopectl tap
# meter/`), what each client would cost at least if the CGI subscribed to
# the bus instead of reading readingsd's snapshot.
# Then one stream more than the live CGI holds at once (LIVE_MAX, 128):
# it is refused (503), the admin keeps its connections.
#   BENCH_CLIENTS (default 128, the live CGI's LIVE_MAX)
#   BENCH_SECONDS (default 20)
set -eu
build=@BUILD_DIR@
src=@SOURCE_DIR@
clients=${BENCH_CLIENTS:-128}
secs=${BENCH_SECONDS:-20}
. "$src/bench/webcgi/bench_lib.sh"
i=0
until curl -s --max-time 2 "$base/api/display" 2>/dev/null | grep -q interface; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "bench_live: lighttpd or readingsd did not start"; cat "$T/lighttpd.log"; exit 1; }
	sleep 0.1
done
"$build/eniscopectl/eniscopectl" tap meter/ >/dev/null 2>&1 &
tap=$!
pids="$pids $tap"

pss_kb() { awk '/^Pss:/ { s += $2 } END { print s + 0 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
cgis() { ps --ppid "$lpid" -o pid=,comm= | awk '$2 == "live" { print $1 }'; }

l_rss0=$(rss_kb "$lpid")
# the clients: one Python process holding every stream, counting events
python3 - "$port" "$clients" "$secs" "$T/ready" "$T/result" <<'PY' &
import asyncio, sys, time, os
port, n, secs, ready, result = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
counts = [0] * n
window_end = 0.0
async def stream(i, start, stop):
    r, w = await asyncio.open_connection("127.0.0.1", port)
    w.write(b"GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
    await w.drain()
    buf = b""
    while time.monotonic() < stop.t:
        try:
            chunk = await asyncio.wait_for(r.read(65536), timeout=max(0.01, stop.t - time.monotonic()))
        except asyncio.TimeoutError:
            break
        if not chunk:
            break
        buf += chunk
        k = buf.count(b"data: {")
        now = time.monotonic()
        if start.t and start.t <= now <= window_end:
            counts[i] += k
        buf = buf[buf.rfind(b"\n") + 1:] if k else buf[-64:]
    w.close()
class T: t = 0.0
async def main():
    start, stop = T(), T()
    stop.t = time.monotonic() + 3600
    tasks = [asyncio.create_task(stream(i, start, stop)) for i in range(n)]
    await asyncio.sleep(3)                     # every stream open and flowing
    open(ready, "w").close()
    start.t = time.monotonic() + 1             # the window opens (the shell samples then)
    end = start.t + secs
    stop.t = end + 4                           # held on while the shell samples
    global window_end
    window_end = end
    await asyncio.gather(*tasks, return_exceptions=True)
    open(result, "w").write("%d %d %d\n" % (sum(counts), min(counts), max(counts)))
asyncio.run(main())
PY
client=$!
pids="$pids $client"
i=0
until [ -f "$T/ready" ]; do
	i=$((i + 1)); [ $i -lt 300 ] || { echo "bench_live: the clients did not start"; exit 1; }
	sleep 0.1
done
sleep 1
live=$(cgis)
nlive=$(echo "$live" | grep -c . || true)
c0=$(ticks "$lpid"); for p in $live; do c0=$((c0 + $(ticks "$p"))); done
sleep "$secs"
c1=$(ticks "$lpid"); for p in $live; do c1=$((c1 + $(ticks "$p"))); done
extra=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/api/live" || true)
pss=0; rss=0; for p in $(cgis); do pss=$((pss + $(pss_kb "$p"))); rss=$((rss + $(rss_kb "$p"))); done
nend=$(cgis | grep -c . || true)
l_rss1=$(rss_kb "$lpid")
wait "$client" || true
read -r events emin emax <"$T/result"
hz=$(getconf CLK_TCK)
echo "$clients display clients held for $secs s, $nlive live CGIs at the start, $nend at the end; load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
awk -v e="$events" -v n="$clients" -v s="$secs" -v lo="$emin" -v hi="$emax" 'BEGIN {
	printf "  updates: %.2f a second per stream (fewest %d, most %d in %d s)\n", e / n / s, lo, hi, s }'
awk -v pss="$pss" -v rss="$rss" -v n="$nend" -v l0="$l_rss0" -v l1="$l_rss1" -v tap="$(pss_kb "$tap")" 'BEGIN {
	if (n == 0) n = 1
	printf "  memory per client: live CGI %.0f KiB PSS (%.0f KiB RSS); lighttpd +%.1f KiB per stream\n", pss / n, rss / n, (l1 - l0) / n
	printf "  a bus subscriber instead (eniscopectl tap meter/): %d KiB PSS each\n", tap }'
awk -v t=$((c1 - c0)) -v hz="$hz" -v n="$clients" -v s="$secs" 'BEGIN {
	pct = 100 * t / hz / s
	printf "  CPU: %.2f %% of one core for all (lighttpd + CGIs, %d ticks of 1/%d s), %.4f %% per client\n", pct, t, hz, pct / n }'
echo "  one stream more: HTTP $extra (the live CGI holds at most 128, half of lighttpd's server.max-connections)"
