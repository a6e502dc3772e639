#!/bin/sh
# Software updates and the front LED through the admin API: lighttpd and
# the CGIs over updated (check and update commands that record their
# arguments) and paneld (no LED, no button) under runsvdir
# (update_checks.py says what is checked).
. "$(dirname "$0")/web_lib.sh"
cat >"$T/check" <<SH
#!/bin/sh
echo "\$*" >>"$T/checks"
cat "$T/policy"
SH
cat >"$T/install" <<SH
#!/bin/sh
echo "\$*" >>"$T/installs"
[ ! -p "$T/hold" ] || read -r _ <"$T/hold"
echo "Setting up eniscope-hub (0.2.0-1) ..."
printf 'eniscope-hub:\n  Installed: 0.2.0-1\n  Candidate: 0.2.0-1\n' >"$T/policy"
SH
chmod +x "$T/check" "$T/install"
printf 'eniscope-hub:\n  Installed: 0.1.0-1\n  Candidate: 0.2.0-1\n' >"$T/policy"
mkfifo "$T/hold"
exec 3<>"$T/hold"
cat >"$ENISCOPE_CONF" <<JSON
{"update":{"check_command":["$T/check"],"install_command":["$T/install","-y"]},
 "panel":{"button":"none","leds_dir":"$T/no-leds"}}
JSON
start_web updated paneld
python3 "$SOURCE_DIR/tests/webcgi/update_checks.py" "$HTTP_PORT" "$T" "$T/service"
web_clean
