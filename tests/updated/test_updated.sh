#!/bin/sh
# updated with a check command and an update command that record their
# arguments (update.package appended), the check printing apt-cache
# policy's text from a file: the check at start finds the offered version
# and keeps it in $ENISCOPE_DATA/update.json; a restart does not ask again
# before check_hours; "update" runs the update command and checks again
# (the new version installed, nothing offered); a second "update" while one
# runs is refused as busy; a failing check and a hostile output are
# reported with the versions kept; a state file from another version
# checks at once.
. "$(dirname "$0")/../integration/lib.sh"

. "$(dirname "$0")/fake_apt.sh"
fake_apt "$T"
: >"$T/installs"
cat >"$ENISCOPE_CONF" <<JSON
{"update":{"check_command":["$T/check"],"install_command":["$T/install","-y"],"check_hours":24}}
JSON

UPD=
CLEANUP="$CLEANUP stop_updated"
stop_updated() {
	[ -z "$UPD" ] || { kill "$UPD" 2>/dev/null; wait "$UPD"; }
	UPD=
}
start_updated() {
	updated 2>>"$T/updated.log" &
	UPD=$!
	wait_until 10 "updated answers" eniscopectl call updated '{"cmd":"status"}'
}
status() { eniscopectl call updated '{"cmd":"status"}'; }
is() { python3 -c 'import json,sys; s=json.loads(sys.argv[1]); sys.exit(0 if eval(sys.argv[2]) else 1)' "$(status)" "$1"; }
lines() { wc -l <"$1" | tr -d ' '; }

start_updated
wait_until 10 "the check at start" is 's["checked"] and s["job"] is None'
is 's["installed"]=="0.1.0-1" and s["candidate"]=="0.2.0-1" and s["update_available"] and s["check_error"] is None' ||
	fail "after the first check: $(status)"
[ "$(cat "$T/checks")" = "eniscope-hub" ] || fail "check command's arguments: $(cat "$T/checks")"
is 'abs(s["next_check"] - s["checked"] - 86400) <= 1' || fail "next check not a day later: $(status)"
json_get "$(cat "$ENISCOPE_DATA/update.json")" 'j["candidate"]' | grep -qx 0.2.0-1 || fail "state file: $(cat "$ENISCOPE_DATA/update.json")"
ok "check at start: 0.1.0-1 installed, 0.2.0-1 offered, next check in 24 h, kept in update.json"

stop_updated
start_updated
is 's["installed"]=="0.1.0-1" and s["update_available"] and s["job"] is None' || fail "after a restart: $(status)"
[ "$(lines "$T/checks")" = 1 ] || fail "a restart asked the source again: $(lines "$T/checks") checks"
ok "a restart keeps the last check and does not ask again"

mkfifo "$T/hold"
exec 3<>"$T/hold"
eniscopectl call updated '{"cmd":"update"}' >"$T/answer" || fail "update refused: $(cat "$T/answer")"
wait_until 10 "update running" is 's["job"]=="update" and s["update"]["state"]=="running"'
if eniscopectl call updated '{"cmd":"update"}' >"$T/answer2" 2>&1; then fail "a second update was started: $(cat "$T/answer2")"; fi
grep -q busy "$T/answer2" || fail "a second update: $(cat "$T/answer2")"
echo go >&3
wait_until 20 "update done and checked" is 's["update"]["state"]=="done" and s["job"] is None and s["installed"]=="0.2.0-1"'
is 'not s["update_available"] and "Setting up eniscope-hub" in s["update"]["output"] and s["update"]["result"]=="exit status 0"' ||
	fail "after the update: $(status)"
[ "$(cat "$T/installs")" = "-y eniscope-hub" ] || fail "update command's arguments: $(cat "$T/installs")"
[ "$(lines "$T/checks")" = 2 ] || fail "no check after the update: $(lines "$T/checks")"
rm "$T/hold"
ok "update: the update command ran once ('-y eniscope-hub'), a second one refused as busy, then checked: 0.2.0-1, nothing offered"

echo "E: Could not resolve 'apt.example.com'" >"$T/check_fails"
eniscopectl call updated '{"cmd":"check"}' >/dev/null || fail "check refused"
wait_until 10 "failed check" is 's["check_error"] is not None and s["job"] is None'
is '"exit status 100" in s["check_error"] and "Could not resolve" in s["check_error"] and s["installed"]=="0.2.0-1"' ||
	fail "failed check: $(status)"
# words that are not UTF-8 (a broken mirror, another locale's bytes) still
# make a JSON status, with '?' for each bad byte
printf 'E: caf\303 \377 gone\n' >"$T/check_fails"
eniscopectl call updated '{"cmd":"check"}' >/dev/null || fail "check refused"
wait_until 10 "check with bytes that are not UTF-8" is 's.get("check_error") and "caf? ? gone" in s["check_error"]'
rm "$T/check_fails"
printf 'eniscope-hub:\n  Installed: 0.2.0-1; reboot\n  Candidate: 9\n' >"$T/policy"
eniscopectl call updated '{"cmd":"check"}' >/dev/null || fail "check refused"
wait_until 10 "hostile check" is 's["check_error"] is not None and "not a Debian version" in s["check_error"]'
is 's["installed"]=="0.2.0-1" and not s["update_available"]' || fail "hostile output changed the versions: $(status)"
ok "a failing check (also in bytes that are not UTF-8) and a hostile output are reported by name, the versions kept"

stop_updated
python3 - "$ENISCOPE_DATA/update.json" <<'PY'
import json, sys, time
j = json.load(open(sys.argv[1])); j["by_version"] = "0.0.1"; j["checked"] = int(time.time())
json.dump(j, open(sys.argv[1], "w"))
PY
printf 'eniscope-hub:\n  Installed: 0.2.0-1\n  Candidate: 0.3.0-1\n' >"$T/policy"
n=$(lines "$T/checks")
start_updated
wait_until 10 "check after a version change" is 's["candidate"]=="0.3.0-1" and s["job"] is None'
[ "$(lines "$T/checks")" = $((n + 1)) ] || fail "checks: $(lines "$T/checks"), want $((n + 1))"
ok "a state file written by another version: checked at start"
