/* cookie: see cookie.h. */
#include "cookie.h"

#include <stdio.h>
#include <string.h>

int cookie_get(const char *header, const char *name, char *out, size_t outlen)
{
	if (!header || outlen == 0)
		return 0;
	size_t nl = strlen(name);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t pl = end ? (size_t)(end - p) : strlen(p);
		if (pl > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			const char *v = p + nl + 1;
			size_t vl = pl - nl - 1;
			/* RFC 6265 section 4.1.1 allows the value in double quotes */
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v++;
				vl -= 2;
			}
			while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				vl--;
			if (vl + 1 > outlen)
				return -1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return 1;
		}
		p += pl;
	}
	return 0;
}

int cookie_format(char *buf, size_t len, const char *name, const char *value, long max_age_s, bool secure)
{
	int n = snprintf(buf, len, "Set-Cookie: %s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s\r\n", name,
			 value ? value : "", value ? max_age_s : 0, secure ? "; Secure" : "");
	return n < 0 || (size_t)n >= len ? -1 : 0;
}
