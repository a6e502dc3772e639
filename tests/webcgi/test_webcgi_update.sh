#!/bin/sh
# Software updates and the front LED through the admin API: lighttpd and
# the CGIs over updated (check and update commands that record their
# arguments) and paneld (no LED, no button) under runsvdir
# (update_checks.py says what is checked).
. "$(dirname "$0")/web_lib.sh"
. "$SOURCE_DIR/tests/updated/fake_apt.sh"
fake_apt "$T"
mkfifo "$T/hold"
exec 3<>"$T/hold"
cat >"$ENISCOPE_CONF" <<JSON
{"update":{"check_command":["$T/check"],"install_command":["$T/install","-y"]},
 "panel":{"button":"none","leds_dir":"$T/no-leds"}}
JSON
start_web updated paneld
python3 "$SOURCE_DIR/tests/webcgi/update_checks.py" "$HTTP_PORT" "$T" "$T/service"
web_clean
