/* uploadd: applying the config (one target per enabled "upload" element,
 * kept across reloads when its settings did not change), the status, the
 * storaged stats refresh and the check-in round. */
#include "uploadd.h"

#include "checkin.h"
#include "clock.h"
#include "config_keys.h"
#include "log.h"
#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct target *s_find(struct uploadd *u, const char *name)
{
	for (size_t i = 0; i < u->ntargets; i++)
		if (!strcmp(target_name(u->targets[i]), name))
			return u->targets[i];
	return NULL;
}

int uploadd_init(struct uploadd *u, struct daemon *d, char *err, size_t errlen)
{
	u->daemon = d;
	if (!(u->http = curl_loop_new(d))) {
		snprintf(err, errlen, "cannot set up HTTP (libcurl)");
		return -1;
	}
	if (storecli_open(&u->store, d) < 0) {
		snprintf(err, errlen, "cannot make %s's control client: %s", u->store.name, strerror(errno));
		return -1;
	}
	return 0;
}

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	struct uploadd *u = ud;
	struct hubinfo hub;
	hubinfo_from_config(&hub, cfg);
	const json_t *list = cfg_upload(cfg);
	struct target *next[UPLOADD_TARGETS_MAX] = { 0 };
	bool kept[UPLOADD_TARGETS_MAX] = { 0 };
	size_t n = json_array_size(list) < UPLOADD_TARGETS_MAX ? json_array_size(list) : UPLOADD_TARGETS_MAX;
	struct target_env env = { .daemon = d, .http = u->http, .store = &u->store, .hub = &u->hub };
	for (size_t i = 0; i < n; i++) {
		const json_t *tc = json_array_get(list, i);
		struct target *old = s_find(u, cfg_upload_name_of(tc));
		if (old && json_equal((json_t *)target_config(old), (json_t *)tc)) {
			next[i] = old;
			kept[i] = true;
			continue;
		}
		char why[512];
		next[i] = target_new(&env, tc, old ? target_stats(old) : NULL, why, sizeof why);
		if (!next[i]) {
			snprintf(err, errlen, "upload[%zu]: %s", i, why);
			for (size_t j = 0; j < i; j++)
				if (!kept[j])
					target_destroy(&next[j]);
			return -1;
		}
	}
	/* the new set is complete: drop what is not in it */
	for (size_t i = 0; i < u->ntargets; i++) {
		bool still = false;
		for (size_t j = 0; j < n; j++)
			still |= next[j] == u->targets[i];
		if (!still)
			target_destroy(&u->targets[i]);
	}
	memcpy(u->targets, next, sizeof next);
	u->ntargets = n;
	u->hub = hub;
	size_t enabled = 0;
	for (size_t i = 0; i < n; i++)
		enabled += target_enabled(u->targets[i]);
	log_info("%zu upload target(s), %zu enabled%s", n, enabled, enabled ? "" : ": idle");
	return 0;
}

static void s_status(struct daemon *d, json_t *st, void *ud)
{
	(void)d;
	struct uploadd *u = ud;
	json_t *targets = json_array();
	size_t enabled = 0;
	for (size_t i = 0; i < u->ntargets; i++) {
		json_array_append_new(targets, target_status(u->targets[i]));
		enabled += target_enabled(u->targets[i]);
	}
	json_object_set_new(st, "targets", targets);
	json_object_set_new(st, "idle", json_boolean(enabled == 0));
	json_object_set_new(st, "store", json_string(u->store_error[0] ? u->store_error : "ok"));
	bool paused = false;
	for (size_t i = 0; i < u->ntargets; i++)
		paused |= target_paused(u->targets[i]);
	if (paused)
		json_object_set_new(st, "fault", json_string("an upload target refused its credentials"));
}

static void s_checkin_round(struct daemon *d, struct uploadd *u, bool force);

static json_t *s_command(struct daemon *d, const char *cmd, json_t *req, void *ud, char *err, size_t errlen)
{
	(void)req;
	if (!strcmp(cmd, "checkin")) {
		s_checkin_round(d, ud, true);
		return json_object();
	}
	snprintf(err, errlen, "unknown command \"%s\"", cmd);
	return NULL;
}

const struct daemon_ops uploadd_ops = {
	.apply = s_apply,
	.status = s_status,
	.command = s_command,
};

static void s_on_stats(json_t *answer, const char *why, void *ud)
{
	struct uploadd *u = ud;
	u->stats_call = 0;
	char err[512];
	json_t *stats = storecli_answer(&u->store, STORECLI_STATS, answer, why, 0, 0, err, sizeof err);
	if (!stats) {
		if (strcmp(u->store_error, err))
			log_warn("%s", err);
		snprintf(u->store_error, sizeof u->store_error, "%s", err);
		for (size_t i = 0; i < u->ntargets; i++)
			target_set_backlog(u->targets[i], -1);
		return;
	}
	u->store_error[0] = '\0';
	for (size_t i = 0; i < u->ntargets; i++)
		target_set_backlog(u->targets[i], storecli_pending(stats, target_consumer(u->targets[i])));
	json_decref(u->stats);
	u->stats = json_incref(stats);
}

void uploadd_refresh_stats(struct daemon *d, void *ud)
{
	struct uploadd *u = ud;
	if (!daemon_config(d) || !u->ntargets || u->stats_call)
		return;
	u->stats_call = storecli_stats(&u->store, s_on_stats, u);
}

static void s_checkin_round(struct daemon *d, struct uploadd *u, bool force)
{
	double now = clock_wall();
	json_t *doc = NULL;
	for (size_t i = 0; i < u->ntargets; i++) {
		struct target *t = u->targets[i];
		if (!target_checkin(t) || target_paused(t) || (!force && !target_checkin_due(t, now)))
			continue;
		if (!doc) {
			/* the backlogs as of the last stats (every 10 s): asking
			 * storaged now would hold the loop */
			json_t *backlog = json_object();
			for (size_t j = 0; j < u->ntargets; j++) {
				json_t *ts = target_status(u->targets[j]);
				json_object_set(backlog, target_name(u->targets[j]), json_object_get(ts, "backlog"));
				json_decref(ts);
			}
			json_t *self = json_pack("{s:s,s:i,s:s,s:s}", "daemon", daemon_name(d), "pid", (int)getpid(),
						 "version", HUB_VERSION, "state", "running");
			s_status(d, self, u);
			doc = checkin_document(daemon_zctx(d), paths_rundir(), paths_datadir(), &u->hub, backlog, u->stats,
					       daemon_name(d), self);
			json_decref(self);
			json_decref(backlog);
		}
		char *text = json_dumps(doc, JSON_COMPACT);
		if (text)
			target_checkin_send(t, text);
		free(text);
	}
	json_decref(doc);
}

void uploadd_checkin(struct daemon *d, void *ud)
{
	if (daemon_config(d))
		s_checkin_round(d, ud, false);
}

void uploadd_cleanup(struct uploadd *u)
{
	for (size_t i = 0; i < u->ntargets; i++)
		target_destroy(&u->targets[i]);
	u->ntargets = 0;
	curl_loop_destroy(&u->http);
	storecli_cancel(&u->store, &u->stats_call);
	storecli_close(&u->store);
	json_decref(u->stats);
	u->stats = NULL;
}
