/* snapshot: see snapshot.h. */
#include "snapshot.h"

#include "paths.h"
#include "regular_file.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void s_path(char *path, size_t len)
{
	snprintf(path, len, "%s/readings.json", paths_rundir());
}

static long long s_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

long long snapshot_mtime_ns(void)
{
	char path[PATH_MAX];
	s_path(path, sizeof path);
	struct stat st;
	return stat(path, &st) == 0 ? s_ns(&st) : 0;
}

int snapshot_read(long long now, struct snapshot *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	char path[PATH_MAX], why[PATH_MAX + 64];
	s_path(path, sizeof path);
	int fd = regular_file_open(path, 0, why, sizeof why); /* a FIFO would block */
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < 2 || st.st_size > SNAPSHOT_MAX) {
		if (fd >= 0)
			close(fd);
		snprintf(err, errlen, "readingsd: not running (no snapshot)");
		return 503;
	}
	long long age = now - (long long)st.st_mtime;
	if (age > SNAPSHOT_STALE_S) {
		close(fd);
		snprintf(err, errlen, "readingsd: not running (snapshot %lld s old)", age);
		return 503;
	}
	char head[64];
	int hl = snprintf(head, sizeof head, "{\"age_s\":%lld,", age < 0 ? 0 : age);
	char *buf = malloc((size_t)hl + (size_t)st.st_size);
	ssize_t n = buf ? read(fd, buf + hl - 1, (size_t)st.st_size) : -1;
	close(fd);
	if (n < 2 || buf[hl - 1] != '{') {
		free(buf);
		snprintf(err, errlen, "readingsd: snapshot unreadable");
		return 503;
	}
	memcpy(buf, head, (size_t)hl); /* over the snapshot's own '{' */
	s->text = buf;
	s->len = (size_t)hl - 1 + (size_t)n;
	s->mtime_ns = s_ns(&st);
	return 0;
}
