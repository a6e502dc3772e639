/* fuzz_policy: any output of the check command (it comes from a child
 * process and an apt source) through policy_parse: either the versions
 * come out NUL-terminated, within their buffers and of Debian version
 * characters only, or the answer is an error saying why. */
#include "policy.h"

#include "fuzz.h"

#include <ctype.h>
#include <string.h>

static void s_version(const char *v)
{
	CHECK(strlen(v) < POLICY_VERSION_MAX);
	for (const char *p = v; *p; p++)
		CHECK(isalnum((unsigned char)*p) || strchr(".+~-:", *p));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size);
	struct policy p;
	char err[256] = "";
	if (policy_parse(text, size, "eniscope-hub", &p, err, sizeof err) == 0) {
		s_version(p.installed);
		s_version(p.candidate);
		CHECK(policy_update_offered(&p) == (p.candidate[0] && strcmp(p.candidate, p.installed)));
	} else {
		CHECK(err[0] != '\0');
	}
	free(text);
	return 0;
}
