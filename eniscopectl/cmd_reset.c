/* eniscopectl reset: the hub's one reset (docs/RESET.md).  The admin
 * page (through paneld's "reset" command), the USER button (paneld's
 * panel.reset_command, by default `eniscopectl reset all`) and an engineer
 * at a shell all end here.
 *
 *   data  the stored readings (storaged's store) and the energy registers
 *         and pulse counts (meterd's and pulsed's counter files) are
 *         erased; settings and password kept
 *   all   that, plus the factory configuration put back (registration
 *         included), the admin's password file and the company logo
 *         removed (the manual's admin/admin logs in again, only to set a
 *         new one) and every session ended
 *
 * A power cut at any moment leaves the old state or the new one: an intent
 * file is written atomically before anything is touched, every step after
 * it can be done again harmlessly, and the intent goes only when all are
 * done; until then any start of a daemon (packaging/runit/daemon-run) or
 * `eniscopectl reset resume` completes it. */
#include "eniscopectl.h"

#include "atomic_file.h"
#include "config.h"
#include "counter_store.h"
#include "ctl.h"
#include "log.h"
#include "paths.h"
#include "regular_file.h"
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define INTENT_FILE "reset.intent"
#define STOP_TIMEOUT_S 30

extern char **environ;

/* The daemons that hold in memory what a reset erases: each is stopped
 * before, so none writes back what it had, and started after. */
static const char *const s_holders[] = { "storaged", "meterd", "pulsed", NULL };

struct reset {
	const char *kind;     /* "data" or "all" */
	const char *starting; /* the daemon whose run script asks (not running yet), or NULL */
	char intent[4096];
	bool supervised[sizeof s_holders / sizeof *s_holders]; /* stopped with sv: started with it */
};

static int s_fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
	snprintf(err, errlen, fmt, a, b);
	return -1;
}

/* Runs argv without a shell, its output to our stderr (the log), and
 * waits for it; its exit status, or -1. */
static int s_spawn_wait(char *const argv[])
{
	pid_t pid;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The runit service directory of name ($SVDIR/name, runit's own variable,
 * /etc/service by default) when it exists and sv(8) is on PATH. */
static bool s_service_dir(const char *name, char *buf, size_t len)
{
	const char *svdir = getenv("SVDIR");
	snprintf(buf, len, "%s/%s", svdir && *svdir ? svdir : "/etc/service", name);
	struct stat st;
	if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode))
		return false;
	const char *path = getenv("PATH");
	char dirs[4096], exe[4200];
	snprintf(dirs, sizeof dirs, "%s", path ? path : "/usr/bin:/bin");
	for (char *save, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(exe, sizeof exe, "%s/sv", d);
		if (access(exe, X_OK) == 0)
			return true;
	}
	return false;
}

/* Stops name: `sv -w 30 down` under runit (runsv would restart a daemon
 * that merely exited), else TERM to the pid its control socket gives,
 * waiting for it to end.  A daemon not running is stopped already. */
static int s_stop(struct reset *r, size_t i, void *z, char *err, size_t errlen)
{
	const char *name = s_holders[i];
	char dir[4096];
	if (s_service_dir(name, dir, sizeof dir)) {
		r->supervised[i] = true;
		char *argv[] = { "sv", "-w", "30", "down", dir, NULL };
		if (s_spawn_wait(argv) != 0)
			return s_fail(err, errlen, "%s: sv down %s did not stop it within 30 s", name, dir);
		return 0;
	}
	char why[512];
	json_t *req = json_pack("{s:s}", "cmd", "status");
	json_t *res = ctl_request(z, paths_rundir(), name, req, 2000, why, sizeof why);
	json_decref(req);
	if (!res)
		return strcmp(why, "not running") ? s_fail(err, errlen, "%s: cannot ask it to stop: %s", name, why) : 0;
	pid_t pid = (pid_t)json_integer_value(json_object_get(res, "pid"));
	json_decref(res);
	if (pid <= 1 || kill(pid, SIGTERM) < 0)
		return s_fail(err, errlen, "%s: cannot stop it: %s", name, pid <= 1 ? "no pid in its status" : strerror(errno));
	log_info("reset: %s is not under runit: stopped with TERM; start it again afterwards", name);
	for (int t = 0; t < STOP_TIMEOUT_S * 20; t++) {
		if (kill(pid, 0) < 0 && errno == ESRCH)
			return 0;
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return s_fail(err, errlen, "%s: still running %s after TERM", name, "30 s");
}

static int s_unlink(const char *dir, const char *name, char *err, size_t errlen)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (unlink(path) < 0 && errno != ENOENT)
		return s_fail(err, errlen, "cannot remove %s: %s", path, strerror(errno));
	return 0;
}

