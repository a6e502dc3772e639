/* config_watch: tells a daemon that its configuration file was replaced.
 * It watches the file's directory with inotify, because an atomic save
 * renames a new file over the old one (a watch on the file itself would
 * stay on the old inode).  Changes: a file written and closed, renamed
 * over it, deleted, or a symbolic link made in its place. */
#ifndef HUB_CONFIG_WATCH_H
#define HUB_CONFIG_WATCH_H

#include <stdbool.h>

struct config_watch;

/* NULL with errno when the directory cannot be watched (the daemon then
 * relies on SIGHUP and the "reload" command). */
struct config_watch *config_watch_new(const char *path);
void config_watch_destroy(struct config_watch **w);
int config_watch_fd(const struct config_watch *w);
/* Reads the pending events; true when one concerned the file. */
bool config_watch_changed(struct config_watch *w);

#endif
