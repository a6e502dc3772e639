#!/bin/sh
# The config path end to end with a running daemon: `eniscopectl config set`
# validates and saves atomically and meterd applies it without a restart; a
# bad file (hand-edited) is refused whole, meterd keeps the last good config
# and says why in its status; a daemon started on a bad file waits for a
# good one instead of crash-looping.
. "$(dirname "$0")/lib.sh"

ctl() { eniscopectl "$@"; }
status_json() { ctl status --json meterd; }

# until EXPR holds on meterd's status, at most 10 s
wait_status() {
	i=0
	until [ "$(json_get "$(status_json 2>/dev/null || echo '{}')" "$1" 2>/dev/null)" = True ]; do
		i=$((i + 1))
		[ $i -le 100 ] || fail "meterd status never satisfied: $1; last: $(status_json 2>&1)"
		sleep 0.1
	done
}

# 1. a daemon started on an invalid file waits, answering status
echo '{"adc":{"source":"sim"},"meters":[{"id":1,"enabled":"yes"}]}' >"$ENISCOPE_CONF"
ctl config check "$ENISCOPE_CONF" >"$T/check.out" 2>&1 && fail "config check accepted enabled:\"yes\""
grep -q 'meters\[0\].enabled: must be true or false' "$T/check.out" || fail "check did not name the field: $(cat "$T/check.out")"
ok "config check names the bad field"

meterd 2>"$T/meterd.err" &
METERD=$!
CLEANUP="$CLEANUP stop_meterd"
stop_meterd() { kill "$METERD" 2>/dev/null; wait "$METERD" 2>/dev/null; }
wait_status 'j["meterd"]["state"] == "waiting-for-config" and j["meterd"]["config_errors"][0]["field"] == "meters[0].enabled"'
ok "meterd started on a bad config waits and reports the field"

# 2. a valid save (through eniscopectl) brings it to life, without a restart
pid=$(json_get "$(status_json)" 'j["meterd"]["pid"]')
ctl config set 'meters[0].enabled' true || fail "config set refused a valid value"
wait_status 'j["meterd"]["state"] == "running" and j["meterd"]["config"] == "ok" and j["meterd"]["meters"] == [1]'
[ "$(json_get "$(status_json)" 'j["meterd"]["pid"]')" = "$pid" ] || fail "meterd restarted instead of reloading"
ok "a saved config is applied by the running meterd"

# 3. config set validates: nothing is saved when the value is bad
cp "$ENISCOPE_CONF" "$T/before.json"
ctl config set 'meters[0].ct_rating_a' 0 2>"$T/set.err" && fail "config set accepted ct_rating_a 0"
grep -q 'meters\[0\].ct_rating_a: must be from 1 to 10000' "$T/set.err" || fail "no field in: $(cat "$T/set.err")"
cmp -s "$ENISCOPE_CONF" "$T/before.json" || fail "a refused config set changed the file"
ctl config set 'meters[9].name' x 2>/dev/null && fail "config set accepted meters[9]"
ctl config set 'adc.nonsense' x 2>/dev/null && fail "config set accepted an unknown key"
ok "config set refuses bad values and unknown keys, file untouched"

# 4. enabling meter 3 makes its readings appear on the bus
ctl config set 'meters[2].enabled' true
ctl tap -n 1 -t 10 meter/3/rt >"$T/m3.json" || fail "no meter/3/rt within 10 s after enabling it"
[ "$(json_get "$(cat "$T/m3.json")" 'j["payload"]["did"]')" = 3 ] || fail "wrong meter: $(cat "$T/m3.json")"
[ "$(ctl config get 'meters[2].enabled')" = true ] || fail "config get does not read back the set value"
ok "meter 3 publishes once enabled; config get reads it back"

# 5. a hand-edited broken file: refused whole, the running config stays
printf '{"adc":{"source":"sim"},"meters":[{"id":1,"enabled":true},' >"$ENISCOPE_CONF.new"
mv "$ENISCOPE_CONF.new" "$ENISCOPE_CONF"
wait_status 'j["meterd"]["config"] == "error" and j["meterd"]["state"] == "running"'
ctl tap -n 1 -t 10 meter/3/rt >/dev/null || fail "meterd stopped publishing meter 3 after a broken save"
grep -q 'line 1' "$T/meterd.err" || fail "meterd's log does not say where the file is broken"
ok "a broken file is refused, the last good config keeps running"

# 6. fixing the file recovers; a reload command reports errors too
echo '{"adc":{"source":"sim"},"meters":[{"id":2,"enabled":true}]}' >"$ENISCOPE_CONF.new"
mv "$ENISCOPE_CONF.new" "$ENISCOPE_CONF"
wait_status 'j["meterd"]["config"] == "ok" and j["meterd"]["meters"] == [2]'
ok "a fixed file is applied"
# HUP reloads (and never kills): the same process answers afterwards
pid=$(json_get "$(status_json)" 'j["meterd"]["pid"]')
kill -HUP "$METERD"
i=0
until grep -q 'SIGHUP: reloading' "$T/meterd.err"; do
	i=$((i + 1)); [ $i -le 100 ] || fail "no reload logged after SIGHUP"; sleep 0.1
done
wait_status "j['meterd']['pid'] == $pid and j['meterd']['config'] == 'ok'"
ok "SIGHUP reloads without stopping meterd"
grep -q 'fatal' "$T/meterd.err" && fail "meterd logged a fatal error: $(cat "$T/meterd.err")"
kill -TERM "$METERD"
wait "$METERD" || fail "meterd did not exit 0 on TERM"
ok "meterd exits 0 on TERM"

# config migrate (the package's upgrade step): a version-0 file is
# rewritten in the current version, its values under the new keys; a
# current file stays as it is; no file is nothing to do; a newer one is
# refused and left untouched
m="$T/migrate.json"
echo '{"meters":[{"id":2,"enabled":true,"ct_rating":60}],"mqtt":[{"host":"10.0.0.9","interval":7}],"hub":{"site":"Plant 2"}}' >"$m"
eniscopectl -c "$m" config migrate >"$T/out" || fail "config migrate failed: $(cat "$T/out")"
python3 - "$m" <<'PY' || fail "the migrated file is not version 1 with the values kept: $(cat "$m")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["version"] == 1, j
m2 = [m for m in j["meters"] if m["id"] == 2][0]
assert m2["ct_rating_a"] == 60 and "ct_rating" not in m2 and m2["enabled"] is True, m2
assert j["mqtt"][0]["interval_s"] == 7 and "interval" not in j["mqtt"][0], j["mqtt"]
assert j["hub"]["site"] == "Plant 2", j["hub"]
PY
ok "config migrate rewrites a version-0 file as version 1, values kept"
eniscopectl -c "$T/none.json" config migrate >"$T/out" || fail "config migrate of no file failed"
[ ! -e "$T/none.json" ] || fail "config migrate created a file where there was none"
echo '{"version":99}' >"$m"
eniscopectl -c "$m" config migrate >"$T/out" 2>&1 && fail "a newer file was accepted: $(cat "$T/out")"
grep -q "version" "$T/out" || fail "the refusal does not name version: $(cat "$T/out")"
[ "$(cat "$m")" = '{"version":99}' ] || fail "a refused file was changed"
ok "config migrate: no file is nothing to do, a newer version is refused and left as it was"
