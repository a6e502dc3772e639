/* eniscopectl: the ops engineer's tool.  Each sub-command is one module. */
#ifndef ENISCOPECTL_H
#define ENISCOPECTL_H

/* Each returns the process exit code: 0 success, 1 the thing asked about
 * is not well (not running, invalid), 2 usage. */
int cmd_status(int argc, char **argv);
int cmd_tap(int argc, char **argv);
int cmd_config(int argc, char **argv, const char *conf_path);
/* 0 when the daemon answered "ok": true, 1 when it answered an error,
 * 2 usage, 3 when it did not answer: not running, permission denied, the
 * request too large to send (the reason on stderr). */
int cmd_call(int argc, char **argv);
/* reset data|all, reset resume [--starting DAEMON]: 0 done (or nothing
 * pending), 1 failed (the reason logged; what was begun is completed by
 * the next resume), 2 usage. */
int cmd_reset(int argc, char **argv);

#endif
