#!/bin/sh
# GET /api/history end to end: lighttpd and the api CGI over storaged with
# 40 days of minutes (tests/storaged/storefill), its JSON and its CSV
# download checked against storaged's own history answer
# (history_checks.py says what is checked).
. "$(dirname "$0")/web_lib.sh"
web_config
# the hub's zone, whose days are not UTC's, as the default of the API
python3 - "$ENISCOPE_CONF" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["interface"] = {"timezone": "Asia/Kolkata"}
json.dump(doc, open(sys.argv[1], "w"))
PY
now=$(date +%s)
"$BUILD_DIR/tests/storaged/storefill" "$ENISCOPE_DATA" 40 "$now" || fail "storefill"
# storaged alone: no new minute lands between the API's answer and its own
start_web storaged
wait_until 10 "storaged answers" eniscopectl call storaged '{"cmd":"stats"}'
python3 "$SOURCE_DIR/tests/webcgi/history_checks.py" "$HTTP_PORT" "$now"
web_clean
