#!/bin/sh
# eniscopectl reset (docs/RESET.md) on the real daemons under runsvdir:
# storaged (a "minute" every 200 ms), meterd and pulsed on simulated
# sources.
#  1. "data": stored readings, registers and pulse counts gone, settings,
#     password and sessions kept, every daemon running again, ids go on;
#  2. "all": that, plus the factory config (the same document), no password
#     file, no logo, no session;
#  3. a daemon not under runit is stopped with TERM (the control socket's
#     pid) and left stopped;
#  4. RESET_KILLS times (seeded: RESET_SEED, printed), "reset all" is
#     SIGKILLed at a random moment of its run; then the state is wholly
#     old or wholly new once recovered, by `eniscopectl reset resume` or
#     by the next start of a daemon (its run script), alternately.
. "$(dirname "$0")/lib.sh"

SEED=${RESET_SEED:-$(date +%s)}
KILLS=${RESET_KILLS:-8}
echo "seed $SEED (RESET_SEED=$SEED to repeat), $KILLS kills"

export SVDIR="$T/service" ENISCOPE_FACTORY_CONF="$T/factory.json"
cat >"$ENISCOPE_FACTORY_CONF" <<'JSON'
{"version":1,"adc":{"source":"sim"},"meters":[{"id":1,"enabled":true}],
 "pulse_input":{"source":"sim"},"pulses":[{"id":1,"enabled":true,"sim_pulses_per_hour":3600}]}
JSON
cat >"$ENISCOPE_CONF" <<'JSON'
{"version":1,"adc":{"source":"sim"},"meters":[{"id":1,"enabled":true,"name":"Old meter"}],
 "pulse_input":{"source":"sim"},"pulses":[{"id":1,"enabled":true,"sim_pulses_per_hour":3600}],
 "hub":{"company":"Old Co"}}
JSON

# The daemons without LeakSanitizer's exit check (ASan builds), as in
# tests/web: under load it can hang a daemon's exit for good, and this
# test stops them again and again.  eniscopectl run from here keeps it.
saved_asan=${ASAN_OPTIONS:-}
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
start_runsvdir meterd pulsed
export ASAN_OPTIONS="$saved_asan"
# storaged with short minutes, so the store has records within a second;
# otherwise as daemon-run (a pending reset completed before it starts)
cp -rL "$SOURCE_DIR/packaging/runit/storaged" "$T/storaged.svc"
cat >"$T/storaged.svc/run" <<'EOF'
#!/bin/sh
exec 2>&1
SVDIR=$(dirname "$(pwd)") eniscopectl reset resume --starting storaged || exit 1
exec storaged --minute-ms 200
EOF
chmod +x "$T/storaged.svc/run"
mv "$T/storaged.svc" "$T/service/storaged"

# the state's six parts, each "old" (as seeded) or "new" (as a reset
# leaves it), and the verdict: old, new or mix
cat >"$T/state.py" <<'PY'
import json, os, sqlite3, sys
t, old_max = sys.argv[1], int(sys.argv[2])
data, run = t + "/data", t + "/run"
def load(p):
    try:
        return json.load(open(p))
    except (OSError, ValueError):
        return None
def counter(name, get):
    vals = [get(d) for d in (load(data + "/" + name), load(run + "/" + name)) if d]
    return "old" if any(v is not None and v >= 1e9 for v in vals) else "new"
def store():
    if not os.path.exists(data + "/store.db"):
        return "new"
    db = sqlite3.connect("file:%s/store.db?mode=ro" % data, uri=True, timeout=10)
    n = db.execute("SELECT count(*) FROM records WHERE id <= ?", (old_max,)).fetchone()[0]
    db.close()
    return "old" if n else "new"
conf = load(t + "/etc/config.json") or {}
parts = {
    "config": "old" if conf.get("hub", {}).get("company") == "Old Co" else "new",
    "credentials": "old" if os.path.exists(data + "/web/credentials") else "new",
    "logo": "old" if os.path.exists(data + "/web/logo.png") else "new",
    "session": "old" if os.path.exists(run + "/web/sessions/oldsession") else "new",
    "store": store(),
    "registers": counter("meterd-registers.json", lambda d: d["meters"]["1"]["sys"]["E"]),
    "pulses": counter("pulsed-counts.json", lambda d: d["inputs"]["1"]["count"]),
}
v = set(parts.values())
print(v.pop() if len(v) == 1 else "mix", " ".join(k + "=" + parts[k] for k in sorted(parts)))
PY
state() { python3 "$T/state.py" "$T" "$OLD_MAX"; }
max_id() {
	python3 -c 'import sqlite3,sys; print(sqlite3.connect("file:"+sys.argv[1]+"?mode=ro",uri=True,timeout=10).execute("SELECT coalesce(max(id),0) FROM records").fetchone()[0])' \
		"$ENISCOPE_DATA/store.db" 2>/dev/null || echo 0
}
running() { for s in storaged meterd pulsed; do sv status "$T/service/$s" | grep -q '^run:' || return 1; done; }
answers() { for s in storaged meterd pulsed; do eniscopectl call "$s" '{"cmd":"status"}' || return 1; done; }
has_rows_after() { [ "$(max_id)" -gt "$1" ]; }

