/* disk: see disk.h. */
#include "disk.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/statvfs.h>

json_t *disk_usage(const char *dir)
{
	struct statvfs vfs;
	if (statvfs(dir, &vfs) < 0)
		return json_pack("{s:s,s:s}", "path", dir, "error", strerror(errno));
	double total = (double)vfs.f_blocks * vfs.f_frsize;
	double used = total > 0 ? 100.0 * (total - (double)vfs.f_bfree * vfs.f_frsize) / total : 0;
	return json_pack("{s:s,s:I,s:I,s:f}", "path", dir, "total_bytes", (json_int_t)vfs.f_blocks * (json_int_t)vfs.f_frsize,
			 "free_bytes", (json_int_t)vfs.f_bavail * (json_int_t)vfs.f_frsize, "used_pct", round(used * 10) / 10);
}
