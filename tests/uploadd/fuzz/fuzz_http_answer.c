/* fuzz_http_answer: an HTTP answer as uploadd reads it.  The input is the
 * answer's text: the first line's number is the status code (as curl
 * reports it), the lines up to an empty one are header lines handed one by
 * one as curl does (curl_result_header, with their CRLF), the rest is the
 * body in chunks (curl_result_body).  Then what the policy makes of it
 * (retry_classify, retry_delay_ms).  Besides not crashing: the body kept is
 * printable and bounded, a Retry-After is never negative, and the wait
 * before the next attempt is between 1 s and its cap. */
#include "curl_loop.h"
#include "retry.h"

#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size);
	const char *p = text, *end = text + size;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	char codebuf[24] = "";
	size_t cl = (size_t)((nl ? nl : end) - p);
	memcpy(codebuf, p, cl < sizeof codebuf - 1 ? cl : sizeof codebuf - 1);
	long code = strtol(codebuf, NULL, 10);
	p = nl ? nl + 1 : end;
	struct curl_result r = { .code = code };
	const time_t now = 1795544400;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl + 1 : end) - p);
		bool blank = len <= 2 && (*p == '\r' || *p == '\n');
		/* curl hands each header line, CRLF included, in a buffer of its own */
		char *line = fuzz_copy((const uint8_t *)p, len);
		curl_result_header(&r, line, len, now);
		free(line);
		p += len;
		if (blank)
			break;
	}
	while (p < end) {
		size_t len = (size_t)(end - p) < 7 ? (size_t)(end - p) : 7;
		char *chunk = fuzz_copy((const uint8_t *)p, len);
		curl_result_body(&r, chunk, len);
		free(chunk);
		p += len;
	}
	size_t bl = strlen(r.body);
	CHECK(bl < sizeof r.body);
	for (size_t i = 0; i < bl; i++)
		CHECK(r.body[i] >= 0x20 && r.body[i] < 0x7f);
	CHECK(!r.have_retry_after || r.retry_after_s >= 0);
	enum retry_action a = retry_classify(r.code);
	CHECK(strcmp(retry_action_name(a), "?"));
	const int64_t cap = 3600 * 1000, max_after = 6 * 3600 * 1000;
	for (unsigned failures = 0; failures < 70; failures += 23) {
		int64_t ms = retry_delay_ms(failures, cap, 0.5, r.have_retry_after, r.retry_after_s, max_after);
		CHECK(ms >= 500 && ms <= (r.have_retry_after ? max_after : cap));
	}
	free(text);
	return 0;
}
