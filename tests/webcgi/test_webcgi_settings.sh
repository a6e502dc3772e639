#!/bin/sh
# Issue 16's settings end to end: lighttpd with the hub's own config over
# the simulated hub's daemons, a mosquitto and an HTTP receiver this test
# runs, and a store pre-filled with records for uploadd to send
# (settings_checks.py says what is checked).
. "$(dirname "$0")/web_lib.sh"
. "$SOURCE_DIR/tests/mqttd/mqtt_lib.sh"
. "$SOURCE_DIR/tests/uploadd/upload_lib.sh"
command -v mosquitto >/dev/null || { echo "SKIP: mosquitto not installed"; exit 77; }
web_config
start_plain_broker
start_receiver r
# 300 minute records (of 3 meters), as storaged would serve them
start_store -n 300 -m 3
start_web meterd uploadd mqttd readingsd
python3 "$SOURCE_DIR/tests/webcgi/settings_checks.py" "$HTTP_PORT" "$ENISCOPE_CONF" "$P" "$RECV_PORT_r" "$T/r.log"
web_clean
