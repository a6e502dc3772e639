/* meterd: owns the metering ADC and publishes meter/<n>/rt once a second
 * for each enabled meter (docs/BUS.md, docs/METERING.md), keeping the
 * energy registers.  With --replay it turns a waveform file into those
 * readings on stdout instead, and exits. */
#include "meterd.h"
#include "replay_print.h"

#include "log.h"
#include "paths.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void s_usage(FILE *out)
{
	fprintf(out, "usage: meterd [-c CONFIG] [--source iio|sim|replay:FILE]\n"
		     "       meterd --replay FILE [-c CONFIG]\n"
		     "  -c, --config FILE  configuration (default $ENISCOPE_CONF or /etc/eniscope/config.json)\n"
		     "  -s, --source SPEC  sample source, instead of the config's adc.source\n"
		     "  -r, --replay FILE  print the readings of a waveform file as JSON lines, and exit\n");
}

int main(int argc, char **argv)
{
	const char *conf = NULL, *replay = NULL;
	struct meterd m = { .source_fd = -1 };
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "source", required_argument, NULL, 's' },
		{ "replay", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "c:s:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 's': m.source_override = optarg; break;
		case 'r': replay = optarg; break;
		case 'h': s_usage(stdout); return 0;
		default: s_usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		s_usage(stderr);
		return 2;
	}
	log_init("meterd");
	if (replay)
		return replay_print(replay, conf ? conf : paths_config(), stdout);

	char warning[1024];
	m.regs = registers_open(paths_datadir(), paths_rundir(), warning, sizeof warning);
	if (!m.regs)
		log_fatal(EXIT_TEMPORARY, "out of memory");
	if (warning[0])
		log_error("%s", warning);

	m.daemon = daemon_new("meterd", conf, &meterd_ops, &m);
	daemon_timer_new(m.daemon, REGISTERS_SAVE_PERIOD_MS, meterd_save, &m);
	int rc = daemon_run(m.daemon);

	meterd_save(m.daemon, &m);
	meterd_stop(&m);
	daemon_destroy(&m.daemon);
	registers_destroy(&m.regs);
	return rc;
}
