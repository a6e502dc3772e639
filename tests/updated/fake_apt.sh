# Sourced by the tests that run updated: fake_apt DIR writes updated's
# check and update commands as scripts in DIR that record their arguments:
#  - DIR/check prints DIR/policy (apt-cache policy's text, at first 0.1.0-1
#    installed and 0.2.0-1 offered) and appends its arguments to
#    DIR/checks; while DIR/check_fails exists it prints that file on
#    stderr and exits 100, as apt-get does;
#  - DIR/install appends its arguments to DIR/installs, waits for a line
#    on DIR/hold when that is a FIFO, says "Setting up" and "installs"
#    0.2.0-1 (rewrites DIR/policy).
fake_apt() {
	cat >"$1/check" <<SH
#!/bin/sh
echo "\$*" >>"$1/checks"
cat "$1/policy"
[ ! -f "$1/check_fails" ] || { cat "$1/check_fails" >&2; exit 100; }
SH
	cat >"$1/install" <<SH
#!/bin/sh
echo "\$*" >>"$1/installs"
[ ! -p "$1/hold" ] || read -r _ <"$1/hold"
echo "Setting up eniscope-hub (0.2.0-1) ..."
printf 'eniscope-hub:\n  Installed: 0.2.0-1\n  Candidate: 0.2.0-1\n' >"$1/policy"
SH
	chmod +x "$1/check" "$1/install"
	: >"$1/checks"
	printf 'eniscope-hub:\n  Installed: 0.1.0-1\n  Candidate: 0.2.0-1\n  Version table:\n' >"$1/policy"
}
