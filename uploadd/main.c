/* uploadd: sends the stored minute records to each configured upload
 * target (HTTP JSON or InfluxDB), at least once, through any outage
 * (docs/UPLOAD.md), and the daily check-in. */
#include "uploadd.h"

#include "daemon_args.h"
#include "log.h"
#include "paths.h"

int main(int argc, char **argv)
{
	struct daemon_args a;
	const char *store = "storaged";
	const struct daemon_option options[] = {
		{ .name = "store", .key = 's', .arg = "NAME", .value = &store,
		  .help = "the store daemon's control socket name (default storaged)" },
		{ 0 },
	};
	int rc = daemon_args_parse(argc, argv, "uploadd", options, &a);
	if (rc >= 0)
		return rc;
	log_init("uploadd");

	struct uploadd u = { .store = { .rundir = paths_rundir(), .name = store, .timeout_ms = STORECLI_TIMEOUT_MS } };
	struct daemon *d = daemon_new("uploadd", a.conf, &uploadd_ops, &u);
	char err[256];
	if (uploadd_init(&u, d, err, sizeof err) < 0)
		log_fatal(EXIT_TEMPORARY, "%s", err);
	struct daemon_timer *checkin = daemon_timer_new(d, UPLOADD_CHECKIN_PERIOD_MS, uploadd_checkin, &u);
	if (!checkin || !daemon_timer_new(d, UPLOADD_STATS_PERIOD_MS, uploadd_refresh_stats, &u))
		log_fatal(EXIT_TEMPORARY, "out of memory");
	daemon_timer_reset(checkin, 60000, UPLOADD_CHECKIN_PERIOD_MS);
	rc = daemon_run(d);

	uploadd_cleanup(&u);
	daemon_destroy(&d);
	return rc;
}