/* Makes the directory's entries (unlinks, renames) durable. */
static int s_sync_dir(const char *dir, char *err, size_t errlen)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || fsync(fd) < 0) {
		if (fd >= 0)
			close(fd);
		return s_fail(err, errlen, "cannot sync %s: %s", dir, strerror(errno));
	}
	close(fd);
	return 0;
}

/* Every record deleted by storaged's own reset (store_reset: one
 * transaction, ids and the newest minute kept as floors, docs/STORE.md),
 * on the card while storaged is stopped. */
static int s_reset_store(char *err, size_t errlen)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/store.db", paths_datadir());
	if (access(path, F_OK) < 0)
		return 0; /* never stored anything */
	struct store *st = store_open(paths_datadir(), NULL, NULL, err, errlen);
	if (!st)
		return -1;
	int rc = store_reset(st, err, errlen);
	store_close(&st);
	return rc;
}

/* The sessions directory emptied: every session ends. */
static int s_end_sessions(char *err, size_t errlen)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/" PATHS_WEB_SESSIONS, paths_rundir());
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : s_fail(err, errlen, "cannot list %s: %s", dir, strerror(errno));
	int rc = 0;
	for (struct dirent *e; rc == 0 && (e = readdir(d));)
		if (e->d_name[0] != '.')
			rc = s_unlink(dir, e->d_name, err, errlen);
	closedir(d);
	return rc;
}

/* The factory document in place of the config (config_replace: under the
 * writers' lock, validated, atomic), whatever the config holds now: a
 * broken file is replaced too. */
static int s_factory_config(char *err, size_t errlen)
{
	const char *factory = paths_factory_config();
	if (access(factory, F_OK) < 0)
		return s_fail(err, errlen, "factory configuration %s: %s", factory, strerror(errno));
	json_t *errors = NULL;
	json_t *doc = config_read_raw(factory, &errors);
	int rc = doc ? config_replace(paths_config(), doc, &errors) : -1;
	if (rc < 0) {
		json_t *first = json_array_get(errors, 0);
		const char *field = json_string_value(json_object_get(first, "field"));
		snprintf(err, errlen, "factory configuration %s: %s%s%s", factory, field ? field : "",
			 field && *field ? ": " : "", json_string_value(json_object_get(first, "error")));
	}
	json_decref(doc);
	json_decref(errors);
	return rc;
}

/* Every step, each one harmless to do again (a power cut may come after
 * any of them and the next start does them all once more). */
static int s_complete(struct reset *r, char *err, size_t errlen)
{
	log_info("reset %s: stopping storaged, meterd, pulsed", r->kind);
	void *z = zmq_ctx_new();
	int rc = 0;
	for (size_t i = 0; rc == 0 && s_holders[i]; i++)
		if (!r->starting || strcmp(r->starting, s_holders[i]))
			rc = s_stop(r, i, z, err, errlen);
	zmq_ctx_term(z);
	if (rc < 0)
		return -1;
	const char *data = paths_datadir(), *run = paths_rundir();
	if (s_reset_store(err, errlen) < 0 || s_unlink(data, COUNTER_STORE_METERD, err, errlen) < 0 ||
	    s_unlink(run, COUNTER_STORE_METERD, err, errlen) < 0 || s_unlink(data, COUNTER_STORE_PULSED, err, errlen) < 0 ||
	    s_unlink(run, COUNTER_STORE_PULSED, err, errlen) < 0 || s_sync_dir(data, err, errlen) < 0)
		return -1;
	log_info("reset %s: stored readings, energy registers and pulse counts erased", r->kind);
	if (!strcmp(r->kind, "all")) {
		char web[4200];
		snprintf(web, sizeof web, "%s/web", data);
		if (s_factory_config(err, errlen) < 0 || s_unlink(data, PATHS_WEB_CREDENTIALS, err, errlen) < 0 ||
		    s_unlink(data, PATHS_WEB_LOGO, err, errlen) < 0 || s_sync_dir(web, err, errlen) < 0 ||
		    s_end_sessions(err, errlen) < 0)
			return -1;
		log_info("reset all: factory configuration (%s) in place, admin password back to the factory one, "
			 "company logo removed, sessions ended",
			 paths_factory_config());
	}
	/* started again before the intent goes: each one's run script waits
	 * on the lock we hold and then finds nothing pending; a kill from here
	 * on leaves the intent, so whoever completes it starts them too */
	for (size_t i = 0; s_holders[i]; i++) {
		char dir[4096];
		if (r->supervised[i] && s_service_dir(s_holders[i], dir, sizeof dir)) {
			char *argv[] = { "sv", "up", dir, NULL };
			if (s_spawn_wait(argv) != 0)
				return s_fail(err, errlen, "sv up %s failed%s", dir, "");
		}
	}
	if (unlink(r->intent) < 0 && errno != ENOENT)
		return s_fail(err, errlen, "cannot remove %s: %s", r->intent, strerror(errno));
	if (s_sync_dir(data, err, errlen) < 0)
		return -1;
	log_info("reset %s: done", r->kind);
	return 0;
}

