/* command: see command.h. */
#include "command.h"

#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

pid_t command_spawn(const json_t *cmd, const char *last, int out_fd, int err_fd, unsigned flags, char *err,
		    size_t errlen)
{
	size_t n = json_array_size(cmd);
	if (n == 0) {
		snprintf(err, errlen, "cannot run the command: it is not a list of program and arguments");
		return -1;
	}
	char **argv = calloc(n + 2, sizeof *argv);
	if (!argv) {
		snprintf(err, errlen, "cannot run the command: out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		argv[i] = (char *)json_string_value(json_array_get(cmd, i));
		if (!argv[i]) {
			free(argv);
			snprintf(err, errlen, "cannot run the command: argument %zu is not text", i);
			return -1;
		}
	}
	argv[n] = (char *)last;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_init(&fa);
	sigset_t none;
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	short sflags = POSIX_SPAWN_SETSIGMASK;
	if (flags & COMMAND_NEW_SESSION)
		sflags |= POSIX_SPAWN_SETSID;
	posix_spawnattr_setflags(&attr, sflags);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	if (err_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(rc));
		free(argv);
		return -1;
	}
	free(argv);
	return pid;
}
