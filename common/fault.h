/* fault: why a daemon is not doing one of its jobs, as its status says it
 * (the "fault" field, docs/BUS.md), and the one thing every daemon does
 * when it changes: a log line (the reason as an error when it appears or
 * changes, "working again" when it clears) and the status published at
 * once instead of at the next 10 s tick, so the panel LED and the pages
 * follow.  Setting the same reason again does nothing: a failure retried
 * every second logs once. */
#ifndef COMMON_FAULT_H
#define COMMON_FAULT_H

#include <stdbool.h>

struct daemon;

struct fault {
	char why[1024]; /* "" when none */
};

/* Sets the reason (why "" clears it).  what names the job in the log
 * ("source", "store", "energy registers").  When it changed: logs, and
 * publishes d's status (d may be NULL: before the loop exists).  Returns
 * whether it changed. */
bool fault_set(struct fault *f, struct daemon *d, const char *what, const char *why);

static inline bool fault_active(const struct fault *f)
{
	return f->why[0] != '\0';
}

#endif
