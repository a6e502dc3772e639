/* fuzz_body: a login body as JSON or as a form (the first byte chooses),
 * through body_fields.  Either both fields come out as short text without
 * control characters, or the answer is an HTTP error naming why. */
#include "body.h"

#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	struct http_request r = { .content_type = (data[0] & 1) ? "application/json"
								: "application/x-www-form-urlencoded" };
	char *body = fuzz_copy(data + 1, size - 1);
	char user[16], pw[32], err[256] = "";
	const char *field = NULL;
	const struct body_field fields[] = { { "username", user, sizeof user }, { "password", pw, sizeof pw },
					     { NULL, NULL, 0 } };
	int rc = body_fields(&r, body, size - 1, fields, err, sizeof err, &field);
	CHECK(rc == 0 || rc == 400);
	if (rc == 0) {
		CHECK(strlen(user) < sizeof user && strlen(pw) < sizeof pw);
		for (const unsigned char *p = (const unsigned char *)user; *p; p++)
			CHECK(*p >= 0x20 && *p != 0x7f);
	} else {
		CHECK(err[0] != '\0');
	}
	free(body);
	return 0;
}
