#!/bin/sh
# The admin API end to end: lighttpd with the hub's own config and run
# script over the simulated hub's daemons (admin_checks.py says what is
# checked).
. "$(dirname "$0")/web_lib.sh"
web_config
start_web meterd pulsed tempd storaged uploadd mqttd readingsd
python3 "$SOURCE_DIR/tests/webcgi/admin_checks.py" "$HTTP_PORT" "$HTTPS_PORT" "$ENISCOPE_CONF" "$T/service"
