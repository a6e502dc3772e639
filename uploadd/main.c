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
	u.daemon = daemon_new("uploadd", a.conf, &uploadd_ops, &u);
	daemon_timer_new(u.daemon, UPLOADD_STATS_PERIOD_MS, uploadd_refresh_stats, &u);
	struct daemon_timer *checkin = daemon_timer_new(u.daemon, UPLOADD_CHECKIN_PERIOD_MS, uploadd_checkin, &u);
	daemon_timer_reset(checkin, 60000, UPLOADD_CHECKIN_PERIOD_MS);
	rc = daemon_run(u.daemon);

	uploadd_cleanup(&u);
	daemon_destroy(&u.daemon);
	return rc;
}
