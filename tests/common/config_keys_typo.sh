#!/bin/sh
# config_keys_typo: reading a config key through its generated accessor
# builds; the same read with a key the schema does not have (a typo), or
# with the wrong type, does not: the error comes from the compiler, not
# from an abort on the hub.  usage: config_keys_typo.sh SRC BUILD CC...
set -eu
src=$1 build=$2
shift 2
T=$(mktemp -d /tmp/config_keys_typo.XXXXXX)
trap 'rm -rf "$T"' EXIT
cc_try() {
	code=$1
	shift
	printf '#include "config_keys.h"\n%s\n' "$code" >"$T/t.c"
	"$@" -std=c11 -Wall -Werror -fsyntax-only -I"$src/common" -I"$build/common" "$T/t.c" 2>"$T/err"
}
good='const char *f(const struct config *c) { return cfg_meters_temp_sensor(c, 0); }'
cc_try "$good" "$@" || { echo "FAIL: the right key does not build:"; cat "$T/err"; exit 1; }
echo "ok: cfg_meters_temp_sensor(c, 0) builds"
typo='const char *f(const struct config *c) { return cfg_meters_temp_sensr(c, 0); }'
if cc_try "$typo" "$@"; then echo "FAIL: a key not in the schema builds"; exit 1; fi
grep -q "cfg_meters_temp_sensr" "$T/err" || { echo "FAIL: the error does not name the key:"; cat "$T/err"; exit 1; }
echo "ok: cfg_meters_temp_sensr (not in the schema) fails to build, naming it"
wrong='int f(const struct config *c) { const char *s = cfg_meters_enabled(c, 0); return s != 0; }'
if cc_try "$wrong" "$@"; then echo "FAIL: a bool key read as a string builds"; exit 1; fi
echo "ok: a bool key read as a string fails to build"
