/* secret: see secret.h. */
#include "secret.h"

#include <string.h>
#include <sys/random.h>

int secret_token(char *hex, size_t nbytes)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char buf[64];
	if (nbytes > sizeof buf)
		return -1;
	size_t got = 0;
	while (got < nbytes) {
		ssize_t n = getrandom(buf + got, nbytes - got, 0);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	for (size_t i = 0; i < nbytes; i++) {
		hex[2 * i] = digits[buf[i] >> 4];
		hex[2 * i + 1] = digits[buf[i] & 15];
	}
	hex[2 * nbytes] = '\0';
	return 0;
}

bool secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	/* every byte of a is looked at whatever b holds: the time says only
	 * how long a is, which is no secret (tokens have a fixed length) */
	unsigned char diff = la != lb;
	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)(i < lb ? b[i] : 0);
	return diff == 0;
}

bool secret_is_hex(const char *s, size_t max)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (n >= max || !((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n > 0;
}
