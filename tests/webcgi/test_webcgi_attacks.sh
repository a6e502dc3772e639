#!/bin/sh
# Attacks on the admin over lighttpd with the hub's own config and run
# script, over the simulated hub (attack_checks.py says which).
. "$(dirname "$0")/web_lib.sh"
web_config
start_web meterd readingsd
mkdir -p "$T/marker"
python3 "$SOURCE_DIR/tests/webcgi/attack_checks.py" "$HTTP_PORT" "$ENISCOPE_CONF" "$T/marker"
web_clean
