/* storecli: see storecli.h. */
#include "storecli.h"

#include "ctl.h"
#include "msg.h"

#include <inttypes.h>

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

int storecli_check_records(const json_t *records, int64_t after, int max, char *err, size_t errlen)
{
	if (!json_is_array(records)) {
		snprintf(err, errlen, "batch answer has no \"records\" array");
		return -1;
	}
	if (json_array_size(records) > (size_t)max) {
		snprintf(err, errlen, "batch answer has %zu records, %d asked for", json_array_size(records), max);
		return -1;
	}
	int64_t prev = after;
	size_t i;
	const json_t *r;
	json_array_foreach(records, i, r) {
		char name[32], why[200];
		snprintf(name, sizeof name, "records[%zu].id", i);
		int64_t id;
		if (!json_is_object(r)) {
			snprintf(err, errlen, "batch answer: records[%zu] is not an object", i);
			return -1;
		}
		if (msg_int(json_object_get(r, "id"), name, 1, INT64_MAX, &id, why, sizeof why) != 0) {
			snprintf(err, errlen, "batch answer: %s", why);
			return -1;
		}
		if (id <= prev) {
			snprintf(err, errlen, "batch answer: %s: %" PRId64 " does not rise past %" PRId64, name, id, prev);
			return -1;
		}
		prev = id;
	}
	return 0;
}

int storecli_check_series(const json_t *answer, int64_t after, int max, char *err, size_t errlen)
{
	char why[200];
	int64_t count, last;
	const json_t *series = json_object_get(answer, "series");
	if (!json_is_array(series) || !json_is_boolean(json_object_get(answer, "more"))) {
		snprintf(err, errlen, "batch answer lacks series or more");
		return -1;
	}
	if (msg_int(json_object_get(answer, "count"), "count", 0, max, &count, why, sizeof why) != 0 ||
	    msg_int(json_object_get(answer, "last"), "last", 0, INT64_MAX, &last, why, sizeof why) != 0) {
		snprintf(err, errlen, "batch answer: %s", why);
		return -1;
	}
	if (count && last <= after) {
		snprintf(err, errlen, "batch answer: last: %" PRId64 " does not rise past %" PRId64, last, after);
		return -1;
	}
	/* the rows' ts are differences: every running sum is a time */
	size_t k;
	const json_t *s;
	json_array_foreach(series, k, s) {
		const json_t *ts = json_object_get(s, "ts");
		if (!json_is_array(ts)) {
			snprintf(err, errlen, "batch answer: series[%zu] has no ts array", k);
			return -1;
		}
		int64_t sum = 0;
		size_t i;
		const json_t *d;
		json_array_foreach(ts, i, d) {
			char name[40];
			int64_t x;
			snprintf(name, sizeof name, "series[%zu].ts[%zu]", k, i);
			if (msg_int(d, name, -(int64_t)MSG_TS_MAX, (int64_t)MSG_TS_MAX, &x, why, sizeof why) != 0 ||
			    (sum += x) < 0 || sum > (int64_t)MSG_TS_MAX) {
				snprintf(err, errlen, "batch answer: %s",
					 why[0] ? why : "a series' ts runs out of 0..253402300799");
				return -1;
			}
			why[0] = '\0';
		}
	}
	return 0;
}

json_t *storecli_batch(const struct storecli *sc, const char *consumer, int64_t after, int max, bool *more,
		       char *err, size_t errlen)
{
	json_t *resp = s_call(sc, s_batch_request(consumer, after, max, NULL), err, errlen);
	if (!resp)
		return NULL;
	json_t *records = json_object_get(resp, "records");
	char why[256];
	if (storecli_check_records(records, after, max, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: %s", sc->name, why);
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
	char why[256];
	if (resp && storecli_check_series(resp, after, max, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: %s", sc->name, why);
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
	int64_t n;
	char why[8];
	return msg_int(p, "pending", 0, INT64_MAX, &n, why, sizeof why) == 0 ? n : -1;
}
