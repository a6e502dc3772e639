/* snapshot: reads readingsd's snapshot ($ENISCOPE_RUNDIR/readings.json,
 * docs/API.md) for the CGIs that send it, GET /api/readings and the live
 * stream GET /api/live, with no JSON library: the file as readingsd wrote
 * it, with "age_s" put in front. */
#ifndef WEB_SNAPSHOT_H
#define WEB_SNAPSHOT_H

#include <stddef.h>

#define SNAPSHOT_MAX (1 << 20)
#define SNAPSHOT_STALE_S 3 /* readingsd rewrites it every second */

struct snapshot {
	char *text; /* {"age_s":N,...} (malloc'd, not NUL-terminated) */
	size_t len;
	long long mtime_ns; /* the file's modification time, to tell a new one */
};

/* The snapshot at now (Unix seconds): 0 with s filled (free s->text), or
 * 503 with err when readingsd is not running (no file, or one older than
 * SNAPSHOT_STALE_S) or the file is unreadable. */
int snapshot_read(long long now, struct snapshot *s, char *err, size_t errlen);

/* The modification time of the snapshot in ns, 0 when there is none:
 * whether a new one was written since snapshot_read, without reading it. */
long long snapshot_mtime_ns(void);

#endif
