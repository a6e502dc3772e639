/* config_watch: see config_watch.h. */
#include "config_watch.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

struct config_watch {
	int fd;
	char *path;
	char *name; /* the file's base name */
};

struct config_watch *config_watch_new(const char *path)
{
	struct config_watch *w = calloc(1, sizeof *w);
	char *dir_copy = strdup(path), *base_copy = strdup(path);
	if (!w || !dir_copy || !base_copy)
		goto fail;
	w->name = strdup(basename(base_copy));
	w->path = strdup(path);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (!w->name || !w->path || w->fd < 0)
		goto fail;
	/* IN_CREATE for a symbolic link made in place (ln -s): its only event */
	if (inotify_add_watch(w->fd, dirname(dir_copy), IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_CREATE) < 0)
		goto fail;
	free(dir_copy);
	free(base_copy);
	return w;
fail:;
	int saved = errno;
	if (w && w->fd > 0)
		close(w->fd);
	if (w) {
		free(w->name);
		free(w->path);
	}
	free(w);
	free(dir_copy);
	free(base_copy);
	errno = saved;
	return NULL;
}

void config_watch_destroy(struct config_watch **wp)
{
	if (!*wp)
		return;
	close((*wp)->fd);
	free((*wp)->name);
	free((*wp)->path);
	free(*wp);
	*wp = NULL;
}

int config_watch_fd(const struct config_watch *w)
{
	return w->fd;
}

bool config_watch_changed(struct config_watch *w)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof buf);
		if (n <= 0)
			return changed;
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			/* a regular file just created is still empty: its
			 * IN_CLOSE_WRITE follows when it is written */
			struct stat st;
			if (ev->len && !strcmp(ev->name, w->name) &&
			    (!(ev->mask & IN_CREATE) || (lstat(w->path, &st) == 0 && S_ISLNK(st.st_mode))))
				changed = true;
			p += sizeof *ev + ev->len;
		}
	}
}
