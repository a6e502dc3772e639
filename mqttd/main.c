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

	struct mqttd m = { .events = { -1, -1 } };
	struct daemon *d = daemon_new("mqttd", a.conf, &mqttd_ops, &m);
	if (mqttd_open(&m, d) < 0 || !daemon_timer_new(d, MQTTD_TICK_MS, mqttd_tick, &m))
		log_fatal(EXIT_TEMPORARY, "cannot set up the event socket or the bus: %s", strerror(errno));
	rc = daemon_run(d);

	mqttd_close(&m);
	daemon_destroy(&d);
	return rc;
}
