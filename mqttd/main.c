/* mqttd: publishes the meters' readings to MQTT brokers in the manual's
 * JSON, one connection per mqtt[] instance, with Home Assistant discovery
 * as an option (docs/MQTT.md). */
#include "mqttd.h"

#include "daemon_args.h"
#include "log.h"

#include <errno.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *conf = daemon_args(argc, argv, "mqttd");
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
