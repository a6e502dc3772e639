/* updated: see updated.h. */
#include "updated.h"

#include "atomic_file.h"
#include "clock.h"
#include "command.h"
#include "config_keys.h"
#include "log.h"
#include "paths.h"
#include "regular_file.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void updated_init(struct updated *u)
{
	memset(u, 0, sizeof *u);
	u->out_fd = -1;
	u->update_state = "none";
}

void updated_fini(struct updated *u)
{
	if (u->out_fd >= 0)
		close(u->out_fd);
	json_decref(u->check_cmd);
	json_decref(u->install_cmd);
}

static const char *s_job_name(enum updated_job j)
{
	return j == UPDATED_CHECKING ? "check" : j == UPDATED_UPDATING ? "update" : NULL;
}

/* ---- the last check, kept in $ENISCOPE_DATA so that a restart does not
 * ask the apt source again before its time ---- */

static void s_state_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", paths_datadir(), UPDATED_STATE_FILE);
}

static void s_load_state(struct updated *u)
{
	char path[4200], err[512];
	s_state_path(path, sizeof path);
	size_t len;
	char *text = regular_file_read(path, 64 * 1024, &len, err, sizeof err);
	if (!text) {
		if (errno != ENOENT)
			log_warn("%s (the next check runs now)", err);
		return;
	}
	json_t *j = json_loadb(text, len, 0, NULL);
	free(text);
	const char *inst = json_string_value(json_object_get(j, "installed"));
	const char *cand = json_string_value(json_object_get(j, "candidate"));
	const char *cerr = json_string_value(json_object_get(j, "error"));
	json_t *checked = json_object_get(j, "checked");
	const char *by = json_string_value(json_object_get(j, "by_version"));
	if (by && strcmp(by, HUB_VERSION)) {
		/* an update installed since (it restarted this daemon before its
		 * own check could run): what is installed is not known */
		log_info("%s: checked by version %s, this is %s: the next check runs now", path, by, HUB_VERSION);
	} else if (json_is_integer(checked) && inst && cand && strlen(inst) < POLICY_VERSION_MAX &&
		   strlen(cand) < POLICY_VERSION_MAX) {
		u->checked = (time_t)json_integer_value(checked);
		snprintf(u->policy.installed, sizeof u->policy.installed, "%s", inst);
		snprintf(u->policy.candidate, sizeof u->policy.candidate, "%s", cand);
		u->have_policy = json_is_true(json_object_get(j, "have_versions"));
		snprintf(u->check_error, sizeof u->check_error, "%s", cerr ? cerr : "");
	} else {
		log_warn("%s: not a state file of updated (the next check runs now)", path);
	}
	json_decref(j);
}

static void s_save_state(struct updated *u)
{
	char path[4200], err[512];
	s_state_path(path, sizeof path);
	json_t *j = json_pack("{s:I,s:b,s:s,s:s,s:s,s:s}", "checked", (json_int_t)u->checked, "have_versions",
			      u->have_policy, "installed", u->policy.installed, "candidate", u->policy.candidate,
			      "error", u->check_error, "by_version", HUB_VERSION);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!text || atomic_file_write(path, text, strlen(text), 0644, err, sizeof err) < 0)
		log_warn("cannot keep the last check: %s", text ? err : "out of memory");
	free(text);
}

/* ---- scheduling ---- */

/* The next check at checked + the period; now when there was none, or
 * when the clock went back past the last one. */
static void s_schedule(struct updated *u)
{
	time_t now = time(NULL);
	time_t at = u->checked ? u->checked + (time_t)u->period_s : now;
	if (at < now || u->checked > now)
		at = now;
	u->next_check_at = at;
	daemon_timer_reset(u->next_check, (int64_t)(at - now) * 1000, 0);
}

/* ---- the child ---- */

