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
	json_int_t total = (json_int_t)vfs.f_blocks * (json_int_t)vfs.f_frsize;
	json_int_t used = total - (json_int_t)vfs.f_bfree * (json_int_t)vfs.f_frsize;
	json_int_t avail = (json_int_t)vfs.f_bavail * (json_int_t)vfs.f_frsize;
	/* as df(1) prints it: of what a writer could have (used + free),
	 * how much is used; reserved blocks count in neither */
	double pct = used + avail > 0 ? 100.0 * (double)used / (double)(used + avail) : 0;
	return json_pack("{s:s,s:I,s:I,s:I,s:f}", "path", dir, "total_bytes", total, "used_bytes", used, "free_bytes",
			 avail, "used_pct", ceil(pct * 10) / 10);
}
