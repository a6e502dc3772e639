/* storecli: uploadd's side of storaged's control commands (docs/STORE.md):
 * batch, ack, set-aside, stats.  Each is a request whose answer comes back
 * as an event of the daemon's loop (common/ctl.h's ctl_client), so a slow
 * storaged never holds up another target, the HTTP transfers or uploadd's
 * own status: it only delays the target that waits for it (the data is
 * safe in storaged). */
#ifndef UPLOADD_STORECLI_H
#define UPLOADD_STORECLI_H

#include "ctl.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORECLI_TIMEOUT_MS 3000
#define STORECLI_BATCH_MAX 1000 /* what storaged serves at most per request */

struct storecli {
	struct ctl_client *client; /* NULL until storecli_open */
	const char *rundir;
	const char *name; /* "storaged" (a test may point elsewhere) */
	int timeout_ms;
};

/* What a request was, so its answer can be checked for what it must hold. */
enum storecli_op {
	STORECLI_BATCH,        /* {"records":[...],"more":bool} */
	STORECLI_BATCH_SERIES, /* {"series":[...],"count":N,"last":ID,"more":bool} */
	STORECLI_ACK,
	STORECLI_SET_ASIDE,
	STORECLI_STATS,
};

/* Connects to sc->name on d's loop; -1 with errno. */
int storecli_open(struct storecli *sc, struct daemon *d);
void storecli_close(struct storecli *sc);

/* Each sends its request and returns the call id (for storecli_cancel);
 * fn gets the answer from the loop, to be read with storecli_answer. */
/* Up to max records after consumer's cursor (or after `after` when that
 * is further: reading ahead of the acks), oldest first; as series when
 * series is true. */
uint64_t storecli_batch(const struct storecli *sc, const char *consumer, int64_t after, int max, bool series,
			ctl_answer_fn fn, void *ud);
uint64_t storecli_ack(const struct storecli *sc, const char *consumer, int64_t upto, ctl_answer_fn fn, void *ud);
/* ids: an array of record ids (not stolen). */
uint64_t storecli_set_aside(const struct storecli *sc, const char *consumer, const json_t *ids, const char *reason,
			    ctl_answer_fn fn, void *ud);
uint64_t storecli_stats(const struct storecli *sc, ctl_answer_fn fn, void *ud);
void storecli_cancel(const struct storecli *sc, uint64_t *id);

/* The answer fn got, when it is {"ok":true,...} with what op's answer
 * holds (borrowed); else NULL with the reason, "storaged: ..." in err.
 * A batch's answer is checked against what it asked for (after, max) by
 * storecli_check_records or storecli_check_series; other ops ignore both. */
json_t *storecli_answer(const struct storecli *sc, enum storecli_op op, json_t *answer, const char *why,
			int64_t after, int max, char *err, size_t errlen);
/* storaged's answers checked before uploadd takes a number from them
 * (exposed for tests and fuzzing): records, an array of at most max
 * objects whose ids rise past after; a series answer with count 0..max,
 * last past after when count > 0, and every series' ts running sums
 * (differences, docs/UPLOAD.md) within 0..MSG_TS_MAX.  0, or -1 with a
 * reason. */
int storecli_check_records(const json_t *records, int64_t after, int max, char *err, size_t errlen);
int storecli_check_series(const json_t *answer, int64_t after, int max, char *err, size_t errlen);
/* consumers.<consumer>.pending from a stats object; -1 when absent. */
int64_t storecli_pending(const json_t *stats, const char *consumer);

#endif