static int s_start(struct updated *u, enum updated_job job, char *err, size_t errlen)
{
	if (u->job != UPDATED_IDLE) {
		snprintf(err, errlen, "busy: the %s started at %lld is still running", s_job_name(u->job),
			 (long long)u->job_started);
		return -1;
	}
	snprintf(u->out_path, sizeof u->out_path, "%s/updated.%s.out", paths_rundir(), s_job_name(job));
	u->out_fd = open(u->out_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (u->out_fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", u->out_path, strerror(errno));
		return -1;
	}
	const json_t *cmd = job == UPDATED_CHECKING ? u->check_cmd : u->install_cmd;
	u->pid = command_spawn(cmd, u->package, u->out_fd, u->out_fd, COMMAND_NEW_SESSION, err, errlen);
	if (u->pid < 0) {
		close(u->out_fd);
		u->out_fd = -1;
		u->pid = 0;
		return -1;
	}
	u->job = job;
	u->job_started = time(NULL);
	u->job_deadline_ms = clock_mono_ms() +
			     1000 * (job == UPDATED_CHECKING ? UPDATED_CHECK_TIMEOUT_S : UPDATED_UPDATE_TIMEOUT_S);
	log_info("%s: %s %s started (pid %d)", s_job_name(job), json_string_value(json_array_get(cmd, 0)), u->package,
		 (int)u->pid);
	return 0;
}

/* The whole output (at most max bytes, the last ones) into a new buffer. */
static char *s_output(struct updated *u, size_t max, size_t *len)
{
	off_t size = lseek(u->out_fd, 0, SEEK_END);
	off_t from = size > (off_t)max ? size - (off_t)max : 0;
	char *buf = malloc(max + 1);
	ssize_t n = buf ? pread(u->out_fd, buf, max, from) : -1;
	if (n < 0) {
		free(buf);
		*len = 0;
		return NULL;
	}
	buf[n] = '\0';
	/* apt's and dpkg's words go into JSON: UTF-8 only (a cut at the
	 * start may split a character, a package may print anything) */
	text_printable(buf, true);
	*len = strlen(buf);
	return buf;
}

/* The last non-empty line of text, for a one-line reason. */
static void s_last_line(const char *text, char *out, size_t outlen)
{
	const char *end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	const char *start = end;
	while (start > text && start[-1] != '\n')
		start--;
	snprintf(out, outlen, "%.*s", (int)(end - start), start);
}

static void s_describe(int status, bool killed, char *out, size_t outlen)
{
	if (killed)
		snprintf(out, outlen, "killed: no end within its time limit");
	else if (WIFEXITED(status))
		snprintf(out, outlen, "exit status %d", WEXITSTATUS(status));
	else
		snprintf(out, outlen, "killed by signal %d", WTERMSIG(status));
}

static void s_check_done(struct updated *u, int status, bool killed)
{
	size_t len;
	char *out = s_output(u, 256 * 1024, &len);
	char err[512] = "";
	u->checked = time(NULL);
	if (killed || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char how[128], last[256] = "";
		s_describe(status, killed, how, sizeof how);
		if (out)
			s_last_line(out, last, sizeof last);
		snprintf(u->check_error, sizeof u->check_error, "check command: %s%s%s", how, last[0] ? ": " : "", last);
	} else {
		struct policy p;
		if (policy_parse(out ? out : "", len, u->package, &p, err, sizeof err) < 0) {
			snprintf(u->check_error, sizeof u->check_error, "%s", err);
		} else {
			u->policy = p;
			u->have_policy = true;
			u->check_error[0] = '\0';
		}
	}
	free(out);
	text_printable(u->check_error, false); /* a cut may have split a character */
	if (u->check_error[0])
		log_warn("check: %s", u->check_error);
	else
		log_info("check: installed %s, candidate %s%s", u->policy.installed[0] ? u->policy.installed : "(none)",
			 u->policy.candidate[0] ? u->policy.candidate : "(none)",
			 policy_update_offered(&u->policy) ? ": an update is offered" : "");
	s_save_state(u);
	s_schedule(u);
}

static void s_update_done(struct updated *u, int status, bool killed)
{
	size_t len;
	char *out = s_output(u, UPDATED_OUTPUT_MAX, &len);
	snprintf(u->update_output, sizeof u->update_output, "%s", out ? out : "");
	free(out);
	s_describe(status, killed, u->update_result, sizeof u->update_result);
	u->update_finished = time(NULL);
	u->update_state = !killed && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "done" : "failed";
	log_info("update: %s (%s)", u->update_state, u->update_result);
}

void updated_poll(struct daemon *d, void *ud)
{
	(void)d;
	struct updated *u = ud;
	if (u->job == UPDATED_IDLE)
		return;
	bool killed = false;
	if (clock_mono_ms() > u->job_deadline_ms) {
		log_warn("%s: pid %d past its time limit: killed with its session", s_job_name(u->job), (int)u->pid);
		kill(-u->pid, SIGKILL);
		killed = true;
	}
	int status;
	pid_t r = waitpid(u->pid, &status, killed ? 0 : WNOHANG);
	if (r != u->pid)
		return;
	enum updated_job job = u->job;
	u->job = UPDATED_IDLE;
	u->pid = 0;
	if (job == UPDATED_CHECKING)
		s_check_done(u, status, killed);
	else
		s_update_done(u, status, killed);
	close(u->out_fd);
	u->out_fd = -1;
	char err[512];
	if (job == UPDATED_UPDATING && s_start(u, UPDATED_CHECKING, err, sizeof err) < 0)
		log_warn("check after the update: %s", err); /* what is installed now */
	daemon_publish_status(u->daemon);
}

void updated_check_now(struct daemon *d, void *ud)
{
	(void)d;
	struct updated *u = ud;
	char err[512];
	if (s_start(u, UPDATED_CHECKING, err, sizeof err) < 0) {
		/* busy (an update runs: it checks when done) or cannot start */
		if (u->job == UPDATED_IDLE) {
			snprintf(u->check_error, sizeof u->check_error, "%s", err);
			u->checked = time(NULL);
			log_warn("check: %s", err);
			s_schedule(u);
		}
	}
	daemon_publish_status(u->daemon);
}

/* ---- the skeleton's calls ---- */

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	(void)d;
	(void)err;
	(void)errlen;
	struct updated *u = ud;
	json_decref(u->check_cmd);
	json_decref(u->install_cmd);
	u->check_cmd = json_deep_copy(cfg_update_check_command(cfg));
	u->install_cmd = json_deep_copy(cfg_update_install_command(cfg));
	snprintf(u->package, sizeof u->package, "%s", cfg_update_package(cfg));
	u->period_s = cfg_update_check_hours(cfg) * 3600;
	if (!u->loaded) {
		s_load_state(u);
		u->loaded = true;
	}
	if (u->job != UPDATED_CHECKING)
		s_schedule(u);
	return 0;
}

