#!/bin/sh
# storaged killed with SIGKILL at random moments during fast ingest, 50
# times: after each kill the database passes PRAGMA integrity_check, every
# minute storaged had logged as committed is there, no minute is stored
# twice, and the restarted storaged carries on (its first minute is after
# the newest stored one, so a restart never rewrites history).
#
# Fast ingest: pubflood publishes 8 meters + 8 pulse inputs + 8 probes every
# 2 ms, and storaged runs with --minute-ms 40 (a "minute" every 40 ms, each
# its own transaction), logging each committed minute at debug level.
. "$(dirname "$0")/../integration/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 (the CLI) is needed"
TOOLS="$BUILD_DIR/tests/storaged"
cp "$SOURCE_DIR/packaging/demo/config.json" "$ENISCOPE_CONF"
DB="$ENISCOPE_DATA/store.db"

"$TOOLS/pubflood" 2 8 &
PF=$!
CLEANUP="$CLEANUP kill_pf"
kill_pf() { kill "$PF" 2>/dev/null; wait "$PF" 2>/dev/null || true; }

rand_ms() { od -An -N2 -tu2 /dev/urandom | awk -v lo="$1" -v hi="$2" '{ print lo + $1 % (hi - lo) }'; }

total=0
productive=0
i=1
while [ $i -le 50 ]; do
	ENISCOPE_DEBUG=1 storaged --minute-ms 40 2>"$T/storaged.$i.log" &
	SD=$!
	ms=$(rand_ms 200 1200)
	sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')" # the random moment of the kill
	kill -KILL "$SD"
	wait "$SD" 2>/dev/null || true
	# "TS N" per committed minute: its time and how many records its transaction held
	committed=$(sed -n 's/.*committed minute \([0-9]*\): \([0-9]*\) records, ids up to [0-9]*$/\1 \2/p' "$T"/storaged.*.log | sort -u)
	n=$(printf '%s\n' "$committed" | grep -c . || true)
	# a kill may come before the first commit of a run; most runs commit
	[ "$n" -gt "$total" ] && productive=$((productive + 1))
	total=$n
	[ "$n" -gt 0 ] || { i=$((i + 1)); continue; }
	ic=$(sqlite3 "$DB" 'PRAGMA integrity_check')
	[ "$ic" = ok ] || fail "kill $i: integrity_check says: $ic"
	values=$(printf '%s\n' "$committed" | awk 'NF { printf "%s(%s,%s)", sep, $1, $2; sep = "," }')
	missing=$(sqlite3 "$DB" "CREATE TEMP TABLE c(ts INTEGER, n INTEGER); INSERT INTO c VALUES $values;
		SELECT count(*) FROM c WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.ts = c.ts);")
	[ "$missing" = 0 ] || fail "kill $i: $missing committed minutes are not in the database"
	dup=$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT 1 FROM records GROUP BY ts, sid HAVING count(*) > 1)")
	[ "$dup" = 0 ] || fail "kill $i: $dup minutes stored twice"
	# a committed minute is whole: every record its transaction held is there
	# (a run's first minute may see fewer than 24 sources, as the bus
	# connections come up one by one; that is the count it logs)
	partial=$(sqlite3 "$DB" "CREATE TEMP TABLE c(ts INTEGER, n INTEGER); INSERT INTO c VALUES $values;
		SELECT count(*) FROM c WHERE (SELECT count(*) FROM records r WHERE r.ts = c.ts) <> c.n;")
	[ "$partial" = 0 ] || fail "kill $i: $partial committed minutes are not whole in the database"
	i=$((i + 1))
done
[ "$productive" -ge 25 ] || fail "only $productive of 50 runs committed a minute before the kill"
# the flood really is a full hub: most minutes hold all 24 sources
whole=$(printf '%s\n' "$committed" | awk '$2 == 24' | grep -c . || true)
[ $((whole * 2)) -ge "$total" ] || fail "only $whole of $total committed minutes hold all 24 sources"
rows=$(sqlite3 "$DB" 'SELECT count(*) FROM records')
ok "50 SIGKILLs during ingest: integrity_check ok after each, all $total committed minutes present and whole ($whole of them with all 24 sources, $rows records), none twice"

# and the last restart works: it answers and stores
ENISCOPE_DEBUG=1 storaged --minute-ms 40 2>"$T/storaged.last.log" &
SD=$!
CLEANUP="$CLEANUP kill_sd"
kill_sd() { kill "$SD" 2>/dev/null; wait "$SD" 2>/dev/null || true; }
deadline=$(($(date +%s) + 20))
until grep -q "committed minute" "$T/storaged.last.log"; do
	[ "$(date +%s)" -lt "$deadline" ] || fail "storaged did not store after the last restart"
	sleep 0.1
done
st=$("$BUILD_DIR/eniscopectl/eniscopectl" call storaged '{"cmd":"stats"}')
[ "$(json_get "$st" 'j["fault_state"]')" = ok ] || fail "fault after restart: $st"
ok "storaged stores again after the 50th kill: $(json_get "$st" 'j["rows"]') rows"
