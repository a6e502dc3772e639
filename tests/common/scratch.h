/* scratch: throw-away directories and whole-file reads for the unit tests.
 * Header-only (static functions) because each check_<module> executable is
 * built from its own file and check_main.c alone.  Every test that touches
 * the file system works under a fresh mkdtemp() directory in /tmp and
 * removes it at the end, so tests never see each other's files. */
#ifndef TESTS_SCRATCH_H
#define TESTS_SCRATCH_H

#include <check.h>

#include <dirent.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A new empty directory /tmp/<tag>.XXXXXX; the caller frees the string. */
static inline char *scratch_dir_new(const char *tag)
{
	char *dir = NULL;
	ck_assert_int_gt(asprintf(&dir, "/tmp/%s.XXXXXX", tag), 0);
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp %s failed", dir);
	return dir;
}

static inline int scratch_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

/* Removes dir and everything in it, and frees the string. */
static inline void scratch_dir_remove(char *dir)
{
	if (!dir)
		return;
	nftw(dir, scratch_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* Ends a forked child of a test.  The child frees what it owns first:
 * under valgrind every process is leak-checked at exit, and a pointer the
 * optimiser kept only in a register reads as "definitely lost". */
static inline _Noreturn void scratch_child_exit(int status, char *owned)
{
	free(owned);
	_exit(status);
}

/* "<dir>/<name>", malloc'd. */
static inline char *scratch_path(const char *dir, const char *name)
{
	char *p = NULL;
	ck_assert_int_gt(asprintf(&p, "%s/%s", dir, name), 0);
	return p;
}

/* The whole file, NUL-terminated, length in *len; NULL when unreadable. */
static inline char *scratch_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		size_t got = fread(buf + n, 1, 4096, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Writes text to path the plain way (not atomically). */
static inline void scratch_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot create %s", path);
	ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	ck_assert_int_eq(fclose(f), 0);
}

/* Names in dir other than . and .., as one space-separated sorted-free list
 * (for messages) and their count. */
static inline int scratch_count(const char *dir, char *names, size_t nameslen)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	int n = 0;
	if (nameslen)
		names[0] = '\0';
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		n++;
		if (nameslen) {
			size_t used = strlen(names);
			snprintf(names + used, nameslen - used, "%s%s", used ? " " : "", e->d_name);
		}
	}
	closedir(d);
	return n;
}

/* Waits up to timeout_ms for fd to be readable: 1 readable, 0 timed out. */
static inline int scratch_wait_readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int rc = poll(&p, 1, timeout_ms);
	ck_assert_int_ge(rc, 0);
	return rc;
}

#endif
