/* passwd: see passwd.h. */
#include "passwd.h"

#include "atomic_file.h"
#include "regular_file.h"
#include "secret.h"

#include <crypt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* yescrypt's cost: libxcrypt's default (5), about 10-20 ms a check on a
 * small ARM board: slow for a guesser, unnoticed at a login */
#define S_COST 0

int passwd_check(const char *path, const char *user, const char *password, bool *must_change, char *err,
		 size_t errlen)
{
	*must_change = false;
	/* a regular file only: a FIFO would block every login in open() */
	char why[512];
	int fd = regular_file_open(path, 0, why, sizeof why);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
	if (!f) {
		if (fd >= 0) {
			snprintf(err, errlen, "credentials %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (errno != ENOENT) {
			snprintf(err, errlen, "credentials %s", why);
			return -1;
		}
		*must_change = true;
		bool ok = secret_equal(user, PASSWD_USER);
		ok &= secret_equal(password, PASSWD_FACTORY);
		return ok;
	}
	char line[512] = "";
	bool got = fgets(line, sizeof line, f) != NULL;
	fclose(f);
	char *colon = got ? strchr(line, ':') : NULL;
	if (!colon) {
		snprintf(err, errlen, "credentials %s: no \"user:hash\" line", path);
		return -1;
	}
	*colon = '\0';
	char *hash = colon + 1;
	hash[strcspn(hash, "\r\n")] = '\0';
	if (strncmp(hash, "$y$", 3)) {
		snprintf(err, errlen, "credentials %s: not a yescrypt hash", path);
		return -1;
	}
	/* the hash is computed whatever the user name, so a wrong name takes
	 * as long as a wrong password */
	bool ok = passwd_verify(password, hash);
	ok &= secret_equal(user, line);
	return ok;
}

bool passwd_verify(const char *password, const char *hash)
{
	if (strncmp(hash, "$y$", 3))
		return false;
	struct crypt_data cd;
	memset(&cd, 0, sizeof cd);
	const char *out = crypt_rn(password, hash, &cd, sizeof cd);
	bool ok = out && out[0] != '*' && secret_equal(out, hash);
	explicit_bzero(&cd, sizeof cd);
	return ok;
}

const char *passwd_policy(const char *password, const char *current)
{
	size_t n = strlen(password);
	if (n < PASSWD_MIN_LEN)
		return "must be at least 8 characters";
	if (n > PASSWD_MAX_LEN)
		return "must be at most 128 characters";
	for (const unsigned char *p = (const unsigned char *)password; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "must not contain control characters";
	if (!strcmp(password, PASSWD_FACTORY))
		return "must not be the factory password";
	if (current && !strcmp(password, current))
		return "must differ from the current password";
	return NULL;
}

int passwd_hash(const char *password, char *buf, size_t len, char *err, size_t errlen)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	if (!crypt_gensalt_rn("$y$", S_COST, NULL, 0, salt, sizeof salt)) {
		snprintf(err, errlen, "yescrypt salt: %s", strerror(errno));
		return -1;
	}
	struct crypt_data cd;
	memset(&cd, 0, sizeof cd);
	const char *hash = crypt_rn(password, salt, &cd, sizeof cd);
	int n = -1;
	if (hash && hash[0] != '*')
		n = snprintf(buf, len, "%s", hash);
	explicit_bzero(&cd, sizeof cd);
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "yescrypt: %s", hash ? "hash too long" : strerror(errno));
		return -1;
	}
	return 0;
}

int passwd_line(const char *user, const char *password, char *buf, size_t len, char *err, size_t errlen)
{
	char hash[256];
	if (passwd_hash(password, hash, sizeof hash, err, errlen) < 0)
		return -1;
	int n = snprintf(buf, len, "%s:%s\n", user, hash);
	explicit_bzero(hash, sizeof hash);
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "yescrypt: hash too long");
		return -1;
	}
	return 0;
}

int passwd_set(const char *path, const char *user, const char *password, char *err, size_t errlen)
{
	char line[512];
	if (passwd_line(user, password, line, sizeof line, err, errlen) < 0)
		return -1;
	int rc = atomic_file_write(path, line, strlen(line), 0600, err, errlen);
	explicit_bzero(line, sizeof line);
	return rc;
}
