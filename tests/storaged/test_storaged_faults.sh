#!/bin/sh
# storaged on a failing card: full, read-only, I/O errors under SQLite and
# a corrupted database file.  Each one shows a clear fault state in the
# status (naming it and the records held in memory), the same storaged
# process keeps running (no crash loop), it keeps collecting minutes in
# memory, and when the fault clears it resumes by itself and writes the
# minutes it held.
#
# The card is a small tmpfs in a private mount namespace (root only), so
# it can be filled and remounted read-only; I/O errors come from the
# iofail LD_PRELOAD shim (EIO on write/pwrite/fsync of store.db while a
# flag file exists).
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: storaged fault tests need root (tmpfs mounts in a private mount namespace)"
	exit 77
fi
if [ -z "${STORAGED_IN_NS:-}" ]; then
	STORAGED_IN_NS=1 unshare -m --propagation private "$0" "$@"
	rc=$?
	[ $rc -ne 1 ] || ! unshare -m true 2>/dev/null || exit 1
	if [ $rc -ne 0 ] && ! unshare -m true 2>/dev/null; then
		echo "SKIP: unshare -m is not permitted here"
		exit 77
	fi
	exit $rc
fi
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/stats_lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 (the CLI) is needed"
TOOLS="$BUILD_DIR/tests/storaged"
# an upload target (disabled: no uploadd here) owns the cursor below
python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); c["upload"] = [{"name": "test", "enabled": False, "url": "http://127.0.0.1:9/up"}]; print(json.dumps(c))' \
	"$SOURCE_DIR/packaging/demo/config.json" >"$ENISCOPE_CONF"
CARD="$T/card"
mkdir -p "$CARD"
mount -t tmpfs -o size=16m tmpfs "$CARD" || fail "cannot mount a tmpfs"
CLEANUP="umount_card $CLEANUP"
umount_card() { umount -l "$CARD"; }
mkdir "$CARD/data"
export ENISCOPE_DATA="$CARD/data"

"$TOOLS/pubflood" 20 8 &
PF=$!
SD=""
CLEANUP="$CLEANUP stop_all"
stop_all() {
	[ -z "$SD" ] || { kill "$SD" 2>/dev/null; wait "$SD" 2>/dev/null; }
	kill "$PF" 2>/dev/null
	wait "$PF" 2>/dev/null || true
}

start_sd() { # [env assignments...]
	env "$@" ENISCOPE_DEBUG=1 storaged --minute-ms 200 2>>"$T/storaged.log" &
	SD=$!
}
stop_sd() {
	kill "$SD"
	wait "$SD" 2>/dev/null || true
	SD=""
}
alive() { kill -0 "$SD" 2>/dev/null || fail "$1: storaged exited (see $T/storaged.log: $(tail -n 5 "$T/storaged.log"))"; }

# fault_then_recover NAME STATE: after the fault was caused, checks the
# fault state, that the held minutes grow while it lasts, then waits for
# the caller's fix (run as the remaining arguments) and the recovery
fault_then_recover() {
	name=$1 state=$2
	shift 2
	wait_stats "j.get('fault_state') == '$state'" 30 "$name: fault state \"$state\""
	fault=$(stat 'j["fault"]')
	case "$fault" in *"records held in memory"*) ;; *) fail "$name: the fault does not say what is held: $fault" ;; esac
	held1=$(stat 'j["held_in_memory"]')
	sleep 1 # minutes keep being collected during the fault
	held2=$(stat 'j["held_in_memory"]')
	[ "$held2" -gt "$held1" ] || fail "$name: nothing collected during the fault ($held1 then $held2 held)"
	alive "$name"
	ok "$name: status says \"$fault\"; $held2 records held and growing; same process"
	written=$(stat 'j["records_written"]')
	"$@"
	wait_stats "j.get('fault_state') == 'ok' and j['held_in_memory'] < 100 and j['records_written'] >= $written + $held2" 40 \
		"$name: recovery"
	alive "$name"
	[ "$(sqlite3 "$ENISCOPE_DATA/store.db" 'PRAGMA integrity_check')" = ok ] || fail "$name: integrity_check"
	ok "$name: resumed by itself, wrote the $held2+ held records ($(stat 'j["rows"]') rows now)"
}

start_sd
wait_stats "j.get('rows', 0) > 0" 20 "storaged stores"
# the target's consumer, so nothing counts as uploaded: a full card must not eat data
"$BUILD_DIR/eniscopectl/eniscopectl" call storaged '{"cmd":"batch","consumer":"upload:test","max":1}' >/dev/null || fail "batch"

# 1. the card fills up (with something else)
dd if=/dev/zero of="$CARD/filler" bs=64k 2>/dev/null || true
fault_then_recover "card full" "card full" rm -f "$CARD/filler"
[ "$(stat 'j["dropped_unuploaded"]')" = 0 ] || fail "card full: unuploaded records were dropped"

# 2. the card is read-only (remounted so while storaged was stopped: Linux
# refuses to remount read-only under a file open for writing)
stop_sd
mount -o remount,ro "$CARD" || fail "cannot remount read-only"
start_sd
fault_then_recover "read-only card" "card read-only" mount -o remount,rw "$CARD"

# 3. the card returns I/O errors
stop_sd
start_sd LD_PRELOAD="$TOOLS/iofail.so" STORAGED_FAIL_FILE="$T/iofail" \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
wait_stats "j.get('fault_state') == 'ok' and j.get('minutes_committed', 0) > 2" 20 "storaged under the shim stores"
touch "$T/iofail"
fault_then_recover "I/O errors" "card I/O error" rm -f "$T/iofail"

# 4. the database file is corrupted while storaged is stopped
stop_sd
[ ! -e "$ENISCOPE_DATA/store.db-wal" ] || fail "the WAL was not checkpointed at stop"
printf 'this is not an SQLite header, it is garbage, garbage, garbage........................' |
	dd of="$ENISCOPE_DATA/store.db" bs=1 conv=notrunc 2>/dev/null
start_sd
wait_stats "'moved_aside' in j and j.get('fault_state') == 'database damaged' and j.get('rows', 0) > 0" 20 "corrupt file"
aside=$(stat 'j["moved_aside"]')
[ -f "$aside" ] || fail "corrupt file: $aside does not exist"
case "$(stat 'j["fault"]')" in *"moved aside to $aside"*"could not be read at all"*) ;;
*) fail "corrupt file: the fault does not say what was lost: $(stat 'j["fault"]')" ;; esac
alive "corrupt file"
[ "$(sqlite3 "$ENISCOPE_DATA/store.db" 'PRAGMA integrity_check')" = ok ] || fail "corrupt file: new database"
grep -q "moved it aside to $aside" "$T/storaged.log" || fail "corrupt file: not logged"
ok "corrupt file: moved aside to $(basename "$aside"), reported in status as a fault, a new database stores ($(stat 'j["rows"]') rows)"
