/* fuzz_storaged_answer: storaged's batch answers as uploadd reads them (a
 * storaged of another version, or a process on its socket, can answer
 * anything).  The input's first byte picks the form: even, records (the
 * answer's "records"); odd, series (the whole answer).  What storecli
 * accepts goes on as target.c takes it: records each checked for a known
 * time and built into both payload formats; series built as http-json.
 * The same answer is also read as a stats object (storecli_pending).
 * Besides not crashing: a refusal says why, and an accepted answer builds
 * or is refused with a reason, never half-built. */
#include "lineproto.h"
#include "payload.h"
#include "storecli.h"

#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct hubinfo s_hub = { .mac = "02:fc:00:00:00:01", .hostname = "hub" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	bool series = data[0] & 1;
	char *text = fuzz_copy(data + 1, size - 1);
	json_t *answer = json_loadb(text, size - 1, JSON_REJECT_DUPLICATES, NULL);
	free(text);
	if (!answer)
		return 0;
	char err[512] = "";
	const int64_t after = 10;
	const int max = 1000;
	struct buf out = { 0 };
	if (series) {
		if (storecli_check_series(answer, after, max, err, sizeof err) == 0) {
			err[0] = '\0';
			int rc = payload_build_series(&out, json_object_get(answer, "series"), &s_hub, 1795544400, err,
						      sizeof err);
			CHECK(rc == 0 || err[0]);
		} else {
			CHECK(err[0]);
		}
	} else {
		json_t *records = json_object_get(answer, "records");
		if (storecli_check_records(records, after, max, err, sizeof err) == 0) {
			size_t i;
			json_t *r;
			json_array_foreach(records, i, r)
				(void)payload_time_known(r);
			for (int type = PAYLOAD_HTTP_JSON; type <= PAYLOAD_INFLUXDB; type++) {
				err[0] = '\0';
				buf_reset(&out);
				int rc = payload_build(&out, (enum payload_type)type, records, 0, json_array_size(records),
						       &s_hub, 1795544400, err, sizeof err);
				CHECK(rc == 0 || err[0]);
			}
		} else {
			CHECK(err[0]);
		}
	}
	/* the same answer as a stats object: a consumer's backlog */
	CHECK(storecli_pending(answer, "upload:a") >= -1);
	buf_free(&out);
	json_decref(answer);
	return 0;
}
