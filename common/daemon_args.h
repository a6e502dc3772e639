/* daemon_args: the command line every hub daemon takes, parsed once:
 *
 *     <name> [-c CONFIG]    (-c/--config FILE, -h/--help)
 *
 * so each main.c stays a table of contents and every daemon answers the
 * same options the same way. */
#ifndef HUB_DAEMON_ARGS_H
#define HUB_DAEMON_ARGS_H

/* Returns the -c file, or NULL for the default ($ENISCOPE_CONF or
 * /etc/eniscope/config.json).  -h prints the usage and exits 0; a bad
 * option prints it to stderr and exits 2. */
const char *daemon_args(int argc, char **argv, const char *name);

#endif
