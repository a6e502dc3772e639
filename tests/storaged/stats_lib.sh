# Shared by storaged's integration scripts: its stats as they are read
# over the control socket.  Sourced after ../integration/lib.sh.
stats() { "$BUILD_DIR/eniscopectl/eniscopectl" call storaged '{"cmd":"stats"}' 2>/dev/null || echo '{}'; }
# stat EXPR: a python expression on j, the stats answer
stat() { json_get "$(stats)" "$1" 2>/dev/null || echo ""; }
# wait_stats EXPR SECONDS WHAT: until EXPR (on j, the stats) is true
wait_stats() {
	deadline=$(($(date +%s) + $2))
	while :; do
		s=$(stats)
		[ "$(json_get "$s" "bool($1)" 2>/dev/null)" = True ] && return 0
		[ "$(date +%s)" -lt "$deadline" ] || fail "$3: not within $2 s; last stats: $s"
		sleep 0.2
	done
}
