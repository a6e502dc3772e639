/* ctl: the control protocol.  Each daemon answers JSON requests on a REP
 * socket at ipc://$ENISCOPE_RUNDIR/<name>.ctl:
 *
 *     {"cmd":"status"}            -> {"ok":true, ...}
 *     {"cmd":"nonsense"}          -> {"ok":false,"error":"unknown command \"nonsense\""}
 *
 * The server always answers exactly once, even to garbage, so a client's REQ
 * socket never wedges.  The client never hangs: it gives up after its
 * timeout, uses ZMQ_LINGER 0 and a fresh socket per request, and says "not
 * running" at once when the socket file does not exist. */
#ifndef HUB_CTL_H
#define HUB_CTL_H

#include <jansson.h>
#include <stddef.h>

#define CTL_REQUEST_MAX 65536

/* A handler gets the parsed request (an object with a string "cmd") and
 * returns the response object (a new reference; "ok" is added as true when
 * missing), or NULL with err set for {"ok":false,"error":err}. */
typedef json_t *(*ctl_handler_fn)(const char *cmd, json_t *request, void *ud, char *err, size_t errlen);

struct ctl_server;

struct ctl_server *ctl_server_new(void *zctx, const char *rundir, const char *name, ctl_handler_fn handler,
				  void *ud);
void ctl_server_destroy(struct ctl_server **srv);
void *ctl_server_socket(struct ctl_server *srv);
/* Answers every request waiting on the socket; call when zmq_poll says it
 * is readable. */
void ctl_server_serve(struct ctl_server *srv);

/* Turns one request's bytes (not NUL-terminated) into the response object
 * (a new reference): the request parsed, checked for a string "cmd" and
 * handed to handler.  What the server does with every request; exposed
 * for tests and fuzzing. */
json_t *ctl_answer(const void *data, size_t len, ctl_handler_fn handler, void *ud);

/* Sends request to daemon name and waits up to timeout_ms for the answer.
 * Returns the response object, or NULL with err set: "not running" when
 * the daemon's socket does not exist, "no answer within N ms" when it does
 * not answer, or why the answer was unusable. */
json_t *ctl_request(void *zctx, const char *rundir, const char *name, json_t *request, int timeout_ms,
		    char *err, size_t errlen);

/* Builds {"ok":false,"error":msg}. */
json_t *ctl_error(const char *msg);

#endif
