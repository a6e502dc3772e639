/* paneld: the front panel: the LED says the hub's state (normal, upload
 * pending, NTP failed) and the USER button reboots or, held from
 * power-on, resets the hub (docs/PANEL.md). */
#include "paneld.h"

#include "daemon_args.h"
#include "log.h"

int main(int argc, char **argv)
{
	struct daemon_args a;
	const struct daemon_option options[] = { { 0 } };
	int rc = daemon_args_parse(argc, argv, "paneld", options, &a);
	if (rc >= 0)
		return rc;
	log_init("paneld");

	static struct paneld p; /* watches and timers point into it */
	paneld_init(&p, &gpio_ops_gpiod);
	p.daemon = daemon_new("paneld", a.conf, &paneld_ops, &p);
	p.wake = daemon_timer_once(p.daemon, paneld_wake, &p);
	if (!p.wake || !daemon_timer_new(p.daemon, PANELD_POLL_MS, paneld_poll, &p) ||
	    !daemon_timer_new(p.daemon, PANELD_UPLOADD_PERIOD_MS, paneld_ask_uploadd, &p))
		log_fatal(EXIT_TEMPORARY, "out of memory");
	rc = daemon_run(p.daemon);

	paneld_fini(&p);
	daemon_destroy(&p.daemon);
	return rc;
}
