/* disk: how full the file system holding a directory is, as the System
 * Status page and uploadd's daily check-in report it. */
#ifndef HUB_DISK_H
#define HUB_DISK_H

#include <jansson.h>

/* {"path","total_bytes","used_bytes","free_bytes","used_pct"} for the file
 * system of dir: free_bytes what an unprivileged writer may still use
 * (statvfs f_bavail), used_pct = 100 * used / (used + free) rounded up to
 * 0.1, as df(1) prints it (reserved blocks count in neither); or
 * {"path","error"} when it cannot be asked.  A new object. */
json_t *disk_usage(const char *dir);

#endif