# seed: the old state, every part of it distinct from what a reset leaves
seed() {
	wait_until 30 "every daemon running" running
	eniscopectl config set hub.company "Old Co" >/dev/null
	mkdir -p "$ENISCOPE_DATA/web" "$ENISCOPE_RUNDIR/web/sessions"
	echo 'admin:$y$j9T$old$hash' >"$ENISCOPE_DATA/web/credentials"
	echo png >"$ENISCOPE_DATA/web/logo.png"
	echo old >"$ENISCOPE_RUNDIR/web/sessions/oldsession"
	sv -w 30 down "$T/service/meterd" "$T/service/pulsed" >/dev/null ||
		{ ps -eo pid,ppid,stat,args | grep -e "$T" -e ' pulsed' -e ' meterd' -e 'eniscopectl'; fail "sv down meterd pulsed"; }
	echo '{"version":1,"meters":{"1":{"sys":{"E":2e9,"Ex":0,"RE":0,"REx":0,"AE":0}}}}' \
		>"$ENISCOPE_DATA/meterd-registers.json"
	echo '{"inputs":{"1":{"count":2000000000}}}' >"$ENISCOPE_DATA/pulsed-counts.json"
	rm -f "$ENISCOPE_RUNDIR/meterd-registers.json" "$ENISCOPE_RUNDIR/pulsed-counts.json"
	sv up "$T/service/meterd" "$T/service/pulsed"
	wait_until 30 "every daemon answering" answers
	wait_until 30 "records in the store" has_rows_after 0
	OLD_MAX=$(max_id)
	[ "$(state | cut -d' ' -f1)" = old ] || fail "seeded state is not old: $(state)"
}

# 1. data
seed
eniscopectl reset data 2>"$T/reset.log" || { cat "$T/reset.log"; fail "reset data"; }
s=$(state)
case $s in
"mix config=old credentials=old logo=old pulses=new registers=new session=old store=new") ok "reset data: $s" ;;
*) fail "reset data left: $s" ;;
esac
grep -q "reset data: done" "$T/reset.log" || fail "reset data: not logged"
wait_until 30 "every daemon running after reset data" running
wait_until 30 "storaged storing again, ids going on" has_rows_after "$OLD_MAX"
ok "after reset data every daemon runs again and the store's ids go on past $OLD_MAX"

# 2. all
seed
t0=$(date +%s%N)
eniscopectl reset all 2>"$T/reset.log" || { cat "$T/reset.log"; fail "reset all"; }
FULL_MS=$((($(date +%s%N) - t0) / 1000000))
[ "$(state | cut -d' ' -f1)" = new ] || fail "reset all left: $(state)"
python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' \
	"$ENISCOPE_CONF" "$ENISCOPE_FACTORY_CONF" || fail "the config is not the factory one: $(cat "$ENISCOPE_CONF")"
grep -q "reset all: done" "$T/reset.log" || fail "reset all: not logged"
[ ! -e "$ENISCOPE_DATA/reset.intent" ] || fail "the intent file stayed"
ok "reset all: $(state), config = the factory document, took $FULL_MS ms"
wait_until 30 "every daemon running after reset all" running

# 3. not under runit: meterd run by hand, SVDIR with no services
sv -w 30 down "$T/service/meterd" >/dev/null
meterd 2>"$T/meterd.hand.log" &
HAND=$!
kill_hand() { kill "$HAND" 2>/dev/null || true; }
CLEANUP="$CLEANUP kill_hand"
wait_until 20 "meterd by hand" eniscopectl call meterd '{"cmd":"status"}'
SVDIR="$T/none" eniscopectl reset data 2>"$T/reset.log" || { cat "$T/reset.log"; fail "reset data without runit"; }
kill -0 "$HAND" 2>/dev/null && fail "meterd by hand still running after the reset"
grep -q "meterd is not under runit: stopped with TERM" "$T/reset.log" || fail "the TERM stop not said"
ok "a daemon not under runit is stopped with TERM and told to be started again"
sv up "$T/service/meterd"

# 4. killed at random moments
LIMIT=$((FULL_MS + FULL_MS / 5))
k=0
while [ $k -lt "$KILLS" ]; do
	seed
	at=$(python3 -c 'import random,sys; random.seed(int(sys.argv[1])*100+int(sys.argv[2])); print(random.randrange(int(sys.argv[3])))' \
		"$SEED" "$k" "$LIMIT")
	eniscopectl reset all 2>"$T/kill.$k.log" &
	pid=$!
	# the kill point itself is the test's random input, not a wait for an event
	sleep "$(python3 -c "print($at / 1000)")"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	before=$(state)
	intent=no
	[ -e "$ENISCOPE_DATA/reset.intent" ] && intent=yes
	if [ $intent = no ]; then
		case $before in mix*) fail "kill at $at ms: no intent and a mixed state: $before" ;; esac
	fi
	if [ $((k % 2)) = 0 ]; then
		how="eniscopectl reset resume"
		eniscopectl reset resume 2>>"$T/kill.$k.log" || fail "resume after kill at $at ms"
	else
		how="meterd's next start"
		sv restart "$T/service/meterd" >/dev/null
	fi
	wait_until 60 "the reset completed" test ! -e "$ENISCOPE_DATA/reset.intent"
	wait_until 60 "every daemon running" running
	after=$(state)
	case $after in mix*) fail "kill at $at ms (intent: $intent), recovered by $how: $after" ;; esac
	[ $intent = no ] || [ "${after%% *}" = new ] || fail "kill at $at ms: intent there but recovered to $after"
	echo "ok: kill $k at $at ms of $LIMIT: intent $intent, before recovery ${before%% *}, after $how: ${after%% *}"
	k=$((k + 1))
done
ok "$KILLS random kills, each recovered wholly old or wholly new"
