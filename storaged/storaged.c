/* storaged: applying the config, the minute cycle (collect, close, stamp,
 * write), the fault state and the control commands of docs/STORE.md.
 *
 * Invariant: a closed minute is either on the card (its transaction
 * committed) or in the queue; it leaves the queue only after its commit,
 * or, when the queue is full, as the oldest entry, counted as dropped.
 * A failing card is a fault the status names, retried with backoff
 * (1 s doubling to 30 s), never an exit. */
#include "storaged.h"

#include "clock.h"
#include "config_keys.h"
#include "log.h"
#include "msg.h"
#include "paths.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct queued *s_q(struct storaged *s, size_t i)
{
	return &s->queue[(s->qhead + i) % STORAGED_QUEUE_MAX];
}

static void s_pop(struct storaged *s, size_t n)
{
	s->qhead = (s->qhead + n) % STORAGED_QUEUE_MAX;
	s->qlen -= n;
}

static void s_push(struct storaged *s, const struct queued *q)
{
	if (s->qlen == STORAGED_QUEUE_MAX) {
		s_pop(s, 1);
		if (s->dropped_in_memory++ == 0)
			log_error("in-memory queue full (%d records): dropping the oldest minutes",
				  STORAGED_QUEUE_MAX);
	}
	*s_q(s, s->qlen) = *q;
	s->qlen++;
}

/* A failure of the card: held in memory and retried (backoff). */
static void s_set_fault(struct storaged *s, enum store_error cls, const char *why)
{
	s->fault_class = cls;
	fault_set(&s->fault, s->daemon, "store", why);
	s->retry_at_ms = clock_mono_ms() + backoff_failed(&s->retry);
}

static void s_clear_fault(struct storaged *s)
{
	backoff_reset(&s->retry);
	s->retry_at_ms = 0;
	if (fault_set(&s->fault, s->daemon, "store", ""))
		s->fault_class = STORE_OK;
}

/* Tells the store which consumers the config's upload targets own. */
static void s_set_owners(struct storaged *s)
{
	if (!s->store)
		return;
	const char *names[STORE_OWNED_MAX];
	for (int i = 0; i < s->nowners; i++)
		names[i] = s->owners[i];
	store_set_owners(s->store, names, (size_t)s->nowners);
}

/* Opens the store when it is not open; false when it cannot be (fault set). */
static bool s_ensure_store(struct storaged *s)
{
	if (s->store)
		return true;
	char err[1024];
	static struct store_salvage sv;
	s->store = store_open(s->datadir, s->damage_found[0] ? s->damage_found : NULL, &sv, err, sizeof err);
	if (!s->store) {
		s_set_fault(s, store_open_error(), err);
		return false;
	}
	s->damage_found[0] = '\0';
	s_set_owners(s);
	/* no minute is stamped at or before one stored */
	timeline_floor(&s->tl, store_newest_ts(s->store));
	if (sv.moved_aside[0]) {
		/* damaged, salvaged: a fault to report, not one to retry */
		snprintf(s->moved_aside, sizeof s->moved_aside, "%s", sv.moved_aside);
		char lost[96] = "the rest could not be read at all";
		if (sv.lost >= 0)
			snprintf(lost, sizeof lost, "%" PRId64 " lost (%" PRId64 " not yet uploaded)", sv.lost,
				 sv.lost_unuploaded);
		snprintf(s->damage, sizeof s->damage, "%.600s; moved aside to %.1200s; %" PRId64 " records salvaged, %s",
			 sv.why, sv.moved_aside, sv.salvaged, lost);
		if (s->fault_class == STORE_CORRUPT)
			s_clear_fault(s);
		daemon_publish_status(s->daemon);
	}
	if (s->dropped_in_memory && store_count_dropped(s->store, s->dropped_in_memory, err, sizeof err) == 0)
		s->dropped_in_memory = 0;
	return true;
}

