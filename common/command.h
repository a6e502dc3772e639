/* command: starts a configured command (a JSON array of strings: program and
 * arguments, no shell, so no value in it is ever parsed by one) from a
 * daemon.  The child gets no blocked signal (the skeleton blocks TERM, INT
 * and HUP for its signalfd, and a mask survives exec).  The caller reaps
 * it (waitpid). */
#ifndef HUB_COMMAND_H
#define HUB_COMMAND_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

/* The child in a session of its own (setsid): a signal to the daemon's
 * process group (runit's sv stops the daemon only, but a terminal's ^C
 * would reach the group) does not reach it, and the daemon can kill its
 * whole group (a hung apt-get and its dpkg) with kill(-pid). */
#define COMMAND_NEW_SESSION 0x1u

/* Runs cmd, with last (when not NULL) appended as one more argument;
 * stdout and stderr to out_fd and err_fd (-1: the daemon's own).  Returns
 * the pid, or -1 with "cannot run PROGRAM: why" in err (cmd not an array
 * of strings, out of memory, or posix_spawnp's error: no such program). */
pid_t command_spawn(const json_t *cmd, const char *last, int out_fd, int err_fd, unsigned flags, char *err,
		    size_t errlen);

#endif
