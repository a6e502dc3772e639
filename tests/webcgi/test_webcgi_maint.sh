#!/bin/sh
# The maintenance calls end to end over lighttpd with the hub's own config
# and the simulated hub's daemons, paneld among them (maint_checks.py says
# what is checked): support bundle, backup and restore, reboot (a script
# that records it), reset data and reset all (the real eniscopectl, run by
# paneld, on this test's directories and runit services).
. "$(dirname "$0")/web_lib.sh"
web_config
cat >"$T/record" <<SH
#!/bin/sh
echo "\$*" >>"$T/record.out"
SH
chmod +x "$T/record"
mkdir -p "$T/leds"
python3 - "$ENISCOPE_CONF" "$T" <<'PY'
import json, sys
conf = json.load(open(sys.argv[1]))
t = sys.argv[2]
conf["panel"] = {"button": "none", "leds_dir": t + "/leds", "reboot_command": [t + "/record", "reboot"],
                 "reset_command": ["true"]}
json.dump(conf, open(sys.argv[1], "w"))
PY
# what reset all puts back: this config, so the hub stays simulated
export ENISCOPE_FACTORY_CONF="$T/factory.json" SVDIR="$T/service"
cp "$ENISCOPE_CONF" "$ENISCOPE_FACTORY_CONF"
# a log with a secret in it: the bundle must hide it too
mkdir -p "$ENISCOPE_LOGDIR/leaky"
echo "token leaked UploadToken-456" >"$ENISCOPE_LOGDIR/leaky/current"
start_web meterd pulsed paneld readingsd
# storaged with a "minute" of 500 ms, so the reset has records to erase
# within seconds; otherwise as daemon-run
mkdir "$T/storaged.svc"
cp -rL "$SOURCE_DIR/packaging/runit/storaged/log" "$T/storaged.svc/log"
cat >"$T/storaged.svc/run" <<'SH'
#!/bin/sh
exec 2>&1
SVDIR=$(dirname "$(pwd)") eniscopectl reset resume --starting storaged || exit 1
exec storaged --minute-ms 500
SH
chmod +x "$T/storaged.svc/run"
mv "$T/storaged.svc" "$T/service/storaged"
python3 "$SOURCE_DIR/tests/webcgi/maint_checks.py" "$HTTP_PORT" "$ENISCOPE_CONF" "$ENISCOPE_DATA" \
	"$ENISCOPE_RUNDIR" "$T/record.out" "$ENISCOPE_FACTORY_CONF"
web_clean
