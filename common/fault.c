/* fault: see fault.h. */
#include "fault.h"

#include "daemon.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

bool fault_set(struct fault *f, struct daemon *d, const char *what, const char *why)
{
	if (!strcmp(f->why, why))
		return false;
	if (why[0])
		log_error("%s: %s", what, why);
	else
		log_info("%s working again (was: %s)", what, f->why);
	snprintf(f->why, sizeof f->why, "%s", why);
	if (d)
		daemon_publish_status(d);
	return true;
}
