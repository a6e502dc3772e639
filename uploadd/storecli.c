/* storecli: see storecli.h. */
#include "storecli.h"

#include "msg.h"

#include <inttypes.h>
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

json_t *storecli_answer(const struct storecli *sc, enum storecli_op op, json_t *answer, const char *why,
			int64_t after, int max, char *err, size_t errlen)
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
	char bad[256];
	if ((op == STORECLI_BATCH &&
	     storecli_check_records(json_object_get(answer, "records"), after, max, bad, sizeof bad) != 0) ||
	    (op == STORECLI_BATCH_SERIES && storecli_check_series(answer, after, max, bad, sizeof bad) != 0)) {
		snprintf(err, errlen, "%s: %s", sc->name, bad);
		return NULL;
	}
	return answer;
}

int64_t storecli_pending(const json_t *stats, const char *consumer)
{
	json_t *p = json_object_get(json_object_get(json_object_get(stats, "consumers"), consumer), "pending");
	int64_t n;
	char why[8];
	return msg_int(p, "pending", 0, INT64_MAX, &n, why, sizeof why) == 0 ? n : -1;
}
