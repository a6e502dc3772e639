/* tempd: reads the 1-wire temperature probes through the kernel's w1
 * sysfs and publishes temp/<id> and temp/found (docs/BUS.md,
 * docs/PULSES.md). */
#include "tempd.h"

#include "log.h"
#include "paths.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void s_usage(FILE *out)
{
	fprintf(out, "usage: tempd [-c CONFIG] [--once]\n"
		     "  -c, --config FILE  configuration (default $ENISCOPE_CONF or /etc/eniscope/config.json)\n"
		     "  -1, --once         read every probe once, print temp/found and temp/<id> objects, exit\n"
		     "                     (1 when a probe or the w1 directory is at fault)\n");
}

static int s_once(const char *conf)
{
	json_t *errors = NULL;
	struct config *cfg = config_load(conf ? conf : paths_config(), &errors);
	if (!cfg) {
		config_errors_print(errors, "tempd", stderr);
		json_decref(errors);
		return 1;
	}
	struct tempd t = { 0 };
	int rc = tempd_once(&t, cfg, stdout);
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
	log_init("tempd");
	if (once)
		return s_once(conf);

	static struct tempd t;
	/* the round timer exists before the first apply, which fires it at once */
	t.daemon = daemon_new("tempd", conf, &tempd_ops, &t);
	t.round = daemon_timer_new(t.daemon, 5000, tempd_round, &t);
	if (daemon_config(t.daemon))
		daemon_timer_reset(t.round, 0, t.interval_ms);
	daemon_timer_new(t.daemon, TEMPD_READ_GAP_MS, tempd_read_next, &t);
	int rc = daemon_run(t.daemon);
	daemon_destroy(&t.daemon);
	return rc;
}
