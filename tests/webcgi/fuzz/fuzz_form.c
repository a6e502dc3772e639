/* fuzz_form: form_get and cookie_get on arbitrary bytes.  The input is
 * split at its first NUL: before it the form (or Cookie header), after
 * it the name to find.  A found value must be NUL terminated within the
 * buffer and free of control characters (form_get refuses them). */
#include "cookie.h"
#include "form.h"

#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t flen = nul ? (size_t)(nul - data) : size;
	char *form = fuzz_copy(data, flen);
	char name[64] = "a";
	if (nul) {
		size_t nlen = size - flen - 1 < sizeof name - 1 ? size - flen - 1 : sizeof name - 1;
		memcpy(name, nul + 1, nlen);
		name[nlen] = '\0';
	}
	char out[32];
	int rc = form_get(form, flen, name, out, sizeof out);
	CHECK(rc >= -1 && rc <= 1);
	if (rc == 1) {
		CHECK(memchr(out, 0, sizeof out) != NULL);
		for (const unsigned char *p = (const unsigned char *)out; *p; p++)
			CHECK(*p >= 0x20 && *p != 0x7f);
	}
	/* a Cookie header is a C string in the environment */
	char *header = malloc(flen + 1);
	CHECK(header != NULL);
	memcpy(header, form, flen);
	header[flen] = '\0';
	rc = cookie_get(header, name, out, sizeof out);
	CHECK(rc >= -1 && rc <= 1);
	if (rc == 1)
		CHECK(strlen(out) < sizeof out);
	free(header);
	free(form);
	return 0;
}
