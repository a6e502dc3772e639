#!/bin/sh
# Home Assistant discovery against a real mosquitto: retained configs for
# each meter's power, energy import/export, voltage, current, PF and
# frequency (right device_class, state_class, unit), one device per meter,
# pulse inputs and the probe too, all with availability on the status
# topic; the state topics carry what the templates read.  A meter removed
# (while mqttd runs, or while it is stopped) and discovery turned off clear
# their retained configs; another instance's config is left alone.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/mqtt_lib.sh"

start_plain_broker
NODE=eniscope_00010203040a

cat >"$ENISCOPE_CONF" <<JSON
{"adc":{"source":"sim"},"hub":{"mac":"00:01:02:03:04:0a"},
 "meters":[{"id":1,"enabled":true,"name":"Main incomer"},{"id":2,"enabled":true,"name":"Roof PV"},
           {"id":3,"enabled":true,"name":"Workshop","temp_sensor":"28-0316a2799aff"}],
 "pulses":[{"id":1,"enabled":true,"name":"Gas","unit":"m3","units_per_pulse":0.01},
           {"id":2,"enabled":true,"name":"Cold water","unit":"L"}],
 "mqtt":[{"title":"ha","enabled":true,"host":"127.0.0.1","port":$P,"interval_s":1,"topic":"hub/site1",
          "ha_discovery":true}]}
JSON
start_services meterd mqttd
wait_until 15 "mqttd connects" is_true instance ha 'i["connected"]'

# retained: what a Home Assistant starting now would read
retained() {
	mosquitto_sub -h 127.0.0.1 -p "$P" -t 'homeassistant/#' -W 3 -F '%r %t %p' 2>/dev/null | grep '^1 ' >"$T/$1" || true
}
retained configs1.txt
mosquitto_sub -h 127.0.0.1 -p "$P" -t 'hub/site1/meter/+' -C 3 -W 10 -F '%t %p' >"$T/state.txt" ||
	fail "no state messages on hub/site1/meter/+"
python3 - "$T/configs1.txt" "$T/state.txt" <<'PY' || fail "the discovery configs are not what Home Assistant needs"
import json, re, sys
configs = {}
for line in open(sys.argv[1]):
    _, topic, payload = line.rstrip("\n").split(" ", 2)
    configs[topic] = json.loads(payload)
node = "eniscope_00010203040a"
want = {  # object suffix: (value key, device_class, state_class, unit)
    "power": ("P", "power", "measurement", "W"),
    "energy_import": ("E", "energy", "total_increasing", "Wh"),
    "energy_export": ("Ex", "energy", "total_increasing", "Wh"),
    "voltage": ("V", "voltage", "measurement", "V"),
    "current": ("I", "current", "measurement", "A"),
    "power_factor": ("PF", "power_factor", "measurement", None),
    "frequency": ("F", "frequency", "measurement", "Hz"),
}
names = {1: "Main incomer", 2: "Roof PV", 3: "Workshop"}
states = {}
for line in open(sys.argv[2]):
    topic, payload = line.split(" ", 1)
    states[topic] = json.loads(payload)
for did, name in names.items():
    devices = set()
    for obj, (key, dc, sc, unit) in want.items():
        t = f"homeassistant/sensor/{node}/meter{did}_{obj}/config"
        c = configs.pop(t, None)
        assert c, f"missing {t}"
        assert c.get("device_class") == dc and c.get("state_class") == sc, (t, c)
        assert c.get("unit_of_measurement") == unit, (t, c.get("unit_of_measurement"))
        assert c["state_topic"] == f"hub/site1/meter/{did}", c["state_topic"]
        assert c["value_template"] == "{{ value_json.%s }}" % key
        assert c["availability_topic"] == "hub/site1/status"
        assert c["payload_available"] == "online" and c["payload_not_available"] == "offline"
        assert c["unique_id"] == f"{node}_meter{did}_{obj}"
        d = c["device"]
        assert d["name"] == name, d
        devices.add(tuple(d["identifiers"]))
        st = states.get(c["state_topic"])
        if st:
            assert isinstance(st[key], (int, float)), (key, st)
    assert devices == {(f"eniscope_00010203040a000{did}",)}, devices
