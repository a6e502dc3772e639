/* readingsd: the readings snapshot the admin pages poll (readingsd.h,
 * docs/API.md). */
#include "readingsd.h"

#include "daemon_args.h"
#include "log.h"

int main(int argc, char **argv)
{
	struct daemon_args a;
	const struct daemon_option options[] = { { 0 } };
	int rc = daemon_args_parse(argc, argv, "readingsd", options, &a);
	if (rc >= 0)
		return rc;
	log_init("readingsd");
	static struct readingsd r;
	r.daemon = daemon_new("readingsd", a.conf, &readingsd_ops, &r);
	if (readingsd_open(&r, r.daemon) < 0 || !daemon_timer_new(r.daemon, 1000, readingsd_write, &r)) {
		log_error("cannot subscribe to the bus or make the snapshot timer");
		daemon_destroy(&r.daemon);
		return 111;
	}
	rc = daemon_run(r.daemon);
	readingsd_close(&r);
	daemon_destroy(&r.daemon);
	return rc;
}
