/* tempd: reads the 1-wire temperature probes through the kernel's w1
 * sysfs and publishes temp/<id> and temp/found (docs/BUS.md,
 * docs/PULSES.md). */
#include "tempd.h"

#include "daemon_args.h"
#include "log.h"

#include <stdio.h>

static int s_once(const struct config *cfg)
{
	struct tempd t = { 0 };
	return tempd_once(&t, cfg, stdout);
}

int main(int argc, char **argv)
{
	struct daemon_args a;
	bool once = false;
	const struct daemon_option options[] = {
		{ .name = "once", .key = '1', .flag = &once,
		  .help = "read every probe once, print temp/found and temp/<id> objects, exit "
			  "(1 when a probe or the w1 directory is at fault)" },
		{ 0 },
	};
	int rc = daemon_args_parse(argc, argv, "tempd", options, &a);
	if (rc >= 0)
		return rc;
	log_init("tempd");
	if (once)
		return daemon_args_once(&a, "tempd", s_once);

	static struct tempd t;
	t.daemon = daemon_new("tempd", a.conf, &tempd_ops, &t);
	/* each apply, the first too, sets the round's interval and starts one */
	t.round = daemon_timer_new(t.daemon, 5000, tempd_round, &t);
	if (!t.round || !daemon_timer_new(t.daemon, TEMPD_READ_GAP_MS, tempd_read_next, &t))
		log_fatal(EXIT_TEMPORARY, "out of memory");
	rc = daemon_run(t.daemon);
	daemon_destroy(&t.daemon);
	return rc;
}
