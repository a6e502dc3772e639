/* uploadd: sends the stored minute records to each configured upload
 * target (HTTP JSON or InfluxDB), at least once, through any outage
 * (docs/UPLOAD.md), and the daily check-in. */
#include "uploadd.h"

#include "log.h"
#include "paths.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void s_usage(FILE *out)
{
	fprintf(out, "usage: uploadd [-c CONFIG] [-s STORE]\n"
		     "  -c, --config FILE  configuration (default $ENISCOPE_CONF or /etc/eniscope/config.json)\n"
		     "  -s, --store NAME   the store daemon's control socket name (default storaged)\n");
}

int main(int argc, char **argv)
{
	const char *conf = NULL, *store = "storaged";
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "store", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "c:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 's': store = optarg; break;
		case 'h': s_usage(stdout); return 0;
		default: s_usage(stderr); return 2;
		}
	}
	log_init("uploadd");

	struct uploadd u = { .store = { .rundir = paths_rundir(), .name = store, .timeout_ms = STORECLI_TIMEOUT_MS } };
	u.daemon = daemon_new("uploadd", conf, &uploadd_ops, &u);
	daemon_timer_new(u.daemon, UPLOADD_STATS_PERIOD_MS, uploadd_refresh_stats, &u);
	struct daemon_timer *checkin = daemon_timer_new(u.daemon, UPLOADD_CHECKIN_PERIOD_MS, uploadd_checkin, &u);
	daemon_timer_reset(checkin, 60000, UPLOADD_CHECKIN_PERIOD_MS);
	int rc = daemon_run(u.daemon);

	uploadd_cleanup(&u);
	daemon_destroy(&u.daemon);
	return rc;
}
