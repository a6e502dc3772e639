#!/bin/sh
# The Alarms page's API end to end: lighttpd and the CGIs over meterd's
# simulator and alarmd, with a real SMTP server (alarm_api_checks.py says
# what is checked).
. "$SOURCE_DIR/tests/webcgi/web_lib.sh"
. "$(dirname "$0")/alarm_lib.sh"
start_servers
SMTP=$SMTP_PORT
web_config
start_web meterd storaged alarmd readingsd
python3 "$SOURCE_DIR/tests/alarmd/alarm_api_checks.py" "$HTTP_PORT" "$SMTP" "$T/srv/mail.log"
web_clean
