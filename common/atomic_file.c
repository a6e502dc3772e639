/* atomic_file: see atomic_file.h.  The temporary file's name carries the
 * pid so two processes writing at once (without the lock) cannot share one;
 * a temporary left by a process killed before its rename is harmless: the
 * real file is whole, and the next writer of the same pid overwrites it. */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static int s_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int s_fsync_dir_of(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return -1;
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int atomic_file_write(const char *path, const void *data, size_t len, mode_t mode, char *err, size_t errlen)
{
	return atomic_file_write_flags(path, data, len, mode, 0, err, errlen);
}

int atomic_file_write_flags(const char *path, const void *data, size_t len, mode_t mode, unsigned flags, char *err,
			    size_t errlen)
{
	bool sync = !(flags & ATOMIC_FILE_NO_SYNC);
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	const char *step = "write";
	if (s_write_all(fd, data, len) < 0 || (step = "fsync", sync && fsync(fd) < 0)) {
		snprintf(err, errlen, "cannot %s %s: %s", step, tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0) {
		snprintf(err, errlen, "cannot close %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	/* the rename is durable only once the directory is on disk */
	if (sync && s_fsync_dir_of(path) < 0) {
		snprintf(err, errlen, "cannot fsync the directory of %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

struct atomic_lock {
	int fd;
};

struct atomic_lock *atomic_file_lock(const char *path, char *err, size_t errlen)
{
	char name[4096];
	if (snprintf(name, sizeof name, "%s.lock", path) >= (int)sizeof name) {
		snprintf(err, errlen, "%s: path too long", path);
		return NULL;
	}
	/* flock needs no write access: a writer of another user in the
	 * file's group (the web side's CGIs and a root eniscopectl) can take
	 * the lock of a lock file the other made */
	int fd = open(name, O_RDONLY | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", name, strerror(errno));
		return NULL;
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "cannot lock %s: %s", name, strerror(errno));
			close(fd);
			return NULL;
		}
	}
	struct atomic_lock *lock = malloc(sizeof *lock);
	if (!lock) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	lock->fd = fd;
	return lock;
}

void atomic_file_unlock(struct atomic_lock **lockp)
{
	if (!*lockp)
		return;
	close((*lockp)->fd); /* closing releases the flock */
	free(*lockp);
	*lockp = NULL;
}
