/* logbook: see logbook.h. */
#include "logbook.h"

#include "clock.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

void logbook_init(struct logbook *b, struct ctl_client *c)
{
	*b = (struct logbook){ .storaged = c, .owed = json_array(),
			       .retry = BACKOFF_INIT(LOGBOOK_RETRY_MIN_MS, LOGBOOK_RETRY_MAX_MS) };
}

void logbook_fini(struct logbook *b)
{
	if (b->call)
		ctl_client_cancel(b->storaged, b->call);
	json_decref(b->owed);
	b->owed = NULL;
}

static void s_bound(struct logbook *b)
{
	/* never the ones in flight: their answer removes them */
	while (json_array_size(b->owed) > LOGBOOK_MAX && json_array_size(b->owed) > b->sending) {
		json_array_remove(b->owed, b->sending);
		if (!b->dropped++)
			log_warn("alarm log: more than %d events not stored (storaged down?): dropping the oldest",
				 LOGBOOK_MAX);
	}
	b->changed = true;
}

void logbook_add(struct logbook *b, json_t *event)
{
	json_array_append(b->owed, event);
	s_bound(b);
}

void logbook_restore(struct logbook *b, const json_t *list)
{
	size_t i;
	const json_t *e;
	json_t *owed = json_array();
	json_array_foreach(list, i, e)
		if (json_is_object(e))
			json_array_append(owed, (json_t *)e);
	json_array_extend(owed, b->owed);
	json_decref(b->owed);
	b->owed = owed;
	s_bound(b);
}

static void s_answer(json_t *answer, const char *err, void *ud)
{
	struct logbook *b = ud;
	b->call = 0;
	if (answer && json_is_true(json_object_get(answer, "ok"))) {
		for (size_t i = 0; i < b->sending; i++)
			json_array_remove(b->owed, 0);
		b->stored += b->sending;
		b->sending = 0;
		b->changed = true;
		b->last_error[0] = '\0';
		backoff_reset(&b->retry);
		return;
	}
	const char *why = answer ? json_string_value(json_object_get(answer, "error")) : err;
	b->sending = 0;
	int64_t wait = backoff_failed(&b->retry);
	if (!b->last_error[0] || strcmp(b->last_error, why ? why : "?"))
		log_warn("alarm log: storaged did not store %zu events (%s); trying again in %lld ms",
			 json_array_size(b->owed), why ? why : "?", (long long)wait);
	snprintf(b->last_error, sizeof b->last_error, "%s", why ? why : "?");
	b->next_ms = clock_mono_ms() + wait;
}

void logbook_run(struct logbook *b, int64_t now_ms)
{
	if (b->call || !json_array_size(b->owed) || now_ms < b->next_ms)
		return;
	size_t n = json_array_size(b->owed) < LOGBOOK_BATCH ? json_array_size(b->owed) : LOGBOOK_BATCH;
	json_t *events = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(events, json_array_get(b->owed, i));
	json_t *req = json_pack("{s:s,s:o}", "cmd", "alarm-log-add", "events", events);
	b->sending = n;
	b->call = ctl_client_call(b->storaged, req, LOGBOOK_TIMEOUT_MS, s_answer, b);
	json_decref(req);
	if (!b->call)
		b->sending = 0;
}

json_t *logbook_status(const struct logbook *b)
{
	return json_pack("{s:I,s:I,s:I,s:s?}", "pending", (json_int_t)json_array_size(b->owed), "stored",
			 (json_int_t)b->stored, "dropped", (json_int_t)b->dropped, "last_error",
			 b->last_error[0] ? b->last_error : NULL);
}
