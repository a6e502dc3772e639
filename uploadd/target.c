/* target: see target.h. */
#include "target.h"

#include "clock.h"
#include "config_keys.h"
#include "log.h"
#include "retry.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define STORE_RETRY_MS 5000 /* storaged not answering: it is local, try again soon */
#define SPLIT_DEPTH 64      /* enough to bisect 2^64 records */

enum target_state {
	T_DISABLED,
	T_IDLE,
	T_SENDING,
	T_BACKOFF,
	T_PAUSED,
	T_STORE_WAIT,
};

/* What a request to storaged is for (its answer goes to s_on_store). */
enum store_op {
	OP_NONE,
	OP_ACK,     /* move the cursor to ack_upto */
	OP_ASIDE,   /* set t->aside aside */
	OP_FETCH,   /* the next batch (series for http-json) */
	OP_RECORDS, /* a batch as records */
	OP_AHEAD,   /* the batch after the one on the wire */
};

/* What setting records aside finishes. */
enum aside_then {
	ASIDE_ONLY,     /* nothing more (records with no known time) */
	ASIDE_SKIP,     /* the slice's one record (it cannot be encoded) */
	ASIDE_SKIP_ACK, /* the same, and the cursor may pass it (refused) */
};

static const char *const s_state_names[] = { "disabled", "idle", "sending", "backoff", "paused",
					     "waiting-for-storaged" };

struct target {
	struct target_env env;
	json_t *cfg;
	char name[65];
	char consumer[80];
	enum payload_type type;
	char post_url[2048];
	char checkin_url[2048];
	char authorization[600];
	bool enabled, checkin, gzip;
	int batch_size, interval_s;
	int64_t retry_max_ms;

	enum target_state state;
	struct daemon_timer *timer;
	int64_t due_mono; /* when the timer fires next (for status) */
	uint64_t rng;

	json_t *batch;  /* the records being delivered, NULL between batches */
	json_t *series; /* or, http-json, the batch as storaged encoded it, sent whole */
	size_t batch_n; /* records in the batch */
	int64_t batch_after; /* the batch is the records after this id (0: the cursor) */
	bool more;      /* storaged had more than this batch */
	int64_t batch_last_id;
	size_t done;   /* batch[0..done) delivered or set aside */
	size_t ends[SPLIT_DEPTH];
	int nends;     /* the current slice is [done, ends[nends-1]) */
	int64_t ack_upto; /* delivered but not yet acked; 0: nothing */
	/* the batch after this one, read while this one is on the wire, so
	 * storaged, uploadd and the receiver work at the same time */
	json_t *next; /* storaged's answer: records (influxdb) or series (http-json) */
	int64_t next_after;

	/* storaged: one request at a time, its answer an event of the loop
	 * (s_on_store); what is owed to it waits in these until s_step asks */
	uint64_t call; /* in flight; 0: none */
	enum store_op op;
	bool call_series;
	int64_t call_after, call_ack;
	int call_max; /* what the batch in flight asked for at most */
	bool rest_after_ack; /* the ack ends all there was: then wait interval_s */
	json_t *aside;       /* record ids to set aside before anything else */
	char aside_reason[600];
	enum aside_then aside_then;
	int64_t aside_id;
	bool want_records; /* the batch (dropped) is needed as records, to split it */
	int64_t records_after;
	int records_max;
	bool records_more;
	long split_code; /* the refusal that asked for them */
	char split_body[300];

	struct curl_xfer *xfer;
	struct buf body, gz;
	unsigned failures;
	char paused_reason[512];
	int64_t backlog;
	struct target_stats st;

	struct curl_xfer *checkin_xfer;
	struct buf checkin_body;
	double checkin_ok;     /* wall time of the last accepted check-in; 0: none */
	double checkin_tried;
	char checkin_result[300];
};

static double s_rand01(struct target *t)
{
	uint64_t x = t->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	t->rng = x;
	return (double)(x >> 11) / (double)(1ULL << 53);
}

