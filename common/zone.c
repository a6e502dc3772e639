/* zone: see zone.h. */
#include "zone.h"

#include "regular_file.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

bool zone_known(const char *name)
{
	if (!name)
		return false;
	if (!strcmp(name, "UTC"))
		return true;
	if (!*name || strlen(name) > ZONE_NAME_MAX || strstr(name, "..") || name[0] == '/' ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(name))
		return false;
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	/* a zone file, not a directory of them (Europe) or a table beside
	 * them: tzset() would take either for UTC */
	char err[128];
	int fd = regular_file_open(path, 0, err, sizeof err);
	if (fd < 0)
		return false;
	char magic[4];
	bool tzif = read(fd, magic, sizeof magic) == (ssize_t)sizeof magic && !memcmp(magic, "TZif", sizeof magic);
	close(fd);
	return tzif;
}

void zone_use(const char *name, struct zone_saved *saved)
{
	const char *old = getenv("TZ");
	saved->had = old != NULL;
	snprintf(saved->tz, sizeof saved->tz, "%s", old ? old : "");
	saved->set = setenv("TZ", name, 1) == 0;
	tzset();
}

void zone_restore(struct zone_saved *saved)
{
	if (!saved->set)
		return;
	if (saved->had)
		setenv("TZ", saved->tz, 1);
	else
		unsetenv("TZ");
	tzset();
	saved->set = false;
}

void zone_bucket(int64_t ts, int64_t step, int64_t *start, int64_t *end)
{
	if (step == 60) {
		*start = ts - ((ts % 60) + 60) % 60;
		*end = *start + 60;
		return;
	}
	time_t t = (time_t)ts;
	struct tm tm;
	localtime_r(&t, &tm);
	if (step == 3600) {
		*start = ts - tm.tm_min * 60 - tm.tm_sec;
		*end = *start + 3600;
		return;
	}
	/* mktime finds the offset in force at each midnight */
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	*start = (int64_t)mktime(&tm);
	tm.tm_mday++;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	*end = (int64_t)mktime(&tm);
	if (*end <= ts) /* a zone that skips a midnight: never an empty bucket */
		*end = ts + 1;
}

bool zone_whole_hours(int64_t from, int64_t to)
{
	int64_t at[2] = { from, to };
	for (int i = 0; i < 2; i++) {
		time_t t = (time_t)at[i];
		struct tm tm;
		localtime_r(&t, &tm);
		if (tm.tm_gmtoff % 3600)
			return false;
	}
	return true;
}
