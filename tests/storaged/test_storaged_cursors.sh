#!/bin/sh
# storaged's consumer cursors through its control socket, as any local
# client reaches them (eniscopectl call storaged ...): made-up upload
# target names are refused; other readers fill at most their share, then
# are refused with a reason the stats repeat; the configured target still
# gets its cursor; cursors are listed and removed; a target added to the
# config owns its cursor at once.  On main the 33rd made-up name took the
# last cursor for good and the new target waited forever.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/stats_lib.sh"
CTL="$BUILD_DIR/eniscopectl/eniscopectl"
config() { # upload target names...
	python3 - "$SOURCE_DIR/packaging/demo/config.json" "$@" >"$ENISCOPE_CONF.tmp" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["upload"] = [{"name": n, "enabled": False, "url": "http://127.0.0.1:9/up"} for n in sys.argv[2:]]
print(json.dumps(c))
PY
	mv "$ENISCOPE_CONF.tmp" "$ENISCOPE_CONF"
}
config cloud
"$BUILD_DIR/tests/storaged/pubflood" 20 2 &
PF=$!
storaged --minute-ms 100 2>"$T/storaged.log" &
SD=$!
CLEANUP="$CLEANUP stop_all"
stop_all() {
	kill "$SD" "$PF" 2>/dev/null
	wait "$SD" "$PF" 2>/dev/null || true
}
call() { "$CTL" call storaged "$1" 2>&1; }
batch() { call "{\"cmd\":\"batch\",\"consumer\":\"$1\",\"max\":1}"; }
wait_stats "j.get('rows', 0) > 0" 20 "storaged stores"

out=$(batch upload:madeup) && fail "a made-up upload target got a cursor: $out"
case "$out" in *'no upload target \"madeup\"'* | *'no upload target "madeup"'*) ;; *) fail "refusal does not say why: $out" ;; esac
guests=$(stat 'j["guests_max"]')
i=0
while [ $i -lt "$guests" ]; do
	batch "reader-$i" >/dev/null || fail "reader-$i: $(batch "reader-$i")"
	i=$((i + 1))
done
out=$(batch one-too-many) && fail "more readers than their share: $out"
case "$out" in *"remove one (remove-consumer)"*) ;; *) fail "refusal does not say what to do: $out" ;; esac
full=$(stat 'j["consumers_full"]')
[ -n "$full" ] || fail "stats do not say the cursors ran out"
[ "$(stat 'j["guests_refused"]')" -ge 1 ] || fail "refusals not counted"
ok "made-up upload target refused; $guests readers then refused: stats say \"$full\""

batch upload:cloud >/dev/null || fail "the configured target gets no cursor: $(batch upload:cloud)"
[ "$(json_get "$(call '{"cmd":"consumers"}')" 'j["consumers"]["upload:cloud"]["owned"]')" = True ] ||
	fail "consumers does not list the target's cursor as owned: $(call '{"cmd":"consumers"}')"
call '{"cmd":"remove-consumer","consumer":"reader-3"}' | grep -q removed || fail "remove-consumer"
out=$(call '{"cmd":"remove-consumer","consumer":"reader-3"}') && fail "removed twice: $out"
batch one-more >/dev/null || fail "no room after a removal: $(batch one-more)"
ok "the target has its cursor; cursors listed, removed, and the room reused"

# a target added to the config owns its cursor at once, even with the
# readers' share full
config cloud backup
wait_until 10 "the new target gets its cursor" "$CTL" call storaged '{"cmd":"batch","consumer":"upload:backup","max":1}'
# and survive a restart, owned as before
kill "$SD"
wait "$SD" 2>/dev/null || true
storaged --minute-ms 100 2>>"$T/storaged.log" &
SD=$!
wait_until 20 "storaged answers after the restart" "$CTL" call storaged '{"cmd":"stats"}'
n=$(json_get "$(call '{"cmd":"consumers"}')" 'len(j["consumers"])')
owned=$(json_get "$(call '{"cmd":"consumers"}')" 'sorted(k for k, v in j["consumers"].items() if v["owned"])')
[ "$n" = $((guests + 2)) ] || fail "after the restart: $n cursors"
[ "$owned" = "['upload:backup', 'upload:cloud']" ] || fail "after the restart, owned: $owned"
ok "a target added later owns its cursor; $n cursors kept over a restart, the targets' owned"
