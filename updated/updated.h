/* updated: the hub's software updates (docs/SYSTEM.md, Updates): checks
 * every update.check_hours whether the apt source offers a newer hub
 * package (update.check_command, `apt-cache policy` after an `apt-get
 * update`), keeps the answer across restarts, and on the admin's "update"
 * command runs update.install_command.  Each command runs in a child of
 * its own (common/command.h) while the loop goes on; one at a time. */
#ifndef UPDATED_H
#define UPDATED_H

#include "daemon.h"
#include "policy.h"

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#define UPDATED_POLL_MS 1000
#define UPDATED_CHECK_TIMEOUT_S 600   /* apt-get update over a slow link */
#define UPDATED_UPDATE_TIMEOUT_S 3600 /* a download and dpkg on an SD card */
#define UPDATED_OUTPUT_MAX 2048       /* the tail of a command's output kept for the status */
#define UPDATED_STATE_FILE "update.json" /* in $ENISCOPE_DATA: the last check */

enum updated_job { UPDATED_IDLE, UPDATED_CHECKING, UPDATED_UPDATING };

struct updated {
	struct daemon *daemon;
	struct daemon_timer *next_check;
	/* config */
	json_t *check_cmd, *install_cmd;
	char package[72];
	int64_t period_s;
	/* the running command */
	enum updated_job job;
	pid_t pid;
	time_t job_started;
	int64_t job_deadline_ms; /* monotonic */
	int out_fd;
	char out_path[4200];
	/* the last check */
	struct policy policy;
	bool have_policy;
	time_t checked; /* 0: never */
	char check_error[512];
	time_t next_check_at;
	/* the last update */
	const char *update_state; /* "none", "running", "done", "failed" */
	time_t update_started, update_finished;
	char update_result[512];
	char update_output[UPDATED_OUTPUT_MAX + 1];
	bool loaded; /* the state file was read */
};

void updated_init(struct updated *u);
void updated_fini(struct updated *u);
/* Once a second: reaps the child, kills one past its deadline. */
void updated_poll(struct daemon *d, void *ud);
/* The check timer's callback. */
void updated_check_now(struct daemon *d, void *ud);

extern const struct daemon_ops updated_ops;

#endif