static void s_schedule(struct target *t, int64_t delay_ms)
{
	daemon_timer_reset(t->timer, delay_ms, 0);
	t->due_mono = clock_mono_ms() + delay_ms;
}

static void s_error(struct target *t, long http, int curl, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void s_error(struct target *t, long http, int curl, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* one log line per change of reason, not per retry */
	if (strcmp(msg, t->st.last_error) || t->failures <= 1)
		log_warn("upload %s: %s", t->name, msg);
	snprintf(t->st.last_error, sizeof t->st.last_error, "%s", msg);
	t->st.last_error_time = clock_wall();
	t->st.last_error_http = http;
	t->st.last_error_curl = curl;
}

static void s_drop_batch(struct target *t)
{
	json_decref(t->batch);
	t->batch = NULL;
	json_decref(t->series);
	t->series = NULL;
	t->batch_n = 0;
	t->done = 0;
	t->nends = 0;
	t->more = false;
}

static void s_store_wait(struct target *t, const char *what, const char *err)
{
	s_error(t, 0, 0, "%s: %s", what, err);
	t->state = T_STORE_WAIT;
	s_schedule(t, STORE_RETRY_MS);
}

static int64_t s_record_id(const json_t *r)
{
	return (int64_t)json_integer_value(json_object_get(r, "id"));
}

/* Records (ids: an array, stolen) to set aside before anything else. */
static void s_owe_aside(struct target *t, json_t *ids, const char *reason, enum aside_then then, int64_t id)
{
	t->aside = ids;
	snprintf(t->aside_reason, sizeof t->aside_reason, "%s", reason);
	t->aside_then = then;
	t->aside_id = id;
}

static int s_batch_max(const struct target *t)
{
	return t->batch_size < STORECLI_BATCH_MAX ? t->batch_size : STORECLI_BATCH_MAX;
}

static void s_nothing_to_send(struct target *t)
{
	t->state = T_IDLE;
	s_schedule(t, (int64_t)t->interval_s * 1000);
}

/* Takes records (stolen) as the batch, the ones whose time is not known
 * owed to be set aside first; false when there is nothing to send now
 * (the timer is set). */
static bool s_take_records(struct target *t, json_t *recs, bool more, int64_t after)
{
	size_t n = json_array_size(recs);
	if (!n) {
		json_decref(recs);
		s_nothing_to_send(t);
		return false;
	}
	t->batch_last_id = s_record_id(json_array_get(recs, n - 1));
	/* never send a record whose time is not known: storaged should not
	 * serve one, and if it does it is kept aside, not lost */
	json_t *unknown = json_array();
	for (size_t i = 0; i < json_array_size(recs);) {
		json_t *r = json_array_get(recs, i);
		if (!payload_time_known(r)) {
			json_array_append_new(unknown, json_integer(s_record_id(r)));
			json_array_remove(recs, i);
		} else {
			i++;
		}
	}
	if (json_array_size(unknown))
		s_owe_aside(t, unknown, "time not known", ASIDE_ONLY, 0);
	else
		json_decref(unknown);
	t->batch = recs;
	t->batch_n = json_array_size(recs);
	t->batch_after = after;
	t->more = more;
	t->done = 0;
	t->nends = 0;
	if (t->batch_n)
		t->ends[t->nends++] = t->batch_n;
	return true;
}

/* Whether every series of storaged's answer has a known time: a synced
 * or restamped record, stamped on a minute. */
static bool s_series_time_known(const json_t *series)
{
	size_t k;
	const json_t *s;
	json_array_foreach(series, k, s)
	{
		const char *time = json_string_value(json_object_get(s, "time"));
		if (!time || (strcmp(time, "synced") && strcmp(time, "restamped")))
			return false;
		long long ts = 0;
		size_t i;
		const json_t *d;
		json_array_foreach(json_object_get(s, "ts"), i, d)
		{
			ts += (long long)json_integer_value(d);
			if (ts <= 0 || ts % 60)
				return false;
		}
	}
	return true;
}

/* Takes storaged's series answer (stolen) as the batch when it can go
 * whole; false, the answer released, when it cannot (a time not known). */
static bool s_take_series(struct target *t, json_t *answer, int64_t after)
{
	json_t *series = json_object_get(answer, "series");
	if (!s_series_time_known(series)) {
		json_decref(answer);
		return false;
	}
	t->series = json_incref(series);
	t->batch_n = (size_t)json_integer_value(json_object_get(answer, "count"));
	t->batch_last_id = (int64_t)json_integer_value(json_object_get(answer, "last"));
	t->batch_after = after;
	t->more = json_is_true(json_object_get(answer, "more"));
	t->done = 0;
	t->nends = 1;
	t->ends[0] = t->batch_n;
	json_decref(answer);
	return true;
}

static void s_on_store(json_t *answer, const char *why, void *ud);

/* Asks storaged; its answer comes to s_on_store. */
static void s_ask(struct target *t, enum store_op op, uint64_t id)
{
	t->op = op;
	t->call = id;
}

/* Asks for the batch after `after` (0: the cursor). */
static void s_ask_batch(struct target *t, enum store_op op, int64_t after, int max, bool series)
{
	t->call_after = after;
	t->call_max = max;
	t->call_series = series;
	s_ask(t, op, storecli_batch(t->env.store, t->consumer, after, max, series, s_on_store, t));
}

/* A batch storaged gave (answer borrowed; NULL: none, err says why):
 * http-json takes it as storaged's series, sent as they are; when storaged
 * cannot give those (a record it cannot encode, a time not known), the
 * records are asked for, which are looked at one by one. */
static void s_take_batch(struct target *t, json_t *answer, bool series, int64_t after, const char *err)
{
	if (series) {
		if (answer && json_integer_value(json_object_get(answer, "count")) == 0) {
			s_nothing_to_send(t);
			return;
		}
		if (answer && s_take_series(t, json_incref(answer), after)) {
			s_schedule(t, 0);
			return;
		}
		if (!answer)
			log_debug("upload %s: no series: %s", t->name, err);
		s_ask_batch(t, OP_RECORDS, after, s_batch_max(t), false);
		return;
	}
	if (!answer) {
		s_store_wait(t, "cannot read the store", err);
		return;
	}
	bool more = json_is_true(json_object_get(answer, "more"));
	if (s_take_records(t, json_incref(json_object_get(answer, "records")), more, after))
		s_schedule(t, 0);
}

/* The batch as records after a refusal asked to split it. */
static void s_split(struct target *t, long code, const char *body);

static void s_take_split_records(struct target *t, json_t *answer, const char *err)
{
	if (!answer) {
		s_store_wait(t, "cannot read the store", err);
		return;
	}
	t->want_records = false;
	bool more = json_is_true(json_object_get(answer, "more"));
	if (!s_take_records(t, json_incref(json_object_get(answer, "records")), more, t->records_after))
		return; /* none left (set aside, or gone by retention) */
	t->more = t->records_more;
	s_split(t, t->split_code, t->split_body);
}

static void s_on_store(json_t *answer, const char *why, void *ud)
{
	struct target *t = ud;
	enum store_op op = t->op;
	t->call = 0;
	t->op = OP_NONE;
	enum storecli_op kind = op == OP_ACK	  ? STORECLI_ACK
				: op == OP_ASIDE  ? STORECLI_SET_ASIDE
				: t->call_series ? STORECLI_BATCH_SERIES
						 : STORECLI_BATCH;
	char err[512];
	json_t *a = storecli_answer(t->env.store, kind, answer, why, t->call_after, t->call_max, err, sizeof err);
	switch (op) {
	case OP_NONE:
		break;
	case OP_ACK:
		if (!a) {
			s_store_wait(t, "cannot move the cursor", err);
			return;
		}
		if (t->ack_upto == t->call_ack)
			t->ack_upto = 0;
		if (t->rest_after_ack) {
			t->rest_after_ack = false;
			s_nothing_to_send(t);
			return;
		}
		s_schedule(t, 0);
		break;
	case OP_ASIDE:
		if (!a) {
			s_store_wait(t, "cannot set records aside", err);
			return;
		}
		t->st.set_aside += json_array_size(t->aside);
		log_warn("upload %s: set aside %zu record(s): %s", t->name, json_array_size(t->aside), t->aside_reason);
		json_decref(t->aside);
		t->aside = NULL;
		if (t->aside_then != ASIDE_ONLY) {
			t->done++;
			t->nends--;
		}
		if (t->aside_then == ASIDE_SKIP_ACK)
			t->ack_upto = t->aside_id;
		s_schedule(t, 0);
		break;
	case OP_FETCH:
		s_take_batch(t, a, t->call_series, t->call_after, err);
		break;
	case OP_RECORDS:
		if (t->want_records)
			s_take_split_records(t, a, err);
		else
			s_take_batch(t, a, false, t->call_after, err);
		break;
	case OP_AHEAD:
		/* a failure only loses the head start: the batch is asked for then */
		if (a) {
			t->next = json_incref(a);
			t->next_after = t->call_after;
		} else {
			log_debug("upload %s: reading ahead: %s", t->name, err);
		}
		if (t->state == T_IDLE) /* the transfer ended meanwhile and went on to wait for this */
			s_schedule(t, 0);
		break;
	}
}

static void s_on_done(const struct curl_result *r, void *ud);

/* While a whole batch is on the wire and storaged has more, reads the
 * next one. */
static void s_read_ahead(struct target *t)
{
	if (!t->more || t->next || t->done || t->nends != 1 || t->call)
		return;
	curl_loop_kick(t->env.http); /* the request goes out first */
	s_ask_batch(t, OP_AHEAD, t->batch_last_id, s_batch_max(t), t->type == PAYLOAD_HTTP_JSON);
}

/* Posts the current slice. */
static void s_send(struct target *t)
{
	size_t lo = t->done, hi = t->ends[t->nends - 1];
	char err[512];
	if (t->series) { /* whole, as storaged encoded it */
		if (payload_build_series(&t->body, t->series, t->env.hub, (long long)clock_wall(), err, sizeof err) < 0) {
			s_error(t, 0, 0, "%s", err);
			t->state = T_BACKOFF;
			s_schedule(t, STORE_RETRY_MS);
			return;
		}
	} else if (payload_build(&t->body, t->type, t->batch, lo, hi, t->env.hub, (long long)clock_wall(), err,
				 sizeof err) < 0) {
		/* one that cannot be encoded is set aside like one the receiver refuses */
		if (hi - lo == 1) {
			char reason[600];
			snprintf(reason, sizeof reason, "cannot encode: %s", err);
			s_owe_aside(t, json_pack("[I]", (json_int_t)s_record_id(json_array_get(t->batch, lo))), reason,
				    ASIDE_SKIP, 0);
			s_schedule(t, 0);
		} else {
			t->ends[t->nends++] = lo + (hi - lo) / 2;
			s_schedule(t, 0);
		}
		return;
	}
	const void *body = t->body.data;
	size_t len = t->body.len;
	if (t->gzip) {
		if (payload_gzip(&t->gz, t->body.data, t->body.len, 6, err, sizeof err) < 0) {
			s_error(t, 0, 0, "%s", err);
			t->state = T_BACKOFF;
			s_schedule(t, STORE_RETRY_MS);
			return;
		}
		body = t->gz.data;
		len = t->gz.len;
	}
	struct http_request req;
	target_request_base(t, &req);
	req.url = t->post_url;
	req.content_type = t->type == PAYLOAD_HTTP_JSON ? "application/json" : "text/plain; charset=utf-8";
	req.content_encoding = t->gzip ? "gzip" : NULL;
	req.body = body;
	req.len = len;
	t->xfer = curl_loop_post(t->env.http, &req, s_on_done, t, err, sizeof err);
	if (!t->xfer) {
		s_error(t, 0, 0, "%s", err);
		t->state = T_BACKOFF;
		s_schedule(t, STORE_RETRY_MS);
		return;
	}
	t->state = T_SENDING;
	t->st.requests++;
	daemon_timer_cancel(t->timer);
	s_read_ahead(t);
}

/* Decides and does the next thing: what is owed to storaged first (records
 * to set aside, the cursor), then the batch, then sending it. */
static void s_step(struct daemon *d, void *ud)
{
	(void)d;
	struct target *t = ud;
	if (!t->enabled || t->xfer || t->call)
		return;
	if (t->state == T_PAUSED)
		log_info("upload %s: trying again after the pause (%s)", t->name, t->paused_reason);
	if (t->aside) {
		s_ask(t, OP_ASIDE,
		      storecli_set_aside(t->env.store, t->consumer, t->aside, t->aside_reason, s_on_store, t));
		return;
	}
	if ((t->batch || t->series) && t->nends == 0) {
		/* everything in the batch delivered or set aside: the cursor
		 * goes past all of it, including records left out of it */
		t->ack_upto = t->batch_last_id;
		t->rest_after_ack = !t->more;
		s_drop_batch(t);
	}
	if (t->ack_upto) {
		t->call_ack = t->ack_upto;
		s_ask(t, OP_ACK, storecli_ack(t->env.store, t->consumer, t->ack_upto, s_on_store, t));
		return;
	}
	if (t->want_records) {
		s_ask_batch(t, OP_RECORDS, t->records_after, t->records_max, false);
		return;
	}
	if (!t->batch && !t->series) {
		json_t *ahead = t->next;
		t->next = NULL;
		if (ahead) { /* read while the last one was on the wire */
			s_take_batch(t, ahead, t->type == PAYLOAD_HTTP_JSON, t->next_after, "");
			json_decref(ahead);
		} else {
			s_ask_batch(t, OP_FETCH, 0, s_batch_max(t), t->type == PAYLOAD_HTTP_JSON);
		}
		return; /* back here when the batch is in */
	}
	if (t->nends == 0) { /* the whole batch had unknown time */
		s_schedule(t, 0);
		return;
	}
	s_send(t);
}

/* A refusal that asks for smaller requests: the one record of a slice is
 * set aside, a larger slice is halved. */
static void s_split(struct target *t, long code, const char *body)
{
	size_t lo = t->done, hi = t->nends ? t->ends[t->nends - 1] : 0;
	if (hi > lo && hi - lo == 1) {
		const json_t *rec = json_array_get(t->batch, lo);
		char reason[600];
		snprintf(reason, sizeof reason, "HTTP %ld: %s", code, body);
		s_error(t, code, 0, "HTTP %ld for record %s: %s", code, json_string_value(json_object_get(rec, "rid")),
			body);
		s_owe_aside(t, json_pack("[I]", (json_int_t)s_record_id(rec)), reason, ASIDE_SKIP_ACK, s_record_id(rec));
	} else if (hi > lo && t->nends < SPLIT_DEPTH) {
		s_error(t, code, 0, "HTTP %ld for %zu records: splitting the batch (%s)", code, hi - lo, body);
		t->st.splits++;
		t->ends[t->nends++] = lo + (hi - lo) / 2;
	}
	t->state = T_IDLE;
	s_schedule(t, 0);
}

static void s_on_done(const struct curl_result *r, void *ud)
{
	struct target *t = ud;
	t->xfer = NULL;
	size_t lo = t->done, hi = t->ends[t->nends - 1];
	enum retry_action a = r->code ? retry_classify(r->code) : RETRY_BACKOFF;
	switch (a) {
	case RETRY_DELIVERED:
		t->st.bytes_sent += r->bytes_up;
		t->st.records_sent += hi - lo;
		t->st.last_success = clock_wall();
		if (t->failures || t->state == T_PAUSED)
			log_info("upload %s: delivering again (HTTP %ld)", t->name, r->code);
		t->failures = 0;
		t->paused_reason[0] = '\0';
		t->done = hi;
		t->nends--;
		t->ack_upto = t->series ? t->batch_last_id : s_record_id(json_array_get(t->batch, hi - 1));
		t->state = T_IDLE;
		s_schedule(t, 0);
		return;
	case RETRY_SPLIT:
		t->failures = 0;
		if (t->series) { /* to be split, the batch is needed as records */
			t->want_records = true;
			t->records_after = t->batch_after;
			t->records_max = (int)t->batch_n;
			t->records_more = t->more;
			t->split_code = r->code;
			snprintf(t->split_body, sizeof t->split_body, "%s", r->body);
			s_drop_batch(t);
			t->state = T_IDLE;
			s_schedule(t, 0);
			return;
		}
		s_split(t, r->code, r->body);
		return;
	case RETRY_PAUSE:
		t->failures++;
		s_error(t, r->code, 0, "HTTP %ld: credentials refused (%s); paused until they change", r->code, r->body);
		snprintf(t->paused_reason, sizeof t->paused_reason, "HTTP %ld: credentials refused", r->code);
		t->state = T_PAUSED;
		s_schedule(t, RETRY_PAUSED_MS);
		return;
	case RETRY_BACKOFF:
		t->failures++;
		if (r->code)
			s_error(t, r->code, 0, "HTTP %ld: %s", r->code, r->body);
		else
			s_error(t, 0, r->curl, "%s", r->error);
		int64_t delay = retry_delay_ms(t->failures, t->retry_max_ms, s_rand01(t), r->have_retry_after,
					       r->retry_after_s, 6LL * 3600 * 1000);
		log_debug("upload %s: retry %u in %lld ms", t->name, t->failures, (long long)delay);
		t->state = T_BACKOFF;
		s_schedule(t, delay);
		return;
	}
}

static void s_strip_slash(char *s)
{
	size_t n = strlen(s);
	while (n && s[n - 1] == '/')
		s[--n] = '\0';
}

/* "<base>/api/v2/write?org=..&bucket=..&precision=s" and the like */
static int s_urls(struct target *t, char *err, size_t errlen)
{
	char base[1100];
	snprintf(base, sizeof base, "%s", cfg_upload_url_of(t->cfg));
	s_strip_slash(base);
	if (!base[0]) {
		snprintf(err, errlen, "upload %s: url is empty", t->name);
		return -1;
	}
	if (t->type == PAYLOAD_HTTP_JSON) {
		snprintf(t->post_url, sizeof t->post_url, "%s", cfg_upload_url_of(t->cfg));
		snprintf(t->checkin_url, sizeof t->checkin_url, "%s/checkin", base);
		return 0;
	}
	t->checkin_url[0] = '\0';
	bool v2 = !strcmp(cfg_upload_influx_api_of(t->cfg), "v2");
	const char *a = v2 ? cfg_upload_influx_org_of(t->cfg) : cfg_upload_influx_db_of(t->cfg);
	const char *b = v2 ? cfg_upload_influx_bucket_of(t->cfg) : "";
	if (!a[0] || (v2 && !b[0])) {
		snprintf(err, errlen, "upload %s: influxdb %s needs %s", t->name, v2 ? "v2" : "v1",
			 v2 ? "influx_org and influx_bucket" : "influx_db");
		return -1;
	}
	char *ea = curl_easy_escape(NULL, a, 0), *eb = curl_easy_escape(NULL, b, 0);
	if (v2)
		snprintf(t->post_url, sizeof t->post_url, "%s/api/v2/write?org=%s&bucket=%s&precision=s", base, ea, eb);
	else
		snprintf(t->post_url, sizeof t->post_url, "%s/write?db=%s&precision=s", base, ea);
	curl_free(ea);
	curl_free(eb);
	return 0;
}

struct target *target_new(const struct target_env *env, const json_t *tcfg, const struct target_stats *prev,
			  char *err, size_t errlen)
{
	struct target *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->env = *env;
	t->cfg = json_deep_copy(tcfg);
	snprintf(t->name, sizeof t->name, "%s", cfg_upload_name_of(tcfg));
	snprintf(t->consumer, sizeof t->consumer, "upload:%s", t->name);
	t->type = !strcmp(cfg_upload_type_of(tcfg), "influxdb") ? PAYLOAD_INFLUXDB : PAYLOAD_HTTP_JSON;
	t->enabled = cfg_upload_enabled_of(tcfg);
	t->checkin = cfg_upload_checkin_of(tcfg);
	t->gzip = cfg_upload_gzip_of(tcfg);
	t->batch_size = (int)cfg_upload_batch_size_of(tcfg);
	t->interval_s = (int)cfg_upload_interval_s_of(tcfg);
	t->retry_max_ms = cfg_upload_retry_max_s_of(tcfg) * 1000;
	t->backlog = -1;
	const char *token = cfg_upload_token_of(tcfg);
	if (token[0])
		snprintf(t->authorization, sizeof t->authorization, "%s %s",
			 t->type == PAYLOAD_INFLUXDB ? "Token" : "Bearer", token);
	if (prev)
		t->st = *prev;
	if (getrandom(&t->rng, sizeof t->rng, 0) != sizeof t->rng || !t->rng)
		t->rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)clock_mono_ns();
	if (t->enabled && s_urls(t, err, errlen) < 0) {
		json_decref(t->cfg);
		free(t);
		return NULL;
	}
	t->state = t->enabled ? T_IDLE : T_DISABLED;
	t->timer = daemon_timer_once(env->daemon, s_step, t);
	if (!t->timer) {
		snprintf(err, errlen, "out of memory");
		json_decref(t->cfg);
		free(t);
		return NULL;
	}
	if (t->enabled)
		s_schedule(t, 0);
	return t;
}

