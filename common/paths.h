/* paths: where the hub keeps things, each overridable from the environment
 * so that a demo or a test runs in a scratch directory:
 *
 *   ENISCOPE_RUNDIR  /run/eniscope              bus and control sockets
 *   ENISCOPE_DATA    /var/lib/eniscope          the SD card: store, registers
 *   ENISCOPE_CONF    /etc/eniscope/config.json  the configuration document */
#ifndef HUB_PATHS_H
#define HUB_PATHS_H

#include <stddef.h>

const char *paths_rundir(void);
const char *paths_datadir(void);
const char *paths_config(void);

/* "ipc://<rundir>/<name>.<kind>" into buf; -1 with errno ENAMETOOLONG when
 * it does not fit or the path is too long for a Unix socket. */
int paths_endpoint(char *buf, size_t len, const char *rundir, const char *name, const char *kind);

#endif
