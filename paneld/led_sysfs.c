/* led_sysfs: see led_sysfs.h. */
#include "led_sysfs.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned s_max_brightness(const char *dir, const char *name)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s/max_brightness", dir, name);
	FILE *f = fopen(path, "re");
	unsigned v = 0;
	if (f) {
		if (fscanf(f, "%u", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v ? v : 1;
}

void led_sysfs_open(struct led_sysfs *l, const char *dir, const char *const names[3])
{
	memset(l, 0, sizeof *l);
	for (int i = 0; i < 3; i++) {
		struct led_sysfs_one *o = &l->led[i];
		snprintf(o->path, sizeof o->path, "%s/%s/brightness", dir, names[i]);
		if (access(o->path, W_OK) < 0) {
			log_warn("LED %s: %s: %s (the LED is left alone)", names[i], o->path, strerror(errno));
			o->path[0] = '\0';
			l->missing++;
			continue;
		}
		o->max = s_max_brightness(dir, names[i]);
	}
}

static int s_write(const char *path, unsigned v)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	char buf[16];
	int n = snprintf(buf, sizeof buf, "%u\n", v);
	ssize_t w = write(fd, buf, (size_t)n);
	int e = errno;
	close(fd);
	errno = e;
	return w == n ? 0 : -1;
}

void led_sysfs_show(struct led_sysfs *l, unsigned rgb)
{
	for (int i = 0; i < 3; i++) {
		struct led_sysfs_one *o = &l->led[i];
		bool on = rgb & (1u << i);
		if (!o->path[0] || (o->written && o->on == on))
			continue;
		if (s_write(o->path, on ? o->max : 0) < 0) {
			if (!o->failing) /* once per failure, not per step */
				log_warn("cannot write %s: %s", o->path, strerror(errno));
			o->failing = true;
			o->written = false;
			continue;
		}
		o->failing = false;
		o->on = on;
		o->written = true;
		l->writes++;
	}
}
