/* fuzz_bus_storaged: bus messages as storaged uses them.  The input is the
 * two frames split at the first NUL (topic, payload), decoded as
 * bus_sub_recv does (msg_decode); what it accepts goes to the minute's
 * aggregation (agg_feed), which is closed every few messages, and each
 * closed record goes the way of a minute: the blob, read back, checked as a
 * stored row, turned into an answer.  Besides not crashing: a refusal says
 * why, and nothing the aggregation accepts makes a record the store would
 * refuse to read back or an answer without its values. */
#include "agg.h"
#include "record.h"

#include "msg.h"
#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct agg s_agg;
static int s_fed;

static void s_close_minute(void)
{
	struct record out[AGG_SOURCES_MAX];
	size_t n = agg_close(&s_agg, out, AGG_SOURCES_MAX);
	for (size_t i = 0; i < n; i++) {
		struct record *r = &out[i];
		r->id = (int64_t)i + 1;
		r->ts = 1795544400;
		uint8_t blob[RECORD_BLOB_MAX];
		size_t len = record_encode(r, blob);
		struct record back = *r;
		char err[256] = "";
		CHECK(record_check_row(&back, err, sizeof err) == 0);
		CHECK(record_decode(&back, blob, len, err, sizeof err) == 0);
		json_t *j = record_to_json(&back, "02:fc:00:00:00:01");
		CHECK(j != NULL && json_object_get(j, "values"));
		json_decref(j);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *t;
	json_t *msg = fuzz_bus_message(data, size, &t);
	if (msg) {
		char err[256] = "";
		int rc = agg_feed(&s_agg, t, msg, err, sizeof err);
		CHECK(rc >= 0 || err[0]);
		if (++s_fed % 4 == 0)
			s_close_minute();
	}
	json_decref(msg);
	free(t);
	return 0;
}
