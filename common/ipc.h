/* ipc: the hub's listening ZeroMQ sockets on Unix socket files in the run
 * directory (docs/BUS.md): a daemon's bus publisher and its control socket. */
#ifndef ENISCOPE_IPC_H
#define ENISCOPE_IPC_H

#include <stdint.h>

/* A ZeroMQ socket of type (ZMQ_PUB, ZMQ_REP...) bound at
 * "ipc://<rundir>/<name>.<kind>": the run directory made when missing (/run
 * is a tmpfs on a fresh boot), linger 0 (a stopping daemon never waits on
 * its peers), messages over maxmsg bytes dropped by ZeroMQ (0: no limit), a
 * socket file left by a killed predecessor replaced, and the file's group
 * let connect (paths_socket_shared).  *path gets the socket file's path
 * (malloc'd) for ipc_close.  NULL with the reason logged. */
void *ipc_bind(void *zctx, int type, const char *rundir, const char *name, const char *kind, int64_t maxmsg,
	       char **path);

/* Closes a socket from ipc_bind and removes its file; both set to NULL. */
void ipc_close(void **sock, char **path);

#endif
