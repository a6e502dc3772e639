/* pulsed: counts the gas/water/energy meter pulses of the 8 pulse inputs
 * and publishes pulse/<n> once a second per enabled input (docs/BUS.md,
 * docs/PULSES.md). */
#include "pulsed.h"

#include "log.h"
#include "paths.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void s_usage(FILE *out)
{
	fprintf(out, "usage: pulsed [-c CONFIG] [--once]\n"
		     "  -c, --config FILE  configuration (default $ENISCOPE_CONF or /etc/eniscope/config.json)\n"
		     "  -1, --once         read every input once, print its pulse/<n> object, exit (1 on a fault)\n");
}

static int s_once(const char *conf)
{
	json_t *errors = NULL;
	struct config *cfg = config_load(conf ? conf : paths_config(), &errors);
	if (!cfg) {
		config_errors_print(errors, "pulsed", stderr);
		json_decref(errors);
		return 1;
	}
	struct pulsed p;
	if (pulsed_init(&p, &gpio_ops_gpiod) < 0)
		log_fatal(EXIT_TEMPORARY, "out of memory");
	int rc = pulsed_once(&p, cfg, stdout);
	pulsed_fini(&p);
	config_destroy(&cfg);
	return rc;
}

int main(int argc, char **argv)
{
	const char *conf = NULL;
	bool once = false;
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, '1' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "c:1h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case '1': once = true; break;
		case 'h': s_usage(stdout); return 0;
		default: s_usage(stderr); return 2;
		}
	}
	log_init("pulsed");
	if (once)
		return s_once(conf);

	static struct pulsed p; /* watched descriptors point into it */
	if (pulsed_init(&p, &gpio_ops_gpiod) < 0)
		log_fatal(EXIT_TEMPORARY, "out of memory");
	p.daemon = daemon_new("pulsed", conf, &pulsed_ops, &p);
	daemon_timer_new(p.daemon, 1000, pulsed_tick, &p);
	daemon_timer_new(p.daemon, PULSED_SAVE_PERIOD_MS, pulsed_save, &p);
	int rc = daemon_run(p.daemon);

	pulsed_save(p.daemon, &p);
	pulsed_fini(&p);
	daemon_destroy(&p.daemon);
	return rc;
}
