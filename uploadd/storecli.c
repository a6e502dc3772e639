/* storecli: see storecli.h. */
#include "storecli.h"

#include <stdio.h>

int storecli_open(struct storecli *sc, struct daemon *d)
{
	if (!sc->client)
		sc->client = ctl_client_new(d, sc->rundir, sc->name);
	return sc->client ? 0 : -1;
}

void storecli_close(struct storecli *sc)
{
	ctl_client_destroy(&sc->client);
}

/* Sends req (stolen). */
static uint64_t s_call(const struct storecli *sc, json_t *req, ctl_answer_fn fn, void *ud)
{
	uint64_t id = ctl_client_call(sc->client, req, sc->timeout_ms, fn, ud);
	json_decref(req);
	return id;
}

uint64_t storecli_batch(const struct storecli *sc, const char *consumer, int64_t after, int max, bool series,
			ctl_answer_fn fn, void *ud)
{
	json_t *req = json_pack("{s:s,s:s,s:i}", "cmd", "batch", "consumer", consumer, "max", max);
	if (after)
		json_object_set_new(req, "after", json_integer((json_int_t)after));
	if (series)
		json_object_set_new(req, "form", json_string("series"));
	return s_call(sc, req, fn, ud);
}

uint64_t storecli_ack(const struct storecli *sc, const char *consumer, int64_t upto, ctl_answer_fn fn, void *ud)
{
	return s_call(sc, json_pack("{s:s,s:s,s:I}", "cmd", "ack", "consumer", consumer, "upto", (json_int_t)upto), fn,
		      ud);
}

uint64_t storecli_set_aside(const struct storecli *sc, const char *consumer, const json_t *ids, const char *reason,
			    ctl_answer_fn fn, void *ud)
{
	return s_call(sc,
		      json_pack("{s:s,s:s,s:O,s:s}", "cmd", "set-aside", "consumer", consumer, "ids", ids, "reason",
				reason),
		      fn, ud);
}

uint64_t storecli_stats(const struct storecli *sc, ctl_answer_fn fn, void *ud)
{
	return s_call(sc, json_pack("{s:s}", "cmd", "stats"), fn, ud);
}

void storecli_cancel(const struct storecli *sc, uint64_t *id)
{
	if (*id && sc->client)
		ctl_client_cancel(sc->client, *id);
	*id = 0;
}

json_t *storecli_answer(const struct storecli *sc, enum storecli_op op, json_t *answer, const char *why, char *err,
			size_t errlen)
{
	if (!answer) {
		snprintf(err, errlen, "%s: %s", sc->name, why ? why : "no answer");
		return NULL;
	}
	if (!json_is_true(json_object_get(answer, "ok"))) {
		const char *e = json_string_value(json_object_get(answer, "error"));
		snprintf(err, errlen, "%s: %s", sc->name, e ? e : "refused without a reason");
		return NULL;
	}
	if (op == STORECLI_BATCH && !json_is_array(json_object_get(answer, "records"))) {
		snprintf(err, errlen, "%s: batch answer has no \"records\" array", sc->name);
		return NULL;
	}
	if (op == STORECLI_BATCH_SERIES &&
	    !(json_is_array(json_object_get(answer, "series")) && json_is_integer(json_object_get(answer, "count")) &&
	      json_is_integer(json_object_get(answer, "last")) && json_is_boolean(json_object_get(answer, "more")))) {
		snprintf(err, errlen, "%s: batch answer lacks series, count, last or more", sc->name);
		return NULL;
	}
	return answer;
}

int64_t storecli_pending(const json_t *stats, const char *consumer)
{
	json_t *p = json_object_get(json_object_get(json_object_get(stats, "consumers"), consumer), "pending");
	return json_is_integer(p) ? (int64_t)json_integer_value(p) : -1;
}
