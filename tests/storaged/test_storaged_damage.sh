#!/bin/sh
# A torn write on the card while records wait for upload: one leaf page of
# the records table is overwritten with garbage while storaged is stopped
# and the receiver is down.  storaged does not see it at open (nothing
# reads that page then); the first batch that reads it finds it.  Then:
# the database is moved aside and what it holds salvaged into a new one,
# every readable record reaches the receiver, the lost ones are counted
# (stats and status name them), ids go on rising, and new minutes keep
# being stored and uploaded.  On main every batch answered "database disk
# image is malformed" from then on and nothing more was uploaded.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../uploadd/upload_lib.sh"
. "$(dirname "$0")/stats_lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 (the CLI) is needed"
TOOLS="$BUILD_DIR/tests/storaged"
DB="$ENISCOPE_DATA/store.db"

start_receiver r
port=$RECV_PORT_r
stop_receiver r
config_targets "[{\"name\":\"cloud\",\"enabled\":true,\"url\":\"http://127.0.0.1:$port/up\",\"batch_size\":200,\"retry_max_s\":1,\"interval_s\":1}]"
SD=""
start_sd() {
	storaged --minute-ms 50 2>>"$T/storaged.log" &
	SD=$!
}
stop_sd() {
	kill "$SD" 2>/dev/null
	wait "$SD" 2>/dev/null || true
	SD=""
}
CLEANUP="$CLEANUP stop_sd kill_pf"
"$TOOLS/pubflood" 2 2 &
PF=$!
kill_pf() { kill "$PF" 2>/dev/null; wait "$PF" 2>/dev/null || true; }
start_sd
start_uploadd

wait_until 60 "records pile up while the receiver is down" target_is cloud 't["backlog"] is not None and t["backlog"] >= 1500'
stop_sd
[ ! -e "$DB-wal" ] || fail "the WAL was not checkpointed at stop"
sqlite3 "$DB" "SELECT id, ts, sid FROM records ORDER BY id" >"$T/before.txt"
before=$(wc -l <"$T/before.txt")
maxid=$(tail -n 1 "$T/before.txt" | cut -d'|' -f1)
# the middle leaf of the records table (all of it pending)
page_size=$(sqlite3 "$DB" "PRAGMA page_size")
page=$(sqlite3 "$DB" "SELECT pageno FROM dbstat WHERE name = 'records' AND pagetype = 'leaf' ORDER BY pageno" |
	awk '{ p[NR] = $1 } END { print p[int(NR / 2)] }')
[ -n "$page" ] || fail "no leaf page found"
yes 'torn write garbage' | head -c "$page_size" |
	dd of="$DB" bs="$page_size" seek=$((page - 1)) count=1 conv=notrunc 2>/dev/null
[ "$(sqlite3 "$DB" 'PRAGMA quick_check' 2>&1 | head -n 1)" != ok ] || fail "the damage did not take"
ok "$before records ($maxid the highest id) on the card, all pending; leaf page $page of records overwritten"

start_sd
wait_stats "j.get('records_written', 0) > 0 and 'moved_aside' not in j" 20 "storaged stores again (the damage is not seen at open)"
start_receiver r --port=$port --records
wait_stats "j.get('fault_state') == 'database damaged'" 60 "storaged salvages when a batch finds the damage"
fault=$(stat 'j["fault"]')
case "$fault" in *"moved aside to $DB.corrupt-"*"records salvaged"*"lost ("*"not yet uploaded)"*) ;;
*) fail "the fault does not say what was salvaged and lost: $fault" ;; esac
grep -q "malformed.*moved it aside to .*records salvaged" "$T/storaged.log" || fail "the salvage is not logged"
ok "status: $fault"
written=$(stat 'j["records_written"]')
wait_stats "j['records_written'] > $written + 100" 30 "new minutes keep being stored after the salvage"
kill_pf
sleep 0.2 # the minute being aggregated is committed at its end
wait_until 60 "the backlog drains" target_is cloud 't["backlog"] == 0 and t["state"] == "idle"'

sqlite3 "$DB" "SELECT id, ts, sid FROM records ORDER BY id" >"$T/after.txt"
python3 - "$T/before.txt" "$T/after.txt" "$T/r.log" "$(stats)" "$maxid" <<'PY' || fail "salvage and delivery"
import json, sys
def rows(path):
    return {int(l.split("|")[0]): l.strip() for l in open(path) if l.strip()}
before, after = rows(sys.argv[1]), rows(sys.argv[2])
stats, maxid = json.loads(sys.argv[4]), int(sys.argv[5])
lost = set(before) - set(after)
kept = set(before) & set(after)
changed = [i for i in kept if before[i] != after[i]]
new = sorted(i for i in after if i not in before)
arrived = {}
for line in open(sys.argv[3]):
    e = json.loads(line)
    if e.get("code") == 200:
        for r in e["records"]:
            arrived[r["id"]] = r
print("before %d records, salvaged %d, lost %d (stats: lost_to_damage %d, dropped_unuploaded %d); "
      "%d new after it, ids %d..%d; %d distinct ids arrived" % (
      len(before), len(kept), len(lost), stats["lost_to_damage"], stats["dropped_unuploaded"], len(new),
      new[0] if new else 0, new[-1] if new else 0, len(arrived)))
assert 1 <= len(lost) <= 100, len(lost)
assert not changed, changed[:3]
assert stats["lost_to_damage"] == len(lost), (stats["lost_to_damage"], len(lost))
assert stats["dropped_unuploaded"] >= len(lost)
assert new and new[0] > maxid, "ids did not go on past %d" % maxid
assert len(new) >= 100
missing = set(after) - set(arrived)
assert not missing, ("stored but never arrived", sorted(missing)[:5])
assert not (lost & set(arrived)), "a lost record arrived?"
PY
ok "every readable record reached the receiver, the lost ones are counted, ids and minutes go on"