/* After a failed write: what the failure means for the handle. */
static void s_write_failed(struct storaged *s, const char *err)
{
	enum store_error cls = store_error_class(s->store);
	if (cls == STORE_FULL) {
		/* a card full of something else: make room from what is already
		 * uploaded (the oldest 1/16 of the data at most); unuploaded
		 * minutes stay, and new ones wait in memory */
		char why[512];
		int64_t limit = s->max_bytes;
		json_t *st = store_stats(s->store);
		int64_t used = json_integer_value(json_object_get(st, "used_bytes"));
		json_decref(st);
		if (used > 0 && used - used / 16 < limit)
			limit = used - used / 16;
		if (store_retain(s->store, (int64_t)clock_wall(), s->retention_days, limit, true, why, sizeof why) < 0)
			log_warn("cannot make room on the full card: %s", why);
	}
	s_set_fault(s, cls, err);
	if (cls == STORE_CORRUPT) /* salvaged at the reopen */
		snprintf(s->damage_found, sizeof s->damage_found, "%s", err);
	if (cls != STORE_FULL) {
		/* a fresh handle on retry: the file may be gone, remounted or
		 * replaced; a damaged one is salvaged by the reopen */
		store_close(&s->store);
		if (cls == STORE_CORRUPT)
			s->retry_at_ms = clock_mono_ms();
	}
}

/* Retention by the config's limits; false when it failed on damage
 * (then salvaged at the next open, like a failed write). */
static bool s_retain(struct storaged *s)
{
	char err[1024];
	if (store_retain(s->store, (int64_t)clock_wall(), s->retention_days, s->max_bytes, false, err, sizeof err) == 0)
		return true;
	log_warn("retention: %s", err);
	if (store_error_class(s->store) != STORE_CORRUPT)
		return true;
	s_write_failed(s, err);
	return false;
}

void storaged_flush(struct storaged *s)
{
	while (s->qlen && s_q(s, 0)->r.ts) {
		if (s->retry_at_ms && clock_mono_ms() < s->retry_at_ms)
			return;
		if (!s_ensure_store(s))
			return;
		/* whole minutes, up to STORAGED_CATCHUP_MINUTES of them */
		size_t n = 0;
		int minutes = 0;
		int64_t span = -1;
		while (n < s->qlen && s_q(s, n)->r.ts) {
			if (s_q(s, n)->start_ms != span) {
				if (minutes == STORAGED_CATCHUP_MINUTES)
					break;
				minutes++;
				span = s_q(s, n)->start_ms;
			}
			n++;
		}
		struct record *recs = malloc(n * sizeof *recs);
		if (!recs) {
			s_set_fault(s, STORE_OTHER, "out of memory");
			return;
		}
		for (size_t i = 0; i < n; i++)
			recs[i] = s_q(s, i)->r;
		char err[1024];
		if (store_write(s->store, recs, n, err, sizeof err) < 0) {
			free(recs);
			s_write_failed(s, err);
			return;
		}
		/* the crash test checks each logged minute against the database */
		size_t first = 0;
		for (size_t i = 0; i < n; i++) {
			if (i + 1 == n || recs[i + 1].ts != recs[i].ts) {
				log_debug("committed minute %" PRId64 ": %zu records, ids up to %" PRId64, recs[i].ts,
					  i + 1 - first, recs[i].id);
				first = i + 1;
			}
		}
		s->last_commit_ts = recs[n - 1].ts;
		free(recs);
		s->minutes_committed += (uint64_t)minutes;
		s->records_written += n;
		s_pop(s, n);
		s_clear_fault(s);
		if (store_near_full(s->store, s->max_bytes) && !s_retain(s))
			return;
	}
}

/* Queues one closed minute of records with its stamp from
 * timeline_stamp: -1 (clock not known yet) queues them unstamped; 0 (not
 * after the newest stored minute) carries them into the next minute that
 * is; a stamp takes what is carried.  restamped: held from before the
 * clock was known. */
