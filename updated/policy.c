/* policy: see policy.h. */
#include "policy.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The value after "  <field>: " on the line at p (up to end), into out. */
static int s_field(const char *p, const char *end, const char *field, char *out, size_t outlen, char *err,
		   size_t errlen)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *eol = nl ? nl : end;
	while (p < eol && *p == ' ')
		p++;
	size_t flen = strlen(field);
	if ((size_t)(eol - p) < flen + 1 || memcmp(p, field, flen) || p[flen] != ':') {
		snprintf(err, errlen, "apt-cache policy: no \"%s:\" line where expected", field);
		return -1;
	}
	p += flen + 1;
	while (p < eol && *p == ' ')
		p++;
	size_t n = (size_t)(eol - p);
	if (n == 0 || n >= outlen) {
		snprintf(err, errlen, "apt-cache policy: %s: %s", field, n ? "too long" : "empty");
		return -1;
	}
	if (n == 6 && !memcmp(p, "(none)", 6)) {
		out[0] = '\0';
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && !strchr(".+~-:", p[i])) {
			snprintf(err, errlen, "apt-cache policy: %s: \"%.*s\" is not a Debian version", field, (int)n, p);
			return -1;
		}
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

static const char *s_next_line(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl + 1 : end;
}

int policy_parse(const char *text, size_t len, const char *package, struct policy *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	const char *end = text + len;
	size_t plen = strlen(package);
	for (const char *l = text; l < end; l = s_next_line(l, end)) {
		/* the block starts at column 0 with "package:" (apt may add an
		 * architecture: "package:amd64:") */
		if ((size_t)(end - l) > plen && !memcmp(l, package, plen) && l[plen] == ':') {
			const char *inst = s_next_line(l, end);
			const char *cand = s_next_line(inst, end);
			if (s_field(inst, end, "Installed", p->installed, sizeof p->installed, err, errlen) < 0 ||
			    s_field(cand, end, "Candidate", p->candidate, sizeof p->candidate, err, errlen) < 0)
				return -1;
			return 0;
		}
	}
	snprintf(err, errlen, "apt-cache policy: no package %s (is its apt source set and reachable?)", package);
	return -1;
}

bool policy_update_offered(const struct policy *p)
{
	return p->candidate[0] && strcmp(p->candidate, p->installed);
}
