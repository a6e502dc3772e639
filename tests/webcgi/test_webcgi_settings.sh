#!/bin/sh
# Issue 16's settings end to end: lighttpd with the hub's own config over
# the simulated hub's daemons (settings_checks.py says what is checked).
. "$(dirname "$0")/web_lib.sh"
web_config
start_web meterd storaged uploadd mqttd readingsd
python3 "$SOURCE_DIR/tests/webcgi/settings_checks.py" "$HTTP_PORT" "$ENISCOPE_CONF"
web_clean