static void s_push_minute(struct storaged *s, const struct record *recs, size_t n, int64_t ts, bool restamped,
			  int64_t start, int64_t end)
{
	if (ts == 0) {
		if (!s->carry.minutes)
			log_warn("a minute would be stamped at or before the newest stored one (%" PRId64
				 "): the clock was set back; its readings go into the first minute after it",
				 s->tl.floor_ts);
		agg_carry_add(&s->carry, recs, n);
		s->minutes_carried++;
		return;
	}
	struct record all[2 * AGG_SOURCES_MAX];
	memcpy(all, recs, n * sizeof *recs);
	if (ts > 0 && s->carry.minutes) {
		log_warn("%d minutes of readings carried into minute %" PRId64 " (marked restamped)",
			 s->carry.minutes, ts);
		n = agg_carry_into(&s->carry, all, n, sizeof all / sizeof all[0]);
		s->dropped_in_memory += s->carry.dropped;
		s->carry.dropped = 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct queued q = { .r = all[i], .start_ms = start, .end_ms = end };
		q.r.ts = ts > 0 ? ts : 0;
		q.r.restamped = q.r.restamped || restamped;
		s_push(s, &q);
	}
}

/* Stamps the minutes held while the clock was unknown (the queue's
 * unstamped tail: once known, the clock stamps every minute). */
static void s_stamp_held(struct storaged *s)
{
	size_t first = 0;
	while (first < s->qlen && s_q(s, first)->r.ts)
		first++;
	if (first == s->qlen || !timeline_known(&s->tl))
		return;
	size_t n = s->qlen - first;
	struct queued *held = malloc(n * sizeof *held);
	if (!held)
		return; /* next tick */
	for (size_t i = 0; i < n; i++)
		held[i] = *s_q(s, first + i);
	s->qlen = first;
	struct record recs[AGG_SOURCES_MAX];
	for (size_t i = 0; i < n;) {
		int64_t start = held[i].start_ms, end = held[i].end_ms;
		size_t k = 0;
		while (i < n && held[i].start_ms == start && k < AGG_SOURCES_MAX)
			recs[k++] = held[i++].r;
		s_push_minute(s, recs, k, timeline_stamp(&s->tl, start, end), true, start, end);
	}
	free(held);
	log_info("clock known: %zu records held from before it stamped with their times", n);
}

void storaged_minute(struct daemon *d, void *ud)
{
	struct storaged *s = ud;
	int64_t now = clock_mono_ms();
	if (now < s->tl.end_ms) { /* re-armed after a step: not due yet */
		daemon_timer_reset(s->minute_timer, s->tl.end_ms - now, s->minute_ms);
		return;
	}
	int64_t start, end;
	timeline_close(&s->tl, now, &start, &end);
	daemon_timer_reset(s->minute_timer, s->tl.end_ms - now, s->minute_ms);
	struct record recs[AGG_SOURCES_MAX];
	size_t n = agg_close(&s->agg, recs, AGG_SOURCES_MAX);
	if (!daemon_config(d) || !n)
		return;
	s_push_minute(s, recs, n, timeline_stamp(&s->tl, start, end), false, start, end);
	storaged_flush(s);
}

void storaged_tick(struct daemon *d, void *ud)
{
	struct storaged *s = ud;
	if (!daemon_config(d))
		return;
	int64_t mono = clock_mono_ms();
	bool trusted = clock_wall_synchronised(s->require_sync);
	uint64_t steps = s->tl.steps;
	if (timeline_observe(&s->tl, mono, (int64_t)(clock_wall() * 1000), trusted))
		daemon_timer_reset(s->minute_timer, s->tl.end_ms > mono ? s->tl.end_ms - mono : 0, s->minute_ms);
	if (s->tl.steps != steps)
		log_warn("wall clock stepped (offset to the monotonic clock changed by more than %d ms); "
			 "minutes still open are stamped in the new time",
			 TIMELINE_STEP_MS);
	s_stamp_held(s);
	storaged_flush(s);
	char why[512];
	if (s->store && store_expire_consumers(s->store, mono / 1000, why, sizeof why) < 0)
		log_warn("expiring cursors: %s", why);
	if (s->store && trusted && mono - s->last_retain_ms >= 3600 * 1000) {
		s_retain(s);
		s->last_retain_ms = mono;
	}
}

