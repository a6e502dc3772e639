/* ipc: see ipc.h. */
#include "ipc.h"

#include "log.h"
#include "paths.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

void *ipc_bind(void *zctx, int type, const char *rundir, const char *name, const char *kind, int64_t maxmsg,
	       char **path)
{
	*path = NULL;
	char endpoint[256];
	if (paths_endpoint(endpoint, sizeof endpoint, rundir, name, kind) < 0) {
		log_error("%s endpoint for %s in %s: %s", kind, name, rundir, strerror(errno));
		return NULL;
	}
	if (mkdir(rundir, 0755) < 0 && errno != EEXIST) {
		log_error("cannot create %s: %s", rundir, strerror(errno));
		return NULL;
	}
	void *sock = zmq_socket(zctx, type);
	char *file = strdup(endpoint + strlen("ipc://"));
	if (!sock || !file) {
		log_error("cannot make the socket %s: %s", endpoint, sock ? strerror(ENOMEM) : zmq_strerror(zmq_errno()));
		goto fail;
	}
	int linger = 0;
	zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
	if (maxmsg > 0)
		zmq_setsockopt(sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
	/* binding over a leftover file is what ZeroMQ does anyway; removing
	 * it first makes that explicit */
	unlink(file);
	if (zmq_bind(sock, endpoint) < 0) {
		log_error("cannot bind %s: %s", endpoint, zmq_strerror(zmq_errno()));
		goto fail;
	}
	if (paths_socket_shared(file) < 0)
		log_error("cannot let the group of %s connect: %s", file, strerror(errno));
	*path = file;
	return sock;
fail:
	if (sock)
		zmq_close(sock);
	free(file);
	return NULL;
}

void ipc_close(void **sock, char **path)
{
	if (*sock)
		zmq_close(*sock);
	if (*path)
		unlink(*path);
	free(*path);
	*sock = NULL;
	*path = NULL;
}
