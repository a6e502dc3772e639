/* pulsed: counts the gas/water/energy meter pulses of the 8 pulse inputs
 * and publishes pulse/<n> once a second per enabled input (docs/BUS.md,
 * docs/PULSES.md). */
#include "pulsed.h"

#include "daemon_args.h"
#include "log.h"

#include <stdio.h>

static int s_once(const struct config *cfg)
{
	struct pulsed p;
	if (pulsed_init(&p, &gpio_ops_gpiod) < 0)
		log_fatal(EXIT_TEMPORARY, "out of memory");
	int rc = pulsed_once(&p, cfg, stdout);
	pulsed_fini(&p);
	return rc;
}

int main(int argc, char **argv)
{
	struct daemon_args a;
	bool once = false;
	const struct daemon_option options[] = {
		{ .name = "once", .key = '1', .flag = &once,
		  .help = "read every input once, print its pulse/<n> object, exit (1 on a fault)" },
		{ 0 },
	};
	int rc = daemon_args_parse(argc, argv, "pulsed", options, &a);
	if (rc >= 0)
		return rc;
	log_init("pulsed");
	if (once)
		return daemon_args_once(&a, "pulsed", s_once);

	static struct pulsed p; /* watched descriptors point into it */
	if (pulsed_init(&p, &gpio_ops_gpiod) < 0)
		log_fatal(EXIT_TEMPORARY, "out of memory");
	p.daemon = daemon_new("pulsed", a.conf, &pulsed_ops, &p);
	if (!daemon_timer_new(p.daemon, 1000, pulsed_tick, &p) ||
	    !daemon_timer_new(p.daemon, PULSED_SAVE_PERIOD_MS, pulsed_save, &p))
		log_fatal(EXIT_TEMPORARY, "out of memory");
	rc = daemon_run(p.daemon);

	pulsed_save(p.daemon, &p);
	pulsed_fini(&p);
	daemon_destroy(&p.daemon);
	return rc;
}
