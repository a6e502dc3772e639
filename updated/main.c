/* updated: the hub's software updates from its apt source (docs/SYSTEM.md). */
#include "updated.h"

#include "daemon_args.h"
#include "log.h"

#include <stdlib.h>

int main(int argc, char **argv)
{
	struct daemon_args a;
	int rc = daemon_args_parse(argc, argv, "updated", NULL, &a);
	if (rc >= 0)
		return rc;
	log_init("updated");
	/* apt-cache's output is parsed: its words untranslated; and dpkg
	 * must never wait for an answer no one can give */
	setenv("LC_ALL", "C", 1);
	setenv("DEBIAN_FRONTEND", "noninteractive", 1);

	static struct updated u; /* timers point into it */
	updated_init(&u);
	u.daemon = daemon_new("updated", a.conf, &updated_ops, &u);
	u.next_check = daemon_timer_once(u.daemon, updated_check_now, &u);
	if (!u.next_check || !daemon_timer_new(u.daemon, UPDATED_POLL_MS, updated_poll, &u))
		log_fatal(EXIT_TEMPORARY, "out of memory");
	rc = daemon_run(u.daemon);
	updated_fini(&u);
	daemon_destroy(&u.daemon);
	return rc;
}
