# Shared by uploadd's integration tests: a receiver (receiver.py), the
# storaged stand-in (fake_storaged) or the real storaged, uploadd itself,
# and the checks on what arrived.  Sourced after ../integration/lib.sh.
HERE=$SOURCE_DIR/tests/uploadd
PATH="$BUILD_DIR/tests/uploadd:$BUILD_DIR/eniscopectl:$PATH"
export PATH

# start_receiver NAME [--port=N] [--summary | --records]: sets RECV_PORT_<NAME>; its log is $T/<NAME>.log
start_receiver() {
	name=$1
	shift
	rm -f "$T/$name.port"
	python3 "$HERE/receiver.py" "$T/$name.port" "$T/$name.log" "$@" 2>>"$T/$name.err" &
	eval "RECV_PID_$name=$!"
	CLEANUP="$CLEANUP stop_receiver_$name"
	eval "stop_receiver_$name() { kill \$RECV_PID_$name 2>/dev/null; }"
	i=0
	until [ -s "$T/$name.port" ]; do
		i=$((i + 1))
		[ $i -le 100 ] || fail "receiver $name did not start: $(cat "$T/$name.err")"
		sleep 0.1
	done
	eval "RECV_PORT_$name=$(cat "$T/$name.port")"
}

stop_receiver() {
	eval "pid=\$RECV_PID_$1"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# receiver_ctl NAME JSON: changes how receiver NAME answers
receiver_ctl() {
	eval "port=\$RECV_PORT_$1"
	curl -sf -X POST --data "$2" "http://127.0.0.1:$port/_ctl" >/dev/null || fail "receiver $1 control failed"
}

# start_store ARGS...: the storaged stand-in, pre-filled; set-asides logged to $T/aside.log
start_store() {
	: >"$T/aside.log"
	fake_storaged -a "$T/aside.log" "$@" 2>>"$T/store.err" &
	STORE_PID=$!
	CLEANUP="$CLEANUP stop_store"
	wait_until 10 "store answers" eniscopectl call storaged '{"cmd":"stats"}'
}
stop_store() { kill "$STORE_PID" 2>/dev/null; }

# start_uploadd: in the background, log in $T/uploadd.log
start_uploadd() {
	uploadd 2>>"$T/uploadd.log" &
	UPLOADD_PID=$!
	CLEANUP="$CLEANUP stop_uploadd"
	wait_until 10 "uploadd answers" eniscopectl call uploadd '{"cmd":"status"}'
}
stop_uploadd() {
	kill "$UPLOADD_PID" 2>/dev/null || true
	wait "$UPLOADD_PID" 2>/dev/null || true
}

# target_status NAME EXPR: evaluates EXPR on t (the target's status object)
target_status() {
	eniscopectl call uploadd '{"cmd":"status"}' | python3 -c '
import json, sys
st = json.load(sys.stdin)
t = [x for x in st["targets"] if x["name"] == sys.argv[1]][0]
print(eval(sys.argv[2]))' "$1" "$2"
}

# target_is NAME EXPR: true when EXPR holds for the target's status
target_is() {
	[ "$(target_status "$1" "$2")" = True ]
}

# accepted NAME: how many distinct rids receiver NAME accepted
accepted() {
	python3 - "$T/$1.log" <<'PY'
import json, sys
rids = set()
try:
    for line in open(sys.argv[1]):
        e = json.loads(line)
        if e.get("code") == 200:
            rids.update(e.get("rids", []))
except FileNotFoundError:
    pass
print(len(rids))
PY
}

# has_accepted NAME N: true when receiver NAME has N distinct rids
has_accepted() {
	[ "$(accepted "$1")" -ge "$2" ]
}

# check_delivery NAME N METERS MAX_DUPS [UNKNOWN_EVERY]: every record 1..N of
# the stand-in arrived exactly by rid (save those with unknown time, which
# must never arrive), none twice beyond MAX_DUPS
check_delivery() {
	python3 - "$T/$1.log" "$2" "$3" "$4" "${5:-0}" <<'PY' || fail "delivery check failed"
import collections, json, sys
log, n, meters, max_dups, unknown_every = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
first = 1795536000
want = set()
never = set()
for i in range(n):
    rid = "02:00:00:00:00:01/meter/%d/%d" % (i % meters + 1, first + (i // meters) * 60)
    (never if unknown_every and (i + 1) % unknown_every == 0 else want).add(rid)
seen = collections.Counter()
for line in open(log):
    e = json.loads(line)
    if e.get("code") == 200:
        seen.update(e.get("rids", []))
missing = want - set(seen)
extra = set(seen) - want
dups = sum(c - 1 for c in seen.values())
print("records %d, arrived %d distinct, missing %d, duplicates %d, unexpected %d" % (len(want), len(seen), len(missing), dups, len(extra)))
assert not missing, sorted(missing)[:5]
assert not (extra & never), ("a record with unknown time was sent", sorted(extra & never)[:3])
assert not extra, sorted(extra)[:5]
assert dups <= max_dups, dups
PY
}

# config_targets JSON-ARRAY: writes the config with these upload targets
config_targets() {
	cat >"$ENISCOPE_CONF.tmp" <<JSON
{"hub":{"mac":"02:00:00:00:00:01","site":"Test site"},"upload":$1}
JSON
	mv "$ENISCOPE_CONF.tmp" "$ENISCOPE_CONF"
}
