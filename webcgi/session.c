/* session: see session.h. */
#include "session.h"

#include "regular_file.h"
#include "secret.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_FORMAT "v1 %64s %64s %lld %d %32s"

static bool s_user_ok(const char *user)
{
	size_t n = 0;
	for (; user[n]; n++)
		if (n >= SESSION_USER_MAX ||
		    !((user[n] >= 'a' && user[n] <= 'z') || (user[n] >= 'A' && user[n] <= 'Z') ||
		      (user[n] >= '0' && user[n] <= '9')))
			return false;
	return n > 0;
}

static int s_path(char *buf, size_t len, const char *dir, const char *selector)
{
	int n = snprintf(buf, len, "%s/%.*s", dir, SESSION_SELECTOR_LEN, selector);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Reads the session file named selector; 0 and s (id and all) filled. */
static int s_read(const char *dir, const char *selector, struct session *s, char *verifier)
{
	char path[PATH_MAX];
	if (s_path(path, sizeof path, dir, selector) < 0)
		return -1;
	/* a regular file only: a FIFO would block the request in open() */
	char why[PATH_MAX + 64];
	int fd = regular_file_open(path, O_NOFOLLOW, why, sizeof why);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
	if (!f) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int must = 0;
	int n = fscanf(f, S_FORMAT, verifier, s->csrf, &s->created, &must, s->user);
	fclose(f);
	if (n != 5 || strlen(verifier) != SESSION_ID_LEN - SESSION_SELECTOR_LEN)
		return -1;
	s->must_change = must != 0;
	return 0;
}

/* Calls fn for each session file in dir, with the session read from it, or
 * NULL when it does not read (each caller ends those). */
static void s_each(const char *dir, void (*fn)(const char *dir, const char *sel, const struct session *s, void *ud),
		   void *ud)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strlen(e->d_name) != SESSION_SELECTOR_LEN || !secret_is_hex(e->d_name, SESSION_SELECTOR_LEN))
			continue;
		struct session s;
		char verifier[SESSION_ID_LEN + 1];
		fn(dir, e->d_name, s_read(dir, e->d_name, &s, verifier) < 0 ? NULL : &s, ud);
	}
	closedir(d);
}

struct sweep {
	long long now, oldest_t;
	int count;
	char oldest[SESSION_SELECTOR_LEN + 1];
};

static void s_sweep_one(const char *dir, const char *sel, const struct session *s, void *ud)
{
	struct sweep *w = ud;
	if (!s || w->now - s->created >= SESSION_LIFETIME_S || s->created > w->now + 60) {
		session_end(dir, sel);
		return;
	}
	w->count++;
	if (!*w->oldest || s->created < w->oldest_t) {
		snprintf(w->oldest, sizeof w->oldest, "%s", sel);
		w->oldest_t = s->created;
	}
}

/* Removes expired sessions and, beyond SESSION_MAX - 1, the oldest, so a
 * new one always fits. */
static void s_sweep(const char *dir, long long now)
{
	struct sweep w = { .now = now };
	s_each(dir, s_sweep_one, &w);
	if (w.count >= SESSION_MAX && *w.oldest)
		session_end(dir, w.oldest);
}

int session_create(const char *dir, const char *user, bool must_change, long long now, struct session *s)
{
	if (!s_user_ok(user)) {
		errno = EINVAL;
		return -1;
	}
	memset(s, 0, sizeof *s);
	if (secret_token(s->id, SESSION_ID_LEN / 2) < 0 || secret_token(s->csrf, SESSION_ID_LEN / 2) < 0) {
		errno = EIO;
		return -1;
	}
	snprintf(s->user, sizeof s->user, "%s", user);
	s->must_change = must_change;
	s->created = now;
	s_sweep(dir, now);

	char path[PATH_MAX], tmp[PATH_MAX + 8];
	if (s_path(path, sizeof path, dir, s->id) < 0 || snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	char line[256];
	int n = snprintf(line, sizeof line, "v1 %s %s %lld %d %s\n", s->id + SESSION_SELECTOR_LEN, s->csrf, now,
			 must_change ? 1 : 0, user);
	/* a session file is on tmpfs: renaming a complete file is enough for
	 * a reader never to see half of one */
	if (write(fd, line, (size_t)n) != n || close(fd) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

int session_find(const char *dir, const char *id, long long now, struct session *s)
{
	if (strlen(id) != SESSION_ID_LEN || !secret_is_hex(id, SESSION_ID_LEN))
		return 0;
	char verifier[SESSION_ID_LEN + 1];
	if (s_read(dir, id, s, verifier) < 0)
		return 0;
	if (!secret_equal(verifier, id + SESSION_SELECTOR_LEN))
		return 0;
	if (now - s->created >= SESSION_LIFETIME_S || s->created > now + 60) {
		session_end(dir, id);
		return 0;
	}
	memcpy(s->id, id, SESSION_ID_LEN + 1);
	return 1;
}

void session_end(const char *dir, const char *id)
{
	char path[PATH_MAX];
	if (strlen(id) >= SESSION_SELECTOR_LEN && secret_is_hex(id, SESSION_ID_LEN) &&
	    s_path(path, sizeof path, dir, id) == 0)
		unlink(path);
}

static void s_end_of_user(const char *dir, const char *sel, const struct session *s, void *user)
{
	if (!s || !strcmp(s->user, user))
		session_end(dir, sel);
}

void session_end_user(const char *dir, const char *user)
{
	s_each(dir, s_end_of_user, (void *)user);
}