/* The kind an intent file names; NULL when there is none.  An intent that
 * cannot be read is completed as "all", the reset that erases most: it was
 * asked for, and erasing less would leave a mix. */
static const char *s_pending(const char *path)
{
	char why[512];
	size_t len;
	char *text = regular_file_read(path, 4096, &len, why, sizeof why);
	if (!text)
		return errno == ENOENT ? NULL : "all";
	const char *kind = strstr(text, "\"data\"") ? "data" : "all";
	free(text);
	return kind;
}

static int s_usage(void)
{
	fprintf(stderr, "usage: eniscopectl reset data|all\n"
			"       eniscopectl reset resume [--starting DAEMON]\n");
	return 2;
}

int cmd_reset(int argc, char **argv)
{
	if (argc < 2)
		return s_usage();
	struct reset r = { .kind = argv[1] };
	bool resume = !strcmp(argv[1], "resume");
	if (resume && argc == 4 && !strcmp(argv[2], "--starting"))
		r.starting = argv[3];
	else if (argc != 2 || (!resume && strcmp(r.kind, "data") && strcmp(r.kind, "all")))
		return s_usage();
	snprintf(r.intent, sizeof r.intent, "%s/" INTENT_FILE, paths_datadir());
	/* the common case, every daemon start: nothing pending, nothing taken */
	if (resume && access(r.intent, F_OK) < 0)
		return 0;

	char err[1024];
	if (!resume && !strcmp(r.kind, "all")) {
		/* refused before anything is touched, never half done for want of it */
		json_t *errors = NULL;
		struct config *factory = config_load_existing(paths_factory_config(), &errors);
		if (!factory) {
			config_errors_print(errors, paths_factory_config(), stderr);
			json_decref(errors);
			fprintf(stderr, "eniscopectl reset: nothing changed: the factory configuration is unusable\n");
			return 1;
		}
		config_destroy(&factory);
	}
	struct atomic_lock *lock = atomic_file_lock(r.intent, err, sizeof err);
	if (!lock) {
		fprintf(stderr, "eniscopectl reset: %s\n", err);
		return 1;
	}
	int rc = 0;
	const char *pending = s_pending(r.intent);
	if (pending) {
		struct reset p = r;
		p.kind = pending;
		log_warn("completing an interrupted reset (%s)", pending);
		rc = s_complete(&p, err, sizeof err);
	}
	if (rc == 0 && !resume) {
		char doc[128];
		int n = snprintf(doc, sizeof doc, "{\"kind\":\"%s\",\"started\":%lld}\n", r.kind, (long long)time(NULL));
		log_info("reset %s: started", r.kind);
		rc = atomic_file_write(r.intent, doc, (size_t)n, 0600, err, sizeof err);
		if (rc == 0)
			rc = s_complete(&r, err, sizeof err);
	}
	atomic_file_unlock(&lock);
	if (rc < 0) {
		log_error("reset not finished: %s; it is completed by `eniscopectl reset resume` or the next start of "
			  "a daemon",
			  err);
		return 1;
	}
	return 0;
}
