/* os_release: see os_release.h. */
#include "os_release.h"

#include <string.h>

/* The unquoted value from v (after "KEY=") up to the line's end. */
static bool s_unquote(const char *v, char *out, size_t outlen)
{
	size_t n = 0;
	char quote = (*v == '"' || *v == '\'') ? *v++ : '\0';
	for (; *v && *v != '\n'; v++) {
		if (quote && *v == quote) {
			out[n] = '\0';
			return true;
		}
		/* in double quotes, \ escapes $ " \ ` (os-release(5): shell rules) */
		if (quote == '"' && *v == '\\' && v[1] && strchr("$\"\\`", v[1]))
			v++;
		if (n + 1 < outlen)
			out[n++] = *v;
	}
	out[n] = '\0';
	if (quote) {
		out[0] = '\0';
		return false;
	}
	return true;
}

bool os_release_value(const char *text, const char *key, char *out, size_t outlen)
{
	if (!outlen)
		return false;
	out[0] = '\0';
	size_t klen = strlen(key);
	for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (!strncmp(line, key, klen) && line[klen] == '=')
			return s_unquote(line + klen + 1, out, outlen);
	}
	return false;
}
