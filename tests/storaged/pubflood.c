/* pubflood: a test publisher standing in for meterd, pulsed and tempd at
 * once, fast: every PERIOD_MS it publishes meter/1..M/rt, pulse/1..M and
 * temp/<probe 1..M> with known values (V1 = 230 + meter, registers that
 * grow by 1 per message), so storaged's fast mode (--minute-ms) has many
 * readings per minute.  Runs until TERM.
 *   usage: pubflood PERIOD_MS SOURCES */
#include "bus.h"
#include "paths.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zmq.h>

static volatile sig_atomic_t s_stop;

static void s_on_term(int sig)
{
	(void)sig;
	s_stop = 1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: pubflood PERIOD_MS SOURCES\n");
		return 2;
	}
	long period = atol(argv[1]);
	int m = atoi(argv[2]);
	if (period < 1 || m < 1 || m > 8) {
		fprintf(stderr, "pubflood: PERIOD_MS >= 1, SOURCES 1..8\n");
		return 2;
	}
	signal(SIGTERM, s_on_term);
	signal(SIGINT, s_on_term);
	void *z = zmq_ctx_new();
	struct bus_pub *meter = bus_pub_new(z, paths_rundir(), "meterd");
	struct bus_pub *pulse = bus_pub_new(z, paths_rundir(), "pulsed");
	struct bus_pub *temp = bus_pub_new(z, paths_rundir(), "tempd");
	if (!meter || !pulse || !temp)
		return 111;
	for (long k = 1; !s_stop; k++) {
		for (int i = 1; i <= m; i++) {
			char topic[64];
			snprintf(topic, sizeof topic, "meter/%d/rt", i);
			json_t *o = json_pack("{s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f}", "V1", 230.0 + i, "V", 230.0 + i, "P",
					      1000.0 * i + (double)(k % 10), "I", 4.0 * i, "PF", 0.9, "F", 50.0, "E",
					      (double)k, "E1", (double)k);
			bus_pub_send(meter, topic, o);
			json_decref(o);
			snprintf(topic, sizeof topic, "pulse/%d", i);
			o = json_pack("{s:i,s:I,s:f,s:s}", "n", i, "count", (json_int_t)k, "total", k * 0.01, "unit",
				      "m3");
			bus_pub_send(pulse, topic, o);
			json_decref(o);
			snprintf(topic, sizeof topic, "temp/28-00000000000%d", i);
			o = json_pack("{s:f}", "T", 20.0 + i);
			bus_pub_send(temp, topic, o);
			json_decref(o);
		}
		struct timespec ts = { period / 1000, (period % 1000) * 1000000 };
		nanosleep(&ts, NULL); /* the publishing rate itself, not a wait for an event */
	}
	bus_pub_destroy(&meter);
	bus_pub_destroy(&pulse);
	bus_pub_destroy(&temp);
	zmq_ctx_term(z);
	return 0;
}
