/* meterd: owns the metering ADC and publishes meter/<n>/rt once a second
 * for each enabled meter (docs/BUS.md), keeping the energy registers. */
#include "meterd.h"

#include "log.h"
#include "paths.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void s_usage(FILE *out)
{
	fprintf(out, "usage: meterd [-c CONFIG]\n"
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
	log_init("meterd");

	struct meterd m = { 0 };
	char warning[1024];
	m.regs = registers_open(paths_datadir(), paths_rundir(), warning, sizeof warning);
	if (!m.regs)
		log_fatal(EXIT_TEMPORARY, "out of memory");
	if (warning[0])
		log_error("%s", warning);

	m.daemon = daemon_new("meterd", conf, &meterd_ops, &m);
	daemon_timer_new(m.daemon, 1000, meterd_tick, &m);
	daemon_timer_new(m.daemon, REGISTERS_SAVE_PERIOD_MS, meterd_save, &m);
	int rc = daemon_run(m.daemon);

	meterd_save(m.daemon, &m);
	daemon_destroy(&m.daemon);
	registers_destroy(&m.regs);
	return rc;
}
