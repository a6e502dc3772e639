#!/bin/sh
# The configuration file's life with running daemons (meterd and uploadd):
# a hub that never had a file runs on the defaults; once the running
# configuration came from a file, that file being deleted, replaced by a
# symbolic link to nothing or by a FIFO is a fault: the daemons keep the
# last good configuration (meterd keeps metering, uploadd keeps its
# targets), say why in their status and log, and recover when a good file
# is back.  Saving {} is the way back to the defaults.  A FIFO never blocks
# a daemon or `eniscopectl config check`.
. "$(dirname "$0")/lib.sh"

# status_holds DAEMON EXPR: EXPR (python, on j = the daemon's status) holds
status_holds() {
	st=$(eniscopectl status --json "$1" 2>/dev/null) || return 1
	[ "$(json_get "$st" "(lambda j: $2)(j['$1'])" 2>/dev/null)" = True ]
}

# wait_status DAEMON EXPR: until it holds, at most 10 s
wait_status() {
	wait_until 10 "$1 status: $2 (last: $(eniscopectl status --json "$1" 2>&1 | tr -d '\n'))" status_holds "$1" "$2"
}

# save TEXT: replaces the config file atomically, as an editor or a CGI does
save() {
	printf '%s\n' "$1" >"$ENISCOPE_CONF.new"
	mv -f "$ENISCOPE_CONF.new" "$ENISCOPE_CONF"
}

port=$(free_port)
GOOD='{"adc":{"source":"sim"},"meters":[{"id":1,"enabled":true}],
 "upload":[{"name":"lab","enabled":true,"url":"http://127.0.0.1:'$port'/in"}]}'

# 1. a new hub (no file): the defaults, and config ok
meterd 2>"$T/meterd.err" &
METERD=$!
uploadd 2>"$T/uploadd.err" &
UPLOADD=$!
stop_daemons() {
	kill "$METERD" "$UPLOADD" 2>/dev/null
	wait "$METERD" "$UPLOADD" 2>/dev/null
}
CLEANUP="$CLEANUP stop_daemons"
wait_status meterd 'j["config"] == "ok" and j["state"] == "running" and j["meters"] == []'
wait_status uploadd 'j["config"] == "ok" and j["targets"] == []'
ok "a hub without a config file runs on the defaults"

# 2. the first file is applied
save "$GOOD"
wait_status meterd 'j["config"] == "ok" and j["meters"] == [1]'
wait_status uploadd 'j["config"] == "ok" and len(j["targets"]) == 1 and not j["idle"]'
ok "a saved file is applied"

# kept: STEP WHAT-THE-ERROR-SAYS: both daemons keep the last good config
# and say why, meter 1 is still published
kept() {
	wait_status meterd "j['config'] == 'error' and j['meters'] == [1] and '$2' in j['config_errors'][0]['error']"
	wait_status uploadd "j['config'] == 'error' and len(j['targets']) == 1 and '$2' in j['config_errors'][0]['error']"
	eniscopectl tap -n 1 -t 10 meter/1/rt >/dev/null || fail "$1: meterd stopped publishing meter 1"
	for d in meterd uploadd; do
		grep -q "$2" "$T/$d.err" || fail "$1: $d's log does not say \"$2\": $(tail -n 5 "$T/$d.err")"
		grep -q 'keeping the running configuration' "$T/$d.err" || fail "$1: $d's log does not say it kept the config"
	done
	ok "$1: the last good config stays, status and log say \"$2\""
}

# 3. the file deleted
rm "$ENISCOPE_CONF"
kept "file deleted" "no such file any more"
eniscopectl status meterd | grep -q "config: $ENISCOPE_CONF: no such file any more" ||
	fail "eniscopectl status does not show the error once: $(eniscopectl status meterd)"
save "$GOOD"
wait_status meterd 'j["config"] == "ok" and j["meters"] == [1]'
wait_status uploadd 'j["config"] == "ok"'
ok "the file back: config ok again"

# 4. replaced by a symbolic link to nothing

ln -s "$T/etc/nowhere.json" "$ENISCOPE_CONF.new"
mv -f "$ENISCOPE_CONF.new" "$ENISCOPE_CONF"
kept "a dangling symlink" "is a symbolic link to $T/etc/nowhere.json, which does not exist"
# fixed by a link made in place (ln -s: its only event is IN_CREATE)
printf '%s\n' "$GOOD" >"$T/etc/good.json"
rm "$ENISCOPE_CONF"
ln -s "$T/etc/good.json" "$ENISCOPE_CONF"
wait_status meterd 'j["config"] == "ok" and j["meters"] == [1]'
wait_status uploadd 'j["config"] == "ok"'
ok "a symbolic link to a good file, made in place, is applied"

# 5. replaced by a FIFO: no daemon blocks in open(), nor does config check
rm -f "$ENISCOPE_CONF.new"
mkfifo "$ENISCOPE_CONF.new"
mv -f "$ENISCOPE_CONF.new" "$ENISCOPE_CONF"
kept "a FIFO" "is a FIFO, not a regular file"
rc=0
timeout 5 eniscopectl config check "$ENISCOPE_CONF" >"$T/check.out" 2>&1 || rc=$?
[ $rc -eq 1 ] || fail "config check on a FIFO: exit $rc (124: it hung): $(cat "$T/check.out")"
grep -q "$ENISCOPE_CONF: is a FIFO, not a regular file" "$T/check.out" || fail "config check on a FIFO said: $(cat "$T/check.out")"
ok "config check refuses a FIFO at once"

# 6. config check on a path with nothing at it names it, never "ok"
eniscopectl config check "$T/etc/missing.json" >"$T/check.out" 2>&1 && fail "config check of a missing file: $(cat "$T/check.out")"
grep -qx "eniscopectl: $T/etc/missing.json: no such file" "$T/check.out" || fail "config check said: $(cat "$T/check.out")"
ok "config check of a missing file is an error naming it"

# 7. {} is the way back to the defaults
save '{}'
wait_status meterd 'j["config"] == "ok" and j["meters"] == []'
wait_status uploadd 'j["config"] == "ok" and j["targets"] == []'
ok "saving {} returns to the defaults"

grep -q fatal "$T/meterd.err" "$T/uploadd.err" && fail "a daemon logged a fatal error"
kill -TERM "$METERD" "$UPLOADD"
wait "$METERD" || fail "meterd did not exit 0 on TERM"
wait "$UPLOADD" || fail "uploadd did not exit 0 on TERM"
ok "both exit 0 on TERM"