static void s_take(const char *topic, json_t *payload, void *ud)
{
	struct storaged *s = ud;
	char err[512];
	if (!daemon_config(s->daemon))
		return;
	int used = agg_feed(&s->agg, topic, payload, err, sizeof err);
	if (used > 0)
		s->readings++;
	else if (used < 0 && s->rejected++ % 1000 == 0)
		log_warn("reading not stored: %s (%" PRIu64 " so far)", err, s->rejected);
}

static void s_on_bus(struct daemon *d, void *ud)
{
	(void)d;
	struct storaged *s = ud;
	bus_sub_each(s->sub, s_take, s);
}

int storaged_init(struct storaged *s, struct daemon *d, const char *datadir, int64_t minute_ms)
{
	s->daemon = d;
	s->retry = (struct backoff)BACKOFF_INIT(STORAGED_RETRY_MIN_MS, STORAGED_RETRY_MAX_MS);
	s->minute_ms = minute_ms;
	snprintf(s->datadir, sizeof s->datadir, "%s", datadir);
	s->queue = calloc(STORAGED_QUEUE_MAX, sizeof *s->queue);
	s->sub = bus_sub_new(daemon_zctx(d));
	if (!s->queue || !s->sub)
		return -1;
	for (int k = 1; k <= READING_KINDS; k++)
		if (bus_sub_readings(s->sub, paths_rundir(), k) < 0)
			return -1;
	if (daemon_watch_socket(d, bus_sub_socket(s->sub), s_on_bus, s) < 0)
		return -1;
	int64_t now = clock_mono_ms();
	timeline_init(&s->tl, minute_ms, now, ((int64_t)clock_wall() / 60) * 60);
	s_ensure_store(s);
	s->minute_timer = daemon_timer_new(d, s->tl.end_ms - now, storaged_minute, s);
	if (!s->minute_timer || !daemon_timer_new(d, 1000, storaged_tick, s))
		return -1;
	s->last_retain_ms = now - 3600 * 1000 + 60 * 1000; /* first retention a minute after start */
	return 0;
}

void storaged_fini(struct storaged *s)
{
	/* minutes still in memory: one last try (an orderly stop loses only
	 * the minute in progress and what a failing card would not take) */
	s->retry_at_ms = 0;
	storaged_flush(s);
	if (s->qlen)
		log_warn("stopping with %zu records not written", s->qlen);
	store_close(&s->store);
	bus_sub_destroy(&s->sub);
	free(s->queue);
	s->queue = NULL;
}

/* ---- config, status, commands ---- */

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	(void)d;
	(void)err;
	(void)errlen;
	struct storaged *s = ud;
	identity_mac(cfg, s->mac);
	s->require_sync = cfg_network_require_ntp_sync(cfg);
	s->retention_days = (int)cfg_storage_retention_days(cfg);
	s->max_bytes = cfg_storage_max_mb(cfg) * 1024 * 1024;
	/* uploadd's consumers are "upload:<target name>" (docs/STORE.md) */
	s->nowners = 0;
	for (size_t i = 0; i < cfg_upload_count(cfg) && s->nowners < STORE_OWNED_MAX; i++)
		snprintf(s->owners[s->nowners++], sizeof s->owners[0], "upload:%s", cfg_upload_name(cfg, (int)i));
	s_set_owners(s);
	return 0;
}

static size_t s_unstamped(struct storaged *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->qlen; i++)
		n += s_q(s, i)->r.ts == 0;
	return n;
}

