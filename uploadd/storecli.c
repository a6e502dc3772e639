/* storecli: see storecli.h. */
#include "storecli.h"

#include "ctl.h"

#include <stdio.h>

/* Sends req (stolen) and returns the answer when it is {"ok":true,...}. */
static json_t *s_call(const struct storecli *sc, json_t *req, char *err, size_t errlen)
{
	char why[512] = "";
	json_t *resp = ctl_request(sc->zctx, sc->rundir, sc->name, req, sc->timeout_ms, why, sizeof why);
	json_decref(req);
	if (!resp) {
		snprintf(err, errlen, "%s: %s", sc->name, why);
		return NULL;
	}
	if (!json_is_true(json_object_get(resp, "ok"))) {
		const char *e = json_string_value(json_object_get(resp, "error"));
		snprintf(err, errlen, "%s: %s", sc->name, e ? e : "refused without a reason");
		json_decref(resp);
		return NULL;
	}
	return resp;
}

static json_t *s_batch_request(const char *consumer, int64_t after, int max, const char *form)
{
	json_t *req = json_pack("{s:s,s:s,s:i}", "cmd", "batch", "consumer", consumer, "max", max);
	if (after)
		json_object_set_new(req, "after", json_integer((json_int_t)after));
	if (form)
		json_object_set_new(req, "form", json_string(form));
	return req;
}

json_t *storecli_batch(const struct storecli *sc, const char *consumer, int64_t after, int max, bool *more,
		       char *err, size_t errlen)
{
	json_t *resp = s_call(sc, s_batch_request(consumer, after, max, NULL), err, errlen);
	if (!resp)
		return NULL;
	json_t *records = json_object_get(resp, "records");
	if (!json_is_array(records)) {
		snprintf(err, errlen, "%s: batch answer has no \"records\" array", sc->name);
		json_decref(resp);
		return NULL;
	}
	*more = json_is_true(json_object_get(resp, "more"));
	json_incref(records);
	json_decref(resp);
	return records;
}

json_t *storecli_batch_series(const struct storecli *sc, const char *consumer, int64_t after, int max, char *err,
			      size_t errlen)
{
	json_t *resp = s_call(sc, s_batch_request(consumer, after, max, "series"), err, errlen);
	if (resp && !(json_is_array(json_object_get(resp, "series")) && json_is_integer(json_object_get(resp, "count")) &&
		      json_is_integer(json_object_get(resp, "last")) && json_is_boolean(json_object_get(resp, "more")))) {
		snprintf(err, errlen, "%s: batch answer lacks series, count, last or more", sc->name);
		json_decref(resp);
		return NULL;
	}
	return resp;
}

int storecli_ack(const struct storecli *sc, const char *consumer, int64_t upto, char *err, size_t errlen)
{
	json_t *resp = s_call(sc, json_pack("{s:s,s:s,s:I}", "cmd", "ack", "consumer", consumer, "upto",
					    (json_int_t)upto),
			      err, errlen);
	json_decref(resp);
	return resp ? 0 : -1;
}

int storecli_set_aside(const struct storecli *sc, const char *consumer, json_t *ids, const char *reason, char *err,
		       size_t errlen)
{
	json_t *resp = s_call(sc, json_pack("{s:s,s:s,s:O,s:s}", "cmd", "set-aside", "consumer", consumer, "ids", ids,
					    "reason", reason),
			      err, errlen);
	json_decref(resp);
	return resp ? 0 : -1;
}

json_t *storecli_stats(const struct storecli *sc, char *err, size_t errlen)
{
	return s_call(sc, json_pack("{s:s}", "cmd", "stats"), err, errlen);
}

int64_t storecli_pending(const json_t *stats, const char *consumer)
{
	json_t *p = json_object_get(json_object_get(json_object_get(stats, "consumers"), consumer), "pending");
	return json_is_integer(p) ? (int64_t)json_integer_value(p) : -1;
}