static json_t *s_str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *s_time_or_null(time_t t)
{
	return t ? json_integer((json_int_t)t) : json_null();
}

static void s_status(struct daemon *d, json_t *st, void *ud)
{
	(void)d;
	struct updated *u = ud;
	json_object_set_new(st, "package", json_string(u->package));
	json_object_set_new(st, "installed", s_str_or_null(u->have_policy ? u->policy.installed : NULL));
	json_object_set_new(st, "candidate", s_str_or_null(u->have_policy ? u->policy.candidate : NULL));
	json_object_set_new(st, "update_available", json_boolean(u->have_policy && policy_update_offered(&u->policy)));
	json_object_set_new(st, "checked", s_time_or_null(u->checked));
	json_object_set_new(st, "check_error", s_str_or_null(u->check_error));
	json_object_set_new(st, "next_check", s_time_or_null(u->job == UPDATED_CHECKING ? 0 : u->next_check_at));
	json_object_set_new(st, "job", s_str_or_null(s_job_name(u->job)));
	json_object_set_new(st, "update",
			    json_pack("{s:s,s:o,s:o,s:o,s:s}", "state", u->update_state, "started",
				      s_time_or_null(u->update_started), "finished", s_time_or_null(u->update_finished),
				      "result", s_str_or_null(u->update_result), "output", u->update_output));
}

static json_t *s_command(struct daemon *d, const char *cmd, json_t *req, void *ud, char *err, size_t errlen)
{
	(void)d;
	(void)req;
	struct updated *u = ud;
	enum updated_job job;
	if (!strcmp(cmd, "check"))
		job = UPDATED_CHECKING;
	else if (!strcmp(cmd, "update"))
		job = UPDATED_UPDATING;
	else {
		snprintf(err, errlen, "unknown command \"%s\" (check, update)", cmd);
		return NULL;
	}
	if (s_start(u, job, err, errlen) < 0)
		return NULL;
	if (job == UPDATED_UPDATING) {
		u->update_state = "running";
		u->update_started = u->job_started;
		u->update_finished = 0;
		u->update_result[0] = u->update_output[0] = '\0';
	} else {
		daemon_timer_cancel(u->next_check);
	}
	daemon_publish_status(u->daemon);
	return json_pack("{s:b,s:s,s:I}", "ok", 1, "job", s_job_name(job), "started", (json_int_t)u->job_started);
}

const struct daemon_ops updated_ops = {
	.apply = s_apply,
	.status = s_status,
	.command = s_command,
};
