/* form: see form.h. */
#include "form.h"

#include <string.h>

static int s_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..n) into out; -1 when bad or too long. */
static int s_decode(const char *s, size_t n, char *out, size_t outlen)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = i + 2 < n ? s_hex(s[i + 1]) : -1;
			int lo = i + 2 < n ? s_hex(s[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return -1;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		/* text fields never hold control characters (docs/CONFIG.md);
		 * refusing them here keeps a NUL from cutting a value short */
		if (c < 0x20 || c == 0x7f)
			return -1;
		if (o + 1 >= outlen)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

int form_get(const char *s, size_t len, const char *name, char *out, size_t outlen)
{
	if (outlen == 0)
		return -1;
	char key[64];
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && s[end] != '&')
			end++;
		size_t eq = i;
		while (eq < end && s[eq] != '=')
			eq++;
		/* a pair whose name does not decode cannot be the one asked for */
		if (eq > i && s_decode(s + i, eq - i, key, sizeof key) == 0 && !strcmp(key, name)) {
			if (eq == end) {
				out[0] = '\0';
				return 1;
			}
			return s_decode(s + eq + 1, end - eq - 1, out, outlen) == 0 ? 1 : -1;
		}
		i = end + 1;
	}
	return 0;
}
