/* regular_file: see regular_file.h. */
#include "regular_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *regular_file_kind(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFSOCK:
		return "a socket";
	default:
		return "not a file";
	}
}

int regular_file_open(const char *path, int flags, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | flags);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: is %s, not a regular file", path, regular_file_kind(st.st_mode));
		close(fd);
		errno = EINVAL;
		return -1;
	}
	/* reads of a regular file never block anyway; the caller may hand
	 * the descriptor to stdio, which expects the usual semantics */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

char *regular_file_read(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	int fd = regular_file_open(path, 0, err, errlen);
	if (fd < 0)
		return NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int e = 0;
	for (;;) {
		if (n == cap) {
			/* one byte past max tells a file of max bytes from a longer one */
			size_t want = cap ? cap * 2 : 4096;
			if (want > max + 1)
				want = max + 1;
			char *more = want > cap ? realloc(buf, want + 1) : NULL;
			if (!more) {
				e = want > cap ? ENOMEM : EFBIG;
				break;
			}
			buf = more;
			cap = want;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			e = errno;
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (!e && n > max)
		e = EFBIG;
	if (e) {
		if (e == EFBIG)
			snprintf(err, errlen, "%s: is larger than the %zu bytes allowed", path, max);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(e));
		free(buf);
		errno = e;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}
