#!/bin/sh
# scripts/build on a project that does not compile, and on a meson.build
# that lists a test whose file is missing: each fails and shows the
# compiler's or meson's own message (the script used to send both to
# /dev/null, so a failed build printed nothing).  Runs the real
# scripts/build on a two-file project in a scratch directory.
. "$(dirname "$0")/lib.sh"

p="$T/project"
mkdir -p "$p/scripts" "$p/tests"
cp "$SOURCE_DIR/scripts/build" "$p/scripts/build"
cat >"$p/meson.build" <<'MESON'
project('broken', 'c')
fs = import('fs')
executable('x', 'x.c')
subdir('tests')
MESON
printf 'int main(void) { return not_declared_anywhere; }\n' >"$p/x.c"
: >"$p/tests/meson.build"

if "$p/scripts/build" "$T/b1" >"$T/out" 2>&1; then
	fail "a build with a compile error succeeded"
fi
grep -q "not_declared_anywhere" "$T/out" || { cat "$T/out"; fail "the compiler's error is not shown"; }
ok "a compile error fails the build and is shown"

printf 'int main(void) { return 0; }\n' >"$p/x.c"
"$p/scripts/build" "$T/b2" >"$T/out" 2>&1 || { cat "$T/out"; fail "a good build failed"; }
[ ! -s "$T/out" ] || { cat "$T/out"; fail "a good build is not quiet"; }
ok "a good build is quiet"

# tests/common/meson.build as it is, listing one suite that does not exist
# (the check stops meson before anything the list needs is used)
sed "s/foreach module : \[.*\]/foreach module : ['gone']/" "$SOURCE_DIR/tests/common/meson.build" >"$p/tests/meson.build"
if "$p/scripts/build" "$T/b3" >"$T/out" 2>&1; then
	cat "$p/tests/meson.build"
	fail "a listed test without its file configured"
fi
grep -q "check_gone.c, which does not exist" "$T/out" || { cat "$T/out"; fail "meson's reason is not shown"; }
ok "a listed test whose file is missing is an error that names it"
