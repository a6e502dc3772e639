/* storecli: uploadd's side of storaged's control commands (docs/STORE.md):
 * batch, ack, set-aside, stats.  Each is one ctl_request with a short
 * timeout: storaged is local and answers from its own loop, and a storaged
 * that does not answer only delays this target (the data is safe in it). */
#ifndef UPLOADD_STORECLI_H
#define UPLOADD_STORECLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORECLI_TIMEOUT_MS 3000
#define STORECLI_BATCH_MAX 1000 /* what storaged serves at most per request */

struct storecli {
	void *zctx;
	const char *rundir;
	const char *name; /* "storaged" (a test may point elsewhere) */
	int timeout_ms;
};

/* Up to max records after consumer's cursor (or after `after` when that
 * is further: reading ahead of the acks), oldest first (a new reference
 * to the array), *more when storaged has more.  NULL with a reason. */
json_t *storecli_batch(const struct storecli *sc, const char *consumer, int64_t after, int max, bool *more,
		       char *err, size_t errlen);
/* The same as series (docs/STORE.md's "form":"series"): the answer,
 * {"series":[...],"count":N,"last":ID,"more":bool}, checked for those. */
json_t *storecli_batch_series(const struct storecli *sc, const char *consumer, int64_t after, int max, char *err,
			      size_t errlen);
/* storaged's answers checked before uploadd takes a number from them
 * (exposed for tests and fuzzing): records, an array of at most max
 * objects whose ids rise past after; a series answer with count 0..max,
 * last past after when count > 0, and every series' ts running sums
 * (differences, docs/UPLOAD.md) within 0..MSG_TS_MAX.  0, or -1 with a
 * reason. */
int storecli_check_records(const json_t *records, int64_t after, int max, char *err, size_t errlen);
int storecli_check_series(const json_t *answer, int64_t after, int max, char *err, size_t errlen);
int storecli_ack(const struct storecli *sc, const char *consumer, int64_t upto, char *err, size_t errlen);
int storecli_set_aside(const struct storecli *sc, const char *consumer, json_t *ids, const char *reason, char *err,
		       size_t errlen);
/* The stats object (new reference), or NULL with a reason. */
json_t *storecli_stats(const struct storecli *sc, char *err, size_t errlen);
/* consumers.<consumer>.pending from a stats object; -1 when absent. */
int64_t storecli_pending(const json_t *stats, const char *consumer);

#endif