gas = configs.pop(f"homeassistant/sensor/{node}/pulse1_total/config")
assert (gas["device_class"], gas["unit_of_measurement"], gas["state_class"]) == ("gas", "m³", "total_increasing"), gas
assert gas["state_topic"] == "hub/site1/pulse/1" and gas["device"]["name"] == "Gas"
water = configs.pop(f"homeassistant/sensor/{node}/pulse2_total/config")
assert (water["device_class"], water["unit_of_measurement"]) == ("water", "L"), water
probe = configs.pop(f"homeassistant/sensor/{node}/probe_28_0316a2799aff_temperature/config")
assert (probe["device_class"], probe["unit_of_measurement"], probe["state_class"]) == ("temperature", "°C", "measurement")
assert probe["device"]["name"] == "Workshop temperature" and probe["state_topic"] == "hub/site1/temp/28-0316a2799aff"
assert not configs, f"unexpected configs {list(configs)}"
assert len(states) >= 2 and all(set(s) >= {"uid", "did", "ts", "P", "E"} for s in states.values())
print("24 retained configs: 3 meter devices x 7 sensors, gas, water, probe; state topics carry the template keys")
PY
ok "discovery: 3 meters x 7 sensors with classes and units, one device each, gas, water and probe, availability on hub/site1/status"

# a config another instance published under the same node stays untouched
mosquitto_pub -h 127.0.0.1 -p "$P" -r -t "homeassistant/sensor/$NODE/foreign/config" \
	-m '{"name":"x","state_topic":"elsewhere/meter/1"}'

# a meter removed while mqttd runs
eniscopectl config set 'meters[1].enabled' false >/dev/null
wait_until 10 "the configs follow the meters" is_true instance ha 'i["discovery_configs"] == 17'
retained configs2.txt
grep -q "meter2_" "$T/configs2.txt" && fail "meter 2's configs are still retained: $(grep meter2_ "$T/configs2.txt" | cut -c1-120)"
grep -q "meter1_power/config" "$T/configs2.txt" || fail "meter 1's configs went too"
ok "meter 2 disabled: its 7 configs cleared from the broker, the rest stay"

# a meter removed while mqttd is stopped: the broker's retained configs
# tell the next run what to clear
sv -w 10 down "$T/service/mqttd" >/dev/null
eniscopectl config set 'meters[2].enabled' false >/dev/null
sv up "$T/service/mqttd"
wait_until 15 "mqttd reconnects" is_true instance ha 'i["connected"]'
wait_until 10 "stale configs are cleared" sh -c "! mosquitto_sub -h 127.0.0.1 -p $P -t 'homeassistant/#' -W 2 -F '%r %t' 2>/dev/null | grep -q '^1 .*meter3_'"
retained configs3.txt
grep -q "probe_28_0316a2799aff" "$T/configs3.txt" && fail "the probe of the removed meter is still announced"
grep -q "/foreign/config" "$T/configs3.txt" || fail "another instance's config was cleared"
ok "meter 3 disabled while mqttd was stopped: cleared at the next start; another instance's config left alone"

# discovery off: every config of this instance goes, state topics stop
eniscopectl config set 'mqtt[0].ha_discovery' false >/dev/null
wait_until 10 "discovery off applies" is_true instance ha 'not i["ha_discovery"]'
wait_until 10 "every config is cleared" sh -c "[ \$(mosquitto_sub -h 127.0.0.1 -p $P -t 'homeassistant/#' -W 2 -F '%r %t' 2>/dev/null | grep -c '^1 ') = 1 ]"
retained configs4.txt
grep -q "/foreign/config" "$T/configs4.txt" || fail "another instance's config was cleared"
mosquitto_sub -h 127.0.0.1 -p "$P" -t 'hub/site1/#' -W 3 -F '%t' >"$T/after.txt" 2>/dev/null || true
grep -q '^hub/site1$' "$T/after.txt" || fail "rtdata stopped with discovery off"
grep -q '^hub/site1/meter/' "$T/after.txt" && fail "state topics still published with discovery off"
ok "discovery off: all its retained configs cleared, state topics stop, rtdata goes on"