static void s_status(struct daemon *d, json_t *st, void *ud)
{
	(void)d;
	struct storaged *s = ud;
	if (s->store) {
		json_t *stats = store_stats(s->store);
		json_object_update(st, stats);
		json_decref(stats);
	}
	size_t unstamped = s_unstamped(s);
	/* the limits in force, as applied (docs/STORE.md, Retention) */
	json_object_set_new(st, "retention_days", json_integer(s->retention_days));
	json_object_set_new(st, "max_mb", json_integer((json_int_t)(s->max_bytes / (1024 * 1024))));
	json_object_set_new(st, "held_in_memory", json_integer((json_int_t)s->qlen));
	json_object_set_new(st, "held_until_clock_known", json_integer((json_int_t)unstamped));
	/* whether minutes are stamped now (the skeleton's "clock" is the
	 * kernel's state under the same rule, read when the status is made) */
	json_object_set_new(st, "clock_known", json_boolean(s->tl.trusted || s->tl.fast));
	json_object_set_new(st, "clock_steps", json_integer((json_int_t)s->tl.steps));
	json_object_set_new(st, "minutes_carried", json_integer((json_int_t)s->minutes_carried));
	if (s->carry.minutes) {
		json_object_set_new(st, "carrying_minutes", json_integer(s->carry.minutes));
		json_object_set_new(st, "carrying_until", json_integer(s->tl.floor_ts));
	}
	json_object_set_new(st, "minutes_committed", json_integer((json_int_t)s->minutes_committed));
	json_object_set_new(st, "records_written", json_integer((json_int_t)s->records_written));
	json_object_set_new(st, "readings", json_integer((json_int_t)s->readings));
	json_object_set_new(st, "readings_rejected", json_integer((json_int_t)s->rejected));
	if (s->last_commit_ts)
		json_object_set_new(st, "last_commit", json_integer(s->last_commit_ts));
	if (s->minute_ms != 60000)
		json_object_set_new(st, "minute_ms", json_integer(s->minute_ms));
	if (s->dropped_in_memory || !s->store) {
		json_int_t base = json_integer_value(json_object_get(st, "dropped_unuploaded"));
		json_object_set_new(st, "dropped_unuploaded", json_integer(base + s->dropped_in_memory));
	}
	json_object_set_new(st, "fault_state", json_string(fault_active(&s->fault) ? store_error_name(s->fault_class)
							   : s->damage[0] ? "database damaged"
									  : "ok"));
	if (fault_active(&s->fault)) {
		char msg[1400];
		snprintf(msg, sizeof msg, "%s: %s; %zu records held in memory", store_error_name(s->fault_class),
			 s->fault.why, s->qlen);
		json_object_set_new(st, "fault", json_string(msg));
	} else if (s->damage[0]) {
		json_object_set_new(st, "fault", json_sprintf("database damaged: %s; storing and serving again", s->damage));
	}
	if (s->moved_aside[0])
		json_object_set_new(st, "moved_aside", json_string(s->moved_aside));
}

/* Request field helpers: each names the field and what was wrong. */
static const char *s_str(json_t *req, const char *key, char *err, size_t errlen)
{
	json_t *v = json_object_get(req, key);
	if (!json_is_string(v)) {
		snprintf(err, errlen, "%s: %s", key, v ? "must be a string" : "missing");
		return NULL;
	}
	return json_string_value(v);
}

/* kind and n of a history/export request. */
static int s_source(json_t *req, enum reading_kind *kind, char *n, size_t nlen, char *err, size_t errlen)
{
	const char *k = s_str(req, "kind", err, errlen);
	if (!k)
		return -1;
	*kind = reading_kind_parse(k);
	if (!*kind) {
		snprintf(err, errlen, "kind: \"%.40s\" is not meter, pulse or temp", k);
		return -1;
	}
	json_t *v = json_object_get(req, "n");
	if (json_is_integer(v) && *kind != READING_TEMP)
		snprintf(n, nlen, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_string(v))
		snprintf(n, nlen, "%s", json_string_value(v));
	else {
		snprintf(err, errlen, "n: %s", !v ? "missing"
					      : *kind == READING_TEMP ? "must be a probe id string"
								     : "must be a number 1..8");
		return -1;
	}
	char why[128];
	if (!reading_n_valid(*kind, n, why, sizeof why)) {
		snprintf(err, errlen, "n: %s", why);
		return -1;
	}
	return 0;
}

