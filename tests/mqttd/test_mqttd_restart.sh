#!/bin/sh
# A broker restart while readings wait in mqttd's queue (issue 12, item 4).
# What must arrive (the hub's "online", Home Assistant discovery configs,
# the clearing of a removed entity) goes before the queued readings and is
# never dropped because of them, and the status counts the configs the
# broker acknowledged, not those mqttd meant to send.
#   1. a broker without persistence (it forgets every retained message):
#      after the reconnect all 28 configs (4 meters x 7) and "online" are
#      retained again, and the status says 28 only then;
#   2. a broker with persistence, a meter disabled while it is down: its 7
#      configs are cleared after the reconnect, the other 21 stay.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/mqtt_lib.sh"

P=$(free_port)
echo "allow_anonymous true" | start_broker plain "$P"
NODE=eniscope_00010203040b

cat >"$ENISCOPE_CONF" <<JSON
{"adc":{"source":"sim"},"hub":{"mac":"00:01:02:03:04:0b"},
 "meters":[{"id":1,"enabled":true,"name":"One"},{"id":2,"enabled":true,"name":"Two"},
           {"id":3,"enabled":true,"name":"Three"},{"id":4,"enabled":true,"name":"Four"}],
 "mqtt":[{"title":"ha","enabled":true,"host":"127.0.0.1","port":$P,"interval_s":1,"topic":"hub/r",
          "ha_discovery":true}]}
JSON
start_services meterd mqttd
wait_until 15 "mqttd connects" is_true instance ha 'i["connected"]'

# retained_configs: how many of this hub's configs a Home Assistant starting
# now would read
retained_configs() {
	mosquitto_sub -h 127.0.0.1 -p "$P" -t "homeassistant/sensor/$NODE/+/config" -W 2 -F '%r %t' 2>/dev/null |
		grep -c '^1 ' || true
}
retained_status() {
	mosquitto_sub -h 127.0.0.1 -p "$P" -t hub/r/status -C 1 -W 2 -F '%r %p' 2>/dev/null || true
}
wait_until 10 "the broker acknowledges 28 configs" is_true instance ha 'i["discovery_configs"] == 28'
n=$(retained_configs)
[ "$n" = 28 ] || fail "status says 28 configs acknowledged, the broker retains $n"
ok "first connection: 28 configs retained, status says 28"

# 1. the broker restarts without persistence while readings queue
stop_broker plain
wait_until 10 "mqttd sees the broker gone" is_true instance ha 'not i["connected"]'
wait_until 10 "readings wait in the queue" is_true instance ha 'i["messages_queued"] >= 3'
acked=$(instance ha 'i["discovery_configs"]')
[ "$acked" = 0 ] || fail "disconnected, the status still says $acked configs acknowledged"
queued=$(instance ha 'i["messages_queued"]')
echo "allow_anonymous true" | start_broker plain "$P"
wait_until 40 "mqttd reconnects" is_true instance ha 'i["connected"]'
wait_until 10 "the queue is delivered" is_true instance ha 'i["messages_queued"] == 0'
wait_until 10 "the status counts 28 acknowledged configs" is_true instance ha 'i["discovery_configs"] == 28'
n=$(retained_configs)
[ "$n" = 28 ] || fail "after the restart the status says 28 configs, the broker retains $n"
st=$(retained_status)
[ "$st" = "1 online" ] || fail "after the restart the retained status is '$st', not '1 online'"
waiting=$(instance ha 'i["discovery_configs_waiting"]')
[ "$waiting" = 0 ] || fail "discovery_configs_waiting is $waiting with everything acknowledged"
ok "broker restarted without persistence, $queued readings queued: all 28 configs and 'online' retained again, status 28"

# 2. a broker that keeps retained messages; a meter disabled while it is down
stop_broker plain
printf 'allow_anonymous true\npersistence true\npersistence_location %s/\n' "$T" | start_broker plain "$P"
wait_until 40 "mqttd reconnects" is_true instance ha 'i["connected"]'
wait_until 10 "28 configs on the persistent broker" is_true instance ha 'i["discovery_configs"] == 28'
stop_broker plain
wait_until 10 "mqttd sees the broker gone" is_true instance ha 'not i["connected"]'
eniscopectl config set 'meters[3].enabled' false >/dev/null
wait_until 10 "readings wait in the queue" is_true instance ha 'i["messages_queued"] >= 3'
printf 'allow_anonymous true\npersistence true\npersistence_location %s/\n' "$T" | start_broker plain "$P"
wait_until 40 "mqttd reconnects" is_true instance ha 'i["connected"]'
wait_until 10 "the queue is delivered" is_true instance ha 'i["messages_queued"] == 0'
wait_until 10 "meter 4's configs are cleared" sh -c "! mosquitto_sub -h 127.0.0.1 -p $P -t 'homeassistant/#' -W 2 -F '%r %t' 2>/dev/null | grep -q '^1 .*meter4_'"
n=$(retained_configs)
[ "$n" = 21 ] || fail "with meter 4 disabled the broker retains $n configs, want 21"
acked=$(instance ha 'i["discovery_configs"]')
[ "$acked" = 21 ] || fail "status says $acked configs, the broker retains 21"
ok "meter 4 disabled while the broker was down: its 7 configs cleared after the reconnect despite the queued readings, 21 stay"
