/* regular_file: opening and reading the files the hub reads whole (the
 * configuration, counter files, replay recordings) only when they are
 * regular files.  A FIFO put in place of one would block open() until
 * someone writes to it, and a device (/dev/zero) or a directory gives
 * endless or no data; each is refused at once with a message naming what
 * is there instead.
 *
 * Not for sysfs and device paths (w1, IIO, GPIO): there the kernel, not a
 * user, decides what the path is. */
#ifndef HUB_REGULAR_FILE_H
#define HUB_REGULAR_FILE_H

#include <stddef.h>

/* Opens path read-only without ever blocking on a FIFO or a device
 * (O_NONBLOCK, O_NOCTTY), and keeps it only when fstat says it is a
 * regular file (symbolic links followed unless flags has O_NOFOLLOW).
 * flags: more open(2) flags, 0 or O_NOFOLLOW.  Returns the descriptor
 * (blocking again, close-on-exec), or -1 with errno and err: ENOENT when
 * nothing is at the path, EINVAL when something other than a regular file
 * is ("%s: is a FIFO, not a regular file"), else open's errno. */
int regular_file_open(const char *path, int flags, char *err, size_t errlen);

/* Reads the whole regular file into a new NUL-terminated buffer (the
 * caller frees it), its length in *len.  NULL with errno and err as
 * regular_file_open, or EFBIG when it holds more than max bytes. */
char *regular_file_read(const char *path, size_t max, size_t *len, char *err, size_t errlen);

/* What a file of this st_mode is, in words: "a FIFO", "a directory" ... */
const char *regular_file_kind(unsigned mode);

#endif