static int s_range(json_t *req, int64_t *from, int64_t *to, char *err, size_t errlen)
{
	if (msg_int(json_object_get(req, "from"), "from", 0, INT32_MAX * 4LL, from, err, errlen) < 0 ||
	    msg_int(json_object_get(req, "to"), "to", 0, INT32_MAX * 4LL, to, err, errlen) < 0)
		return -1;
	if (*from >= *to) {
		snprintf(err, errlen, "from: %" PRId64 " is not before to (%" PRId64 ")", *from, *to);
		return -1;
	}
	return 0;
}

static json_t *s_after_query(struct storaged *s, json_t *res, const char *err)
{
	/* a read that failed because the card did is a fault like a write */
	if (!res && s->store && store_error_class(s->store) != STORE_OK && store_error_class(s->store) != STORE_OTHER) {
		char why[1024];
		snprintf(why, sizeof why, "a read failed: %s", err);
		s_write_failed(s, why);
	}
	return res;
}

static json_t *s_query(struct storaged *s, const char *cmd, json_t *req, char *err, size_t errlen);

static json_t *s_command(struct daemon *d, const char *cmd, json_t *req, void *ud, char *err, size_t errlen)
{
	struct storaged *s = ud;
	bool known = !strcmp(cmd, "batch") || !strcmp(cmd, "ack") || !strcmp(cmd, "set-aside") ||
		     !strcmp(cmd, "history") || !strcmp(cmd, "stats") || !strcmp(cmd, "export") ||
		     !strcmp(cmd, "reset-data") || !strcmp(cmd, "consumers") || !strcmp(cmd, "remove-consumer") ||
		     !strcmp(cmd, "alarm-log-add") || !strcmp(cmd, "alarm-log");
	if (!known) {
		snprintf(err, errlen, "unknown command \"%s\"", cmd);
		return NULL;
	}
	if (!strcmp(cmd, "stats") || (!s->store && !s_ensure_store(s))) {
		if (!strcmp(cmd, "stats")) {
			json_t *st = json_object();
			s_status(d, st, s);
			return st;
		}
		snprintf(err, errlen, "store unavailable: %s: %s", store_error_name(s->fault_class), s->fault.why);
		return NULL;
	}
	json_t *res = s_query(s, cmd, req, err, errlen);
	/* damage this query found: salvaged by the reopen, then asked again */
	if (!res && s->damage_found[0] && s_ensure_store(s))
		res = s_query(s, cmd, req, err, errlen);
	return res;
}

