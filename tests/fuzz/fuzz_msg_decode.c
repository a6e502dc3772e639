/* fuzz_msg_decode: msg_decode on arbitrary frames.  The input is split at its
 * first NUL into the topic frame and the payload frame (no NUL: all topic,
 * empty payload); each is copied into an allocation of exactly its length,
 * as ZeroMQ frames are not NUL-terminated, so ASan sees any read past one.
 *
 * Besides not crashing, a decoded message must keep the promises of msg.h:
 * a valid topic returned verbatim, a finite non-negative ts, a non-negative
 * integer seq; and re-encoding it must give a message that decodes again
 * (or be refused only for size). */
#include "msg.h"
#include "fuzz.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	size_t plen = nul ? size - tlen - 1 : 0;
	char *topic = fuzz_copy(data, tlen);
	char *payload = fuzz_copy(nul ? nul + 1 : data, plen);

	char err[256] = "", why[256] = "";
	bool topic_ok = msg_topic_valid(topic, tlen, why, sizeof why);
	CHECK(topic_ok || why[0]);
	char *topic_out = NULL;
	json_t *obj = msg_decode(topic, tlen, payload, plen, &topic_out, err, sizeof err);
	if (!obj) {
		CHECK(err[0] != '\0');
		CHECK(topic_out == NULL);
		goto out;
	}
	CHECK(topic_ok);
	CHECK(topic_out && strlen(topic_out) == tlen && !memcmp(topic_out, topic, tlen));
	CHECK(json_is_object(obj));
	json_t *ts = json_object_get(obj, "ts"), *seq = json_object_get(obj, "seq");
	CHECK(json_is_number(ts) && isfinite(json_number_value(ts)) && json_number_value(ts) >= 0);
	CHECK(json_is_integer(seq) && json_integer_value(seq) >= 0);

	json_int_t n = json_integer_value(seq);
	size_t len = 0;
	char *text = msg_encode(obj, (uint64_t)n, 0.0, &len, err, sizeof err);
	if (text) {
		json_t *back = msg_decode(topic, tlen, text, len, NULL, err, sizeof err);
		CHECK(back != NULL);
		CHECK(json_integer_value(json_object_get(back, "seq")) == n);
		CHECK(json_object_size(back) == json_object_size(obj));
		json_decref(back);
		free(text);
	} else {
		/* only for size: reals may print longer than they were written,
		 * and a real within rounding of DBL_MAX would not read back */
		CHECK(strstr(err, "over") != NULL || strstr(err, "too large") != NULL);
	}
	json_decref(obj);
out:
	free(topic_out);
	free(topic);
	free(payload);
	return 0;
}
