/* iofail: an LD_PRELOAD shim that injects I/O errors under SQLite.  While
 * the file named by $STORAGED_FAIL_FILE exists, every write, pwrite and
 * fsync on a file whose path contains "store.db" fails with EIO, as a
 * dying SD card does; remove the file and they work again. */
/* our own pwrite and pwrite64, not one renamed to the other */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int s_failing(int fd)
{
	const char *flag = getenv("STORAGED_FAIL_FILE");
	if (!flag || access(flag, F_OK) != 0)
		return 0;
	char link[64], path[4096];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	return strstr(path, "store.db") != NULL;
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t write(int fd, const void *buf, size_t len)
{
	if (s_failing(fd))
		return errno = EIO, -1;
	return NEXT(write)(fd, buf, len);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	if (s_failing(fd))
		return errno = EIO, -1;
	return NEXT(pwrite)(fd, buf, len, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off64_t off)
{
	if (s_failing(fd))
		return errno = EIO, -1;
	return NEXT(pwrite64)(fd, buf, len, off);
}

int fsync(int fd)
{
	if (s_failing(fd))
		return errno = EIO, -1;
	return NEXT(fsync)(fd);
}

int fdatasync(int fd)
{
	if (s_failing(fd))
		return errno = EIO, -1;
	return NEXT(fdatasync)(fd);
}
