#!/bin/sh
# InfluxDB 1.x (Debian's influxd, started here on loopback with its own
# data directories): uploadd writes line protocol through /write with user
# and password; queried back, every minute of every meter is there once
# per phase and as a total, with the meter's name (commas, spaces, equals
# signs and quotes in it) as a tag, at second precision.  A wrong password
# pauses the target; the right one resumes it.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/upload_lib.sh"
command -v influxd >/dev/null || fail "influxd (Debian package influxdb) is needed"

HTTP=$(free_port)
RPC=$(free_port)
mkdir -p "$T/influx"
cat >"$T/influx/influxd.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$RPC"
[meta]
  dir = "$T/influx/meta"
[data]
  dir = "$T/influx/data"
  wal-dir = "$T/influx/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$HTTP"
  auth-enabled = true
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
CONF
influxd -config "$T/influx/influxd.conf" >"$T/influx/influxd.log" 2>&1 &
INFLUX=$!
CLEANUP="$CLEANUP kill_influx"
kill_influx() { kill "$INFLUX" 2>/dev/null; wait "$INFLUX" 2>/dev/null || true; }
wait_until 30 "influxd answers" curl -sf "http://127.0.0.1:$HTTP/ping"
q() { curl -sf -u admin:adminpw "http://127.0.0.1:$HTTP/query" --data-urlencode "db=hub" --data-urlencode "epoch=s" --data-urlencode "q=$1"; }
# the first user may be created without credentials
curl -sf "http://127.0.0.1:$HTTP/query" --data-urlencode "q=CREATE USER admin WITH PASSWORD 'adminpw' WITH ALL PRIVILEGES" >/dev/null ||
	fail "cannot create the admin user"
q 'CREATE DATABASE hub' >/dev/null || fail "cannot create the database"

N=400 # 50 minutes x 8 meters
start_store -n $N -m 8
name='Main, board=1 "A"'
write_config() {
	cat >"$ENISCOPE_CONF.tmp" <<JSON
{"hub":{"mac":"02:00:00:00:00:01"},
 "meters":[{"id":1,"name":"Main, board=1 \"A\""},{"id":2,"name":"Roof PV"}],
 "upload":[{"name":"influx","enabled":true,"type":"influxdb","url":"http://127.0.0.1:$HTTP","influx_api":"v1",
            "influx_db":"hub","username":"admin","password":"$1","batch_size":100}]}
JSON
	mv "$ENISCOPE_CONF.tmp" "$ENISCOPE_CONF"
}
write_config wrongpw
start_uploadd
wait_until 20 "a wrong password pauses the target" target_is influx 't["paused"] and t["last_error"]["http"] == 401'
ok "InfluxDB refused the password: target paused ($(target_status influx 't["last_error"]["text"]'))"

write_config adminpw
wait_until 60 "the backlog drains" target_is influx 't["backlog"] == 0 and t["state"] == "idle" and not t["paused"]'
for phase in 1 2 3 total; do
	c=$(q "SELECT count(V) FROM meter WHERE phase = '$phase'")
	n=$(json_get "$c" 'j["results"][0]["series"][0]["values"][0][1]')
	[ "$n" = $N ] || fail "phase $phase: $n points of V, want $N: $c"
done
ok "$N meter minutes, each as phases 1, 2, 3 and total"

tags=$(q 'SHOW TAG VALUES FROM meter WITH KEY = "name"')
json_get "$tags" '[v[1] for v in j["results"][0]["series"][0]["values"]]' | grep -qF "'Main, board=1 \"A\"'" ||
	fail "the meter name did not come back whole: $tags"
first=$(q "SELECT V, E FROM meter WHERE meter = '1' AND phase = 'total' AND hub = '02:00:00:00:00:01' ORDER BY time LIMIT 2")
json_get "$first" 'j["results"][0]["series"][0]["values"]' | grep -q "^\[\[1795536000, " ||
	fail "first minute's timestamp: $first"
json_get "$first" 'j["results"][0]["series"][0]["values"][1][0]' | grep -qx 1795536060 || fail "second minute: $first"
ok "tags (hub, meter, name with , = space and quotes) and second-precision times read back: $(json_get "$first" 'j["results"][0]["series"][0]["values"][0]')"
