/* atomic_file: replace a file so that a reader, or the file system after a
 * power cut, sees either the old contents or the new ones, never a mix:
 * write a temporary file beside it, fsync it, rename it over the old one,
 * fsync the directory.  Writers of the same file serialise on an flock of
 * "<file>.lock", so read-modify-write cycles never lose an update. */
#ifndef HUB_ATOMIC_FILE_H
#define HUB_ATOMIC_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* 0, or -1 with a reason; on failure the old file is untouched and no
 * temporary file is left behind. */
int atomic_file_write(const char *path, const void *data, size_t len, mode_t mode, char *err, size_t errlen);

/* Skips the fsyncs: still atomic for readers and across a crash of the
 * process, not across a power cut.  For copies on tmpfs, which fsync would
 * not make durable anyway. */
#define ATOMIC_FILE_NO_SYNC 0x1u
int atomic_file_write_flags(const char *path, const void *data, size_t len, mode_t mode, unsigned flags, char *err,
			    size_t errlen);

struct atomic_lock;

/* Blocks until this process holds the lock of path.  NULL with a reason. */
struct atomic_lock *atomic_file_lock(const char *path, char *err, size_t errlen);
void atomic_file_unlock(struct atomic_lock **lock);

#endif
