/* ratelimit: see ratelimit.h. */
#include "ratelimit.h"

#include "backoff.h"
#include "regular_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

long ratelimit_delay_s(int failures)
{
	if (failures < RATELIMIT_FREE)
		return 0;
	return (long)backoff_step(1, RATELIMIT_MAX_S, (unsigned)(failures - RATELIMIT_FREE) + 1);
}

/* The address as a file name: IPv4 and IPv6 characters only (':' as
 * '_'); anything else counts under "other", which never names a file
 * outside dir. */
static void s_path(char *buf, size_t len, const char *dir, const char *addr)
{
	char name[64];
	size_t n = 0;
	for (; addr[n] && n < sizeof name - 1; n++) {
		char c = addr[n];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' ||
		      c == ':'))
			break;
		name[n] = c == ':' ? '_' : c;
	}
	name[n] = '\0';
	if (n == 0 || addr[n])
		snprintf(name, sizeof name, "other");
	snprintf(buf, len, "%s/%s", dir, name);
}

static void s_read(int fd, int *failures, long long *last)
{
	char buf[64] = "";
	*failures = 0;
	*last = 0;
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n > 0 && sscanf(buf, "%d %lld", failures, last) != 2)
		*failures = 0;
}

long long ratelimit_wait(const char *dir, const char *addr, long long now_ms)
{
	char path[PATH_MAX];
	s_path(path, sizeof path, dir, addr);
	char why[PATH_MAX + 64];
	int fd = regular_file_open(path, O_NOFOLLOW, why, sizeof why); /* a FIFO would block */
	if (fd < 0)
		return 0;
	int failures;
	long long last;
	flock(fd, LOCK_SH);
	s_read(fd, &failures, &last);
	close(fd);
	long long until = last + 1000LL * ratelimit_delay_s(failures);
	return until > now_ms ? until - now_ms : 0;
}

/* Removes the counts that make nobody wait now; the number left. */
static size_t s_sweep(const char *dir, long long now_ms)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t left = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK); /* a FIFO would block */
		int failures = 0;
		long long last = 0;
		if (fd >= 0) {
			s_read(fd, &failures, &last);
			close(fd);
		}
		/* below the free attempts, or its wait over: it stops nobody now
		 * (under a flood its count is forgotten) */
		if (failures < RATELIMIT_FREE || last + 1000LL * ratelimit_delay_s(failures) <= now_ms)
			unlink(path);
		else
			left++;
	}
	closedir(d);
	return left;
}

void ratelimit_record(const char *dir, const char *addr, long long now_ms, bool success)
{
	char path[PATH_MAX];
	s_path(path, sizeof path, dir, addr);
	if (success) {
		unlink(path);
		return;
	}
	/* O_NONBLOCK and a regular file only: a FIFO there would block the
	 * read below for good */
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT) {
		/* a new address: room for it first */
		size_t n = 0;
		DIR *d = opendir(dir);
		for (struct dirent *e; d && (e = readdir(d));)
			n += e->d_name[0] != '.';
		if (d)
			closedir(d);
		if (n >= RATELIMIT_ADDRS && s_sweep(dir, now_ms) >= RATELIMIT_ADDRS)
			s_path(path, sizeof path, dir, "other");
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	}
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		return;
	flock(fd, LOCK_EX);
	int failures;
	long long last;
	s_read(fd, &failures, &last);
	char buf[64];
	int n = snprintf(buf, sizeof buf, "%d %lld\n", failures < 1000 ? failures + 1 : failures, now_ms);
	if (pwrite(fd, buf, (size_t)n, 0) == n)
		(void)ftruncate(fd, n);
	close(fd);
}
