/* storaged: keeps one-minute records of every meter, pulse input and probe
 * on the SD card and serves them to uploadd and the admin pages
 * (docs/STORE.md). */
#include "storaged.h"

#include "daemon_args.h"
#include "log.h"
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	struct daemon_args a;
	const char *minute_arg = NULL;
	const struct daemon_option options[] = {
		{ .name = "minute-ms", .arg = "N", .value = &minute_arg,
		  .help = "for tests: a minute lasts N ms, stamped one after another (never on a hub)" },
		{ 0 },
	};
	int rc = daemon_args_parse(argc, argv, "storaged", options, &a);
	if (rc >= 0)
		return rc;
	long minute_ms = 60000;
	if (minute_arg) {
		char *end;
		minute_ms = strtol(minute_arg, &end, 10);
		if (*end || minute_ms < 10 || minute_ms > 60000) {
			fprintf(stderr, "storaged: --minute-ms: \"%s\" is not 10..60000\n", minute_arg);
			return 2;
		}
	}
	log_init("storaged");
	if (minute_ms != 60000)
		log_warn("test mode: a minute lasts %ld ms", minute_ms);

	static struct storaged s;
	struct daemon *d = daemon_new("storaged", a.conf, &storaged_ops, &s);
	if (storaged_init(&s, d, paths_datadir(), minute_ms) < 0)
		log_fatal(EXIT_TEMPORARY, "cannot set up: out of memory or bus sockets");
	rc = daemon_run(d);

	storaged_fini(&s);
	daemon_destroy(&d);
	return rc;
}
