/* paths: where the hub keeps things, each overridable from the environment
 * so that a demo or a test runs in a scratch directory:
 *
 *   ENISCOPE_RUNDIR  /run/eniscope              bus and control sockets
 *   ENISCOPE_DATA    /var/lib/eniscope          the SD card: store, registers
 *   ENISCOPE_CONF    /etc/eniscope/config.json  the configuration document
 *   ENISCOPE_FACTORY_CONF  $datadir/eniscope/config.json  the factory
 *                    configuration a reset to "all" puts back (installed
 *                    by meson beside the programs, never edited) */
#ifndef HUB_PATHS_H
#define HUB_PATHS_H

#include <stddef.h>

const char *paths_rundir(void);
const char *paths_datadir(void);
const char *paths_config(void);
const char *paths_factory_config(void);
/* ENISCOPE_LOGDIR (/var/log/eniscope): svlogd's <daemon>/current files */
const char *paths_logdir(void);

/* The web side's state, relative to the data and run directories
 * (webcgi/web.h): the admin's password hash, the company logo, and one
 * file per session. */
#define PATHS_WEB_CREDENTIALS "web/credentials"
#define PATHS_WEB_LOGO "web/logo.png"
#define PATHS_WEB_SESSIONS "web/sessions"

/* "ipc://<rundir>/<name>.<kind>" into buf; -1 with errno ENAMETOOLONG when
 * it does not fit or the path is too long for a Unix socket. */
int paths_endpoint(char *buf, size_t len, const char *rundir, const char *name, const char *kind);

/* Lets the group of a socket file connect to it (mode 0660): connect(2)
 * needs write permission on the file, and a daemon's umask leaves its
 * group none.  Which group: the run directory's, when that directory is
 * set-group-id (the web side's user, so that CGIs run as that user can
 * ask the daemons; ARCHITECTURE.md, Supervision).  0, or -1 with errno. */
int paths_socket_shared(const char *path);

#endif
