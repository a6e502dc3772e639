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
	struct daemon_args a;
	int rc = daemon_args_parse(argc, argv, "mqttd", NULL, &a);
	if (rc >= 0)
		return rc;
	log_init("mqttd");

	/* the event socket exists before the first config is applied, since
	 * applying it creates the links that write to it */
	struct mqttd m = { .events = { -1, -1 } };
	if (link_events_open(m.events) < 0)
		log_fatal(EXIT_TEMPORARY, "cannot create the event socket: %s", strerror(errno));
	m.daemon = daemon_new("mqttd", a.conf, &mqttd_ops, &m);
	if (mqttd_open(&m, m.daemon) < 0)
		log_fatal(EXIT_TEMPORARY, "cannot subscribe to the bus: %s", strerror(errno));
	daemon_timer_new(m.daemon, MQTTD_TICK_MS, mqttd_tick, &m);
	rc = daemon_run(m.daemon);

	mqttd_close(&m);
	daemon_destroy(&m.daemon);
	return rc;
}