void target_destroy(struct target **tp)
{
	struct target *t = *tp;
	if (!t)
		return;
	curl_loop_cancel(t->env.http, &t->xfer);
	curl_loop_cancel(t->env.http, &t->checkin_xfer);
	storecli_cancel(t->env.store, &t->call);
	json_decref(t->aside);
	buf_free(&t->checkin_body);
	daemon_timer_destroy(t->env.daemon, &t->timer);
	json_decref(t->batch);
	json_decref(t->series);
	json_decref(t->next);
	json_decref(t->cfg);
	buf_free(&t->body);
	buf_free(&t->gz);
	free(t);
	*tp = NULL;
}

const char *target_name(const struct target *t)
{
	return t->name;
}

const json_t *target_config(const struct target *t)
{
	return t->cfg;
}

const struct target_stats *target_stats(const struct target *t)
{
	return &t->st;
}

bool target_enabled(const struct target *t)
{
	return t->enabled;
}

bool target_checkin(const struct target *t)
{
	return t->enabled && t->checkin && t->checkin_url[0];
}

bool target_paused(const struct target *t)
{
	return t->state == T_PAUSED;
}

const char *target_consumer(const struct target *t)
{
	return t->consumer;
}

const char *target_checkin_url(const struct target *t)
{
	return t->checkin_url;
}

