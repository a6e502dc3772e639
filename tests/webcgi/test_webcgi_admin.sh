#!/bin/sh
# The admin API end to end: lighttpd with the hub's own config and run
# script over the simulated hub's daemons (admin_checks.py says what is
# checked).
. "$(dirname "$0")/web_lib.sh"
web_config
start_web meterd pulsed tempd storaged uploadd mqttd readingsd
python3 "$SOURCE_DIR/tests/webcgi/admin_checks.py" "$HTTP_PORT" "$HTTPS_PORT" "$ENISCOPE_CONF" "$T/service"
owner=$(stat -c %U "$ENISCOPE_DATA/web/credentials")
[ "$owner" = "$WEB_USER" ] || fail "the CGIs ran as $owner, not $WEB_USER"
ok "the CGIs ran as $WEB_USER (the credentials file is its)"
web_clean
