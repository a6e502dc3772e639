#!/bin/sh
# The daily diagnostics check-in: a target with checkin on gets, at
# <url>/checkin, a JSON document with every hub daemon's status (or "not
# running"), the disk, the backlog of each target, uptime and version; a
# target with checkin off gets none.  Triggered here with the control
# command "checkin" instead of waiting a day.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/upload_lib.sh"

start_receiver on
start_receiver off
start_store -n 100 -m 4
config_targets "[{\"name\":\"on\",\"enabled\":true,\"url\":\"http://127.0.0.1:$RECV_PORT_on/hub/data\",\"checkin\":true},
 {\"name\":\"off\",\"enabled\":true,\"url\":\"http://127.0.0.1:$RECV_PORT_off/up\"}]"
start_uploadd
wait_until 20 "both drain" target_is on 't["backlog"] == 0 and t["records_sent"] == 100'
eniscopectl call uploadd '{"cmd":"checkin"}' >/dev/null || fail "checkin command"
wait_until 10 "the check-in arrives" grep -q '"/hub/data/checkin"' "$T/on.log"
python3 - "$T/on.log" <<'PY' || fail "check-in document"
import json, sys
c = [json.loads(l) for l in open(sys.argv[1]) if '"/hub/data/checkin"' in l][0]["checkin"]
assert c["format"] == "eniscope-checkin/1", c["format"]
assert c["hub"]["mac"] == "02:00:00:00:00:01" and c["hub"]["site"] == "Test site", c["hub"]
for k in ("meterd", "pulsed", "tempd", "storaged", "uploadd", "mqttd", "alarmd", "paneld"):
    assert k in c["daemons"], k
assert c["daemons"]["uploadd"]["state"] == "running" and c["daemons"]["uploadd"]["targets"], c["daemons"]["uploadd"]
assert c["daemons"]["storaged"]["state"] == "running", c["daemons"]["storaged"]   # the stand-in answers
assert c["daemons"]["meterd"]["state"] == "not running", c["daemons"]["meterd"]
assert c["disk"]["total_bytes"] > 0 and 0 <= c["disk"]["free_bytes"] <= c["disk"]["total_bytes"], c["disk"]
assert c["backlog"] == {"on": 0, "off": 0}, c["backlog"]
assert c["uptime_s"] > 0 and c["version"], (c["uptime_s"], c["version"])
assert c["store"]["rows"] == 100, c["store"]
print("check-in:", sorted(c))
PY
grep -q checkin "$T/off.log" && fail "a target with checkin off got a check-in"
target_is on 't["checkin"]["last_ok"] is not None and t["checkin"]["result"] == "HTTP 200"' ||
	fail "check-in status: $(target_status on t)"
ok "check-in with every daemon's status, disk, backlog, uptime and version; only where asked"