void target_request_base(const struct target *t, struct http_request *req)
{
	*req = (struct http_request){
		.authorization = t->authorization[0] ? t->authorization : NULL,
		.username = cfg_upload_username_of(t->cfg),
		.password = cfg_upload_password_of(t->cfg),
		.tls_verify = cfg_upload_tls_verify_of(t->cfg),
		.ca_file = cfg_upload_ca_file_of(t->cfg),
		.connect_timeout_s = (long)cfg_upload_connect_timeout_s_of(t->cfg),
		.timeout_s = (long)cfg_upload_timeout_s_of(t->cfg),
		.low_speed_bps = (long)cfg_upload_low_speed_bps_of(t->cfg),
		.low_speed_time_s = (long)cfg_upload_low_speed_time_s_of(t->cfg),
	};
	if (req->authorization)
		req->username = NULL; /* a token wins over a user name */
}

#define CHECKIN_PERIOD_S 86400

bool target_checkin_due(const struct target *t, double now)
{
	return target_checkin(t) && !t->checkin_xfer && (!t->checkin_ok || now - t->checkin_ok >= CHECKIN_PERIOD_S);
}

static void s_checkin_done(const struct curl_result *r, void *ud)
{
	struct target *t = ud;
	t->checkin_xfer = NULL;
	if (r->code >= 200 && r->code < 300) {
		t->checkin_ok = clock_wall();
		snprintf(t->checkin_result, sizeof t->checkin_result, "HTTP %ld", r->code);
		log_info("upload %s: check-in sent (HTTP %ld)", t->name, r->code);
	} else {
		if (r->code)
			snprintf(t->checkin_result, sizeof t->checkin_result, "HTTP %ld: %s", r->code, r->body);
		else
			snprintf(t->checkin_result, sizeof t->checkin_result, "%s", r->error);
		log_warn("upload %s: check-in failed: %s", t->name, t->checkin_result);
	}
}