/* One command on the open store. */
static json_t *s_query(struct storaged *s, const char *cmd, json_t *req, char *err, size_t errlen)
{
	int64_t a, b;
	if (!strcmp(cmd, "consumers"))
		return store_consumers(s->store);
	if (!strcmp(cmd, "remove-consumer")) {
		const char *c = s_str(req, "consumer", err, errlen);
		return c ? s_after_query(s, store_remove_consumer(s->store, c, err, errlen), err) : NULL;
	}
	if (!strcmp(cmd, "batch")) {
		const char *c = s_str(req, "consumer", err, errlen);
		int64_t after = 0;
		const json_t *form = json_object_get(req, "form");
		if (!c || msg_int(json_object_get(req, "max"), "max", 1, STORE_BATCH_MAX, &a, err, errlen) < 0 ||
		    (json_object_get(req, "after") && msg_int(json_object_get(req, "after"), "after", 0, INT64_MAX, &after, err, errlen) < 0))
			return NULL;
		if (form && !(json_is_string(form) && (!strcmp(json_string_value(form), "records") ||
						       !strcmp(json_string_value(form), "series")))) {
			snprintf(err, errlen, "form: must be \"records\" or \"series\"");
			return NULL;
		}
		bool series = form && !strcmp(json_string_value(form), "series");
		return s_after_query(s, store_batch(s->store, c, after, (int)a, series, s->mac, err, errlen), err);
	}
	if (!strcmp(cmd, "ack")) {
		const char *c = s_str(req, "consumer", err, errlen);
		if (!c || msg_int(json_object_get(req, "upto"), "upto", 0, INT64_MAX, &a, err, errlen) < 0)
			return NULL;
		return s_after_query(s, store_ack(s->store, c, a, err, errlen), err);
	}
	if (!strcmp(cmd, "set-aside")) {
		const char *c = s_str(req, "consumer", err, errlen);
		const char *reason = c ? s_str(req, "reason", err, errlen) : NULL;
		if (!reason)
			return NULL;
		return s_after_query(s, store_set_aside(s->store, c, json_object_get(req, "ids"), reason, err, errlen), err);
	}
	if (!strcmp(cmd, "alarm-log-add"))
		return s_after_query(s, store_alarm_log_add(s->store, json_object_get(req, "events"), err, errlen), err);
	if (!strcmp(cmd, "alarm-log")) {
		a = STORE_ALARM_LOG_BATCH;
		b = 0;
		if ((json_object_get(req, "max") &&
		     msg_int(json_object_get(req, "max"), "max", 1, STORE_ALARM_LOG_BATCH, &a, err, errlen) < 0) ||
		    (json_object_get(req, "before") &&
		     msg_int(json_object_get(req, "before"), "before", 1, INT64_MAX, &b, err, errlen) < 0))
			return NULL;
		return s_after_query(s, store_alarm_log(s->store, b, (int)a, err, errlen), err);
	}
	enum reading_kind kind;
	char n[READING_N_MAX];
	if (!strcmp(cmd, "history")) {
		const char *field = s_str(req, "field", err, errlen);
		const char *res = field ? s_str(req, "resolution", err, errlen) : NULL;
		if (!res || s_source(req, &kind, n, sizeof n, err, errlen) < 0 || s_range(req, &a, &b, err, errlen) < 0)
			return NULL;
		int64_t step = !strcmp(res, "minute") ? 60 : !strcmp(res, "hour") ? 3600 : !strcmp(res, "day") ? 86400 : 0;
		if (!step) {
			snprintf(err, errlen, "resolution: \"%.40s\" is not minute, hour or day", res);
			return NULL;
		}
		const json_t *tz = json_object_get(req, "tz");
		if (tz && !json_is_string(tz)) {
			snprintf(err, errlen, "tz: a time zone name is needed (e.g. Europe/London, UTC)");
			return NULL;
		}
		return s_after_query(s, store_history(s->store, kind, n, field, a, b, step, json_string_value(tz), err, errlen),
				     err);
	}
	if (!strcmp(cmd, "export")) {
		if (s_source(req, &kind, n, sizeof n, err, errlen) < 0 || s_range(req, &a, &b, err, errlen) < 0)
			return NULL;
		return s_after_query(s, store_export(s->store, kind, n, a, b, s->mac, err, errlen), err);
	}
	/* reset-data: the records on the card and those waiting in memory */
	if (store_reset(s->store, err, errlen) < 0)
		return s_after_query(s, NULL, err);
	struct record scratch[AGG_SOURCES_MAX];
	agg_close(&s->agg, scratch, AGG_SOURCES_MAX);
	s->qhead = s->qlen = 0;
	s->carry.n = 0;
	s->carry.minutes = 0;
	return json_object();
}

const struct daemon_ops storaged_ops = {
	.apply = s_apply,
	.status = s_status,
	.command = s_command,
};
