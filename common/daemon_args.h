/* daemon_args: the command line every daemon takes, parsed once:
 *
 *     <daemon> [-c CONFIG] [--once]
 *
 * --once is offered only by daemons that can read their inputs a single
 * time and print them (pulsed, tempd): ops engineers and tests use it to
 * see what the daemon would publish without running it. */
#ifndef HUB_DAEMON_ARGS_H
#define HUB_DAEMON_ARGS_H

#include "config.h"

#include <stdbool.h>

struct daemon_args {
	const char *conf; /* NULL: paths_config() */
	bool once;
};

/* Parses argv into a.  once_help is the --once line of the usage text, or
 * NULL when the daemon has no --once.  Returns -1 to go on, or the exit
 * code when main should stop (0 after --help, 2 on a usage error). */
int daemon_args_parse(int argc, char **argv, const char *prog, const char *once_help, struct daemon_args *a);

/* For --once: the config at a->conf, or NULL after printing why it is not
 * usable ("prog: field: reason" lines on stderr). */
struct config *daemon_args_config(const struct daemon_args *a, const char *prog);

#endif
