/* mqttd: publishes the meters' readings to MQTT brokers in the manual's
 * JSON, one connection per mqtt[] instance, with Home Assistant discovery
 * as an option (docs/MQTT.md). */
#include "mqttd.h"

#include "log.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void s_usage(FILE *out)
{
	fprintf(out, "usage: mqttd [-c CONFIG]\n"
		     "  -c, --config FILE  configuration (default $ENISCOPE_CONF or /etc/eniscope/config.json)\n");
}

int main(int argc, char **argv)
{
	const char *conf = NULL;
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 'h': s_usage(stdout); return 0;
		default: s_usage(stderr); return 2;
		}
	}
	log_init("mqttd");

	/* the event socket exists before the first config is applied, since
	 * applying it creates the links that write to it */
	struct mqttd m = { .events = { -1, -1 } };
	if (link_events_open(m.events) < 0)
		log_fatal(EXIT_TEMPORARY, "cannot create the event socket: %s", strerror(errno));
	m.daemon = daemon_new("mqttd", conf, &mqttd_ops, &m);
	if (mqttd_open(&m, m.daemon) < 0)
		log_fatal(EXIT_TEMPORARY, "cannot subscribe to the bus: %s", strerror(errno));
	daemon_timer_new(m.daemon, MQTTD_TICK_MS, mqttd_tick, &m);
	int rc = daemon_run(m.daemon);

	mqttd_close(&m);
	daemon_destroy(&m.daemon);
	return rc;
}
