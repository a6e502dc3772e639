# Shared by mqttd's integration tests (after ../integration/lib.sh): a real
# mosquitto on 127.0.0.1 with a port free at run time, its config and files
# in the test's temp dir, stopped at exit.

# start_broker NAME PORT: runs mosquitto with the config lines on stdin
# (plus the listener) from $T/NAME.conf; stop_broker NAME stops it.  Every
# broker still running is stopped at exit (stop_brokers, by the pid files
# in $T): start_broker is usually the end of a pipeline, a subshell, so
# nothing it registers itself would reach the test's cleanup.
start_broker() {
	{
		# mosquitto started as root would switch to its own user, which
		# cannot read the test's private temp dir
		[ "$(id -u)" = 0 ] && echo "user root"
		echo "listener $2 127.0.0.1"
		cat
	} >"$T/$1.conf"
	echo "$2" >"$T/$1.port"
	mosquitto -c "$T/$1.conf" >>"$T/$1.log" 2>&1 &
	echo $! >"$T/$1.broker-pid"
	wait_port "$2"
}

# start_plain_broker: an anonymous broker "plain" on a free port, in $P
start_plain_broker() {
	P=$(free_port)
	echo "allow_anonymous true" | start_broker plain "$P"
}

stop_broker() {
	[ -f "$T/$1.broker-pid" ] || return 0
	pid=$(cat "$T/$1.broker-pid")
	rm -f "$T/$1.broker-pid"
	kill "$pid" 2>/dev/null || return 0
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}

stop_brokers() {
	for f in "$T"/*.broker-pid; do
		[ -f "$f" ] && stop_broker "$(basename "$f" .broker-pid)"
	done
	return 0
}
CLEANUP="$CLEANUP stop_brokers"

# mqttd_status EXPR: a python expression on s, mqttd's status object
mqttd_status() {
	json_get "$(eniscopectl status --json mqttd)" "(lambda s: $1)(j['mqttd'])"
}

# instance TITLE EXPR: a python expression on i, that instance's status
instance() {
	json_get "$(eniscopectl status --json mqttd)" \
		"(lambda i: $2)([x for x in j['mqttd']['instances'] if x['title'] == '$1'][0])"
}

# is_true CMD...: succeeds when CMD prints True
is_true() {
	[ "$("$@" 2>/dev/null)" = True ]
}

mqttd_pid() {
	mqttd_status 's["pid"]'
}

# make_ca NAME: a CA in $T/NAME.crt (+ .key)
make_ca() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/$1.key" -out "$T/$1.crt" -days 2 \
		-subj "/CN=$1 test CA" 2>/dev/null || fail "openssl could not make CA $1"
}

# make_server_cert CA NAME: a certificate for 127.0.0.1 signed by CA
make_server_cert() {
	openssl req -newkey rsa:2048 -nodes -keyout "$T/$2.key" -out "$T/$2.csr" -subj "/CN=127.0.0.1" 2>/dev/null &&
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$T/$2.ext" &&
		openssl x509 -req -in "$T/$2.csr" -CA "$T/$1.crt" -CAkey "$T/$1.key" -CAcreateserial \
			-out "$T/$2.crt" -days 2 -extfile "$T/$2.ext" 2>/dev/null ||
		fail "openssl could not make the server certificate"
}

# start_services SERVICE...: start_runsvdir, and at exit stop every service
# and its log service first (sv waits for them), so that no svlogd still
# writes into $T when lib.sh removes it (rm -rf would then fail the test).
start_services() {
	start_runsvdir "$@"
	CLEANUP="stop_services $CLEANUP"
}

stop_services() {
	for s in "$T"/service/*/; do
		sv -w 5 force-stop "$s" "$s/log" >/dev/null 2>&1 || true
	done
}
