/* daemon_args: the command line every daemon takes, parsed once:
 *
 *     <daemon> [-c CONFIG] [daemon's own options]
 *
 * Each daemon lists its own options (meterd's --source and --replay,
 * pulsed's and tempd's --once) in a small table; the parser, the usage text
 * and the exit codes are the same for all, so an ops engineer meets one
 * convention on every service. */
#ifndef HUB_DAEMON_ARGS_H
#define HUB_DAEMON_ARGS_H

#include "config.h"

#include <stdbool.h>

/* One daemon-specific option.  With arg set it takes a value, stored in
 * *value; without, it is a switch that sets *flag. */
struct daemon_option {
	const char *name;  /* long name, "once" for --once */
	char key;	   /* short name, 0 for none */
	const char *arg;   /* the value's name in the usage text, or NULL */
	const char *help;  /* one line for the usage text */
	const char **value;
	bool *flag;
};

struct daemon_args {
	const char *conf; /* NULL: paths_config() */
};

/* Parses argv into a and the options of extra (an array ended by an entry
 * with a NULL name, or NULL for none).  Returns -1 to go on, or the exit
 * code when main should stop (0 after --help, 2 on a usage error). */
int daemon_args_parse(int argc, char **argv, const char *prog, const struct daemon_option *extra,
		      struct daemon_args *a);

/* For a one-shot program: the config at a->conf, or NULL after printing why
 * it is not usable ("prog: field: reason" lines on stderr). */
struct config *daemon_args_config(const struct daemon_args *a, const char *prog);

/* A one-shot mode (pulsed --once, tempd --once): once(cfg) on the config at
 * a->conf, its exit code; 1 after printing why the config is not usable
 * ("prog: field: reason" lines on stderr). */
int daemon_args_once(const struct daemon_args *a, const char *prog, int (*once)(const struct config *cfg));

#endif
