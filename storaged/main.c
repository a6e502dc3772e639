/* storaged: keeps one-minute records of every meter, pulse input and probe
 * on the SD card and serves them to uploadd and the admin pages
 * (docs/STORE.md). */
#include "storaged.h"

#include "log.h"
#include "paths.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void s_usage(FILE *out)
{
	fprintf(out, "usage: storaged [-c CONFIG] [--minute-ms N]\n"
		     "  -c, --config FILE  configuration (default $ENISCOPE_CONF or /etc/eniscope/config.json)\n"
		     "  --minute-ms N      for tests: a minute lasts N ms and minutes are stamped one after\n"
		     "                     another from the newest stored (never on a hub)\n");
}

int main(int argc, char **argv)
{
	const char *conf = NULL;
	long minute_ms = 60000;
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "minute-ms", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 'm':
			minute_ms = strtol(optarg, &end, 10);
			if (*end || minute_ms < 10 || minute_ms > 60000) {
				fprintf(stderr, "storaged: --minute-ms: \"%s\" is not 10..60000\n", optarg);
				return 2;
			}
			break;
		case 'h': s_usage(stdout); return 0;
		default: s_usage(stderr); return 2;
		}
	}
	log_init("storaged");
	if (minute_ms != 60000)
		log_warn("test mode: a minute lasts %ld ms", minute_ms);

	static struct storaged s;
	struct daemon *d = daemon_new("storaged", conf, &storaged_ops, &s);
	if (storaged_init(&s, d, paths_datadir(), minute_ms) < 0)
		log_fatal(EXIT_TEMPORARY, "cannot set up: out of memory or bus sockets");
	int rc = daemon_run(d);

	storaged_fini(&s);
	daemon_destroy(&d);
	return rc;
}
