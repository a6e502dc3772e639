/* fuzz_ctl_storaged: control requests as storaged answers them.  The input
 * is a request's bytes, handled as the control server does (ctl_answer:
 * parse, check "cmd") and then by storaged's own commands (batch, ack,
 * set-aside, history, stats, export, reset-data) on a store in a scratch
 * directory that holds a few minutes of every kind.  Every request gets an
 * answer, ok or an error that says why, and the answer can be sent. */
#include "storaged.h"

#include "ctl.h"
#include "msg.h"
#include "fuzz.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct storaged s_sd;

static void s_fill(void)
{
	struct record recs[6];
	memset(recs, 0, sizeof recs);
	for (int i = 0; i < 6; i++) {
		struct record *r = &recs[i];
		r->ts = 1795544400 + 60 * (i / 3);
		r->count = 60;
		r->kind = (enum reading_kind)(i % 3 + 1);
		snprintf(r->n, sizeof r->n, "%s", r->kind == READING_TEMP ? "28-0316a2799aff" : "1");
		size_t nf;
		record_fields(r->kind, &nf);
		for (size_t f = 0; f < nf; f++) {
			r->mask |= UINT64_C(1) << f;
			r->v[f] = 230.5 + (double)f + i;
		}
		if (r->kind == READING_PULSE)
			snprintf(r->unit, sizeof r->unit, "m3");
	}
	char err[256];
	CHECK(store_write(s_sd.store, recs, 6, err, sizeof err) == 0);
}

static void s_init(void)
{
	const char *dir = fuzz_scratch_dir();
	char err[512];
	s_sd.store = store_open(dir, NULL, NULL, err, sizeof err);
	CHECK(s_sd.store != NULL);
	s_sd.queue = calloc(STORAGED_QUEUE_MAX, sizeof *s_sd.queue);
	CHECK(s_sd.queue != NULL);
	snprintf(s_sd.datadir, sizeof s_sd.datadir, "%s", dir);
	snprintf(s_sd.mac, sizeof s_sd.mac, "02:fc:00:00:00:01");
	s_sd.max_bytes = INT64_MAX;
	s_sd.retention_days = 90;
	s_fill();
}

static json_t *s_handler(const char *cmd, json_t *req, void *ud, char *err, size_t errlen)
{
	return storaged_ops.command(NULL, cmd, req, ud, err, errlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!s_sd.store)
		s_init();
	char *req = fuzz_copy(data, size);
	json_t *resp = ctl_answer(req, size, s_handler, &s_sd);
	CHECK(json_is_object(resp));
	json_t *ok = json_object_get(resp, "ok");
	CHECK(json_is_boolean(ok));
	if (!json_is_true(ok))
		CHECK(json_string_length(json_object_get(resp, "error")) > 0);
	char *text = json_dumps(resp, MSG_JSON_FLAGS);
	CHECK(text != NULL);
	free(text);
	json_decref(resp);
	free(req);
	/* a reset-data leaves nothing to read: fill it again */
	if (store_rows(s_sd.store) == 0)
		s_fill();
	return 0;
}