void target_checkin_send(struct target *t, const char *json)
{
	if (t->checkin_xfer)
		return;
	char err[512];
	buf_reset(&t->checkin_body);
	buf_puts(&t->checkin_body, json);
	struct http_request req;
	target_request_base(t, &req);
	req.url = t->checkin_url;
	req.content_type = "application/json";
	req.body = t->checkin_body.data;
	req.len = t->checkin_body.len;
	t->checkin_tried = clock_wall();
	t->checkin_xfer = curl_loop_post(t->env.http, &req, s_checkin_done, t, err, sizeof err);
	if (!t->checkin_xfer)
		snprintf(t->checkin_result, sizeof t->checkin_result, "%s", err);
}

void target_set_backlog(struct target *t, int64_t pending)
{
	t->backlog = pending;
}

json_t *target_status(const struct target *t)
{
	json_t *o = json_pack("{s:s,s:s,s:b,s:s,s:b}", "name", t->name, "type",
			      t->type == PAYLOAD_INFLUXDB ? "influxdb" : "http-json", "enabled", t->enabled, "state",
			      s_state_names[t->state], "paused", t->state == T_PAUSED);
	json_object_set_new(o, "url", json_string(cfg_upload_url_of(t->cfg)));
	json_object_set_new(o, "consumer", json_string(t->consumer));
	json_object_set_new(o, "backlog", t->backlog >= 0 ? json_integer(t->backlog) : json_null());
	json_object_set_new(o, "in_flight", json_integer(t->batch || t->series ? (json_int_t)(t->batch_n - t->done)
								 : 0));
	json_object_set_new(o, "last_success", t->st.last_success ? json_integer((json_int_t)t->st.last_success)
								   : json_null());
	if (t->st.last_error[0])
		json_object_set_new(o, "last_error",
				    json_pack("{s:I,s:I,s:i,s:s}", "time", (json_int_t)t->st.last_error_time, "http",
					      (json_int_t)t->st.last_error_http, "curl", t->st.last_error_curl, "text",
					      t->st.last_error));
	else
		json_object_set_new(o, "last_error", json_null());
	if (t->state == T_PAUSED)
		json_object_set_new(o, "paused_reason", json_string(t->paused_reason));
	json_object_set_new(o, "failures", json_integer(t->failures));
	if (t->state == T_BACKOFF || t->state == T_PAUSED || t->state == T_STORE_WAIT) {
		int64_t in = t->due_mono - clock_mono_ms();
		json_object_set_new(o, "retry_in_s", json_integer(in > 0 ? (json_int_t)(in / 1000) : 0));
	}
	json_object_set_new(o, "bytes_sent", json_integer((json_int_t)t->st.bytes_sent));
	json_object_set_new(o, "records_sent", json_integer((json_int_t)t->st.records_sent));
	json_object_set_new(o, "requests", json_integer((json_int_t)t->st.requests));
	json_object_set_new(o, "set_aside", json_integer((json_int_t)t->st.set_aside));
	json_object_set_new(o, "splits", json_integer((json_int_t)t->st.splits));
	if (target_checkin(t))
		json_object_set_new(o, "checkin",
				    json_pack("{s:o,s:o,s:s}", "last_ok",
					      t->checkin_ok ? json_integer((json_int_t)t->checkin_ok) : json_null(),
					      "last_try",
					      t->checkin_tried ? json_integer((json_int_t)t->checkin_tried) : json_null(),
					      "result", t->checkin_result));
	return o;
}
