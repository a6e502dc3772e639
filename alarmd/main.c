/* alarmd: the manual's e-mail alarms on the meters' readings, and the
 * hub's health alarms, through one rule engine (docs/ALARMS.md). */
#include "alarmd.h"

#include "daemon_args.h"
#include "log.h"

int main(int argc, char **argv)
{
	struct daemon_args a;
	int rc = daemon_args_parse(argc, argv, "alarmd", NULL, &a);
	if (rc >= 0)
		return rc;
	log_init("alarmd");

	struct alarmd al = { 0 };
	struct daemon *d = daemon_new("alarmd", a.conf, &alarmd_ops, &al);
	char err[256];
	if (alarmd_open(&al, d, err, sizeof err) < 0)
		log_fatal(EXIT_TEMPORARY, "%s", err);
	if (!daemon_timer_new(d, ALARMD_TICK_MS, alarmd_tick, &al) ||
	    !daemon_timer_new(d, ALARMD_POLL_MS, alarmd_poll, &al))
		log_fatal(EXIT_TEMPORARY, "out of memory");
	alarmd_poll(d, &al);
	rc = daemon_run(d);

	alarmd_close(&al);
	daemon_destroy(&d);
	return rc;
}
