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
#include <stdint.h>

/* The largest request a daemon takes, in bytes of JSON.  A larger one is
 * answered {"ok":false,"error":"request too large: N bytes (limit 65536
 * bytes)"} by the daemon, up to 1 MiB (ZeroMQ drops the connection of a
 * peer sending more, unanswered); ctl_request and ctl_client_call do not
 * send one, and fail with those words. */
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
 * handed to handler (one over CTL_REQUEST_MAX is refused as too large).
 * What the server does with every request; exposed
 * for tests and fuzzing. */
json_t *ctl_answer(const void *data, size_t len, ctl_handler_fn handler, void *ud);

/* Sends request to daemon name and waits up to timeout_ms for the answer.
 * Returns the response object, or NULL with err set: "not running" when
 * the daemon's socket does not exist, "permission denied: <socket path>
 * ..." when this user may not connect to it (a Unix socket needs write
 * access, unix(7)), "request too large: ..." (not sent) over
 * CTL_REQUEST_MAX, "no answer within N ms" when it does not answer, or why
 * the answer was unusable. */
json_t *ctl_request(void *zctx, const char *rundir, const char *name, json_t *request, int timeout_ms,
		    char *err, size_t errlen);

/* ---- the client that never stops a loop ----
 *
 * A daemon that asks another one something from inside its loop (uploadd
 * asking storaged for a batch) must not wait for the answer there: one slow
 * answer would stall every other thing the loop does, its own status too.
 * A ctl_client sends the request and returns at once; the answer, or
 * "no answer within N ms", comes later as a call of the daemon's loop
 * (common/daemon.h), on the client's one socket and one timer.
 *
 * One DEALER socket per peer carries any number of requests at once; each
 * goes with its own id in the envelope the server's REP socket sends back,
 * so an answer finds its request, and one that comes after its request
 * timed out or was cancelled is dropped. */

struct daemon;
struct ctl_client;

/* answer: the peer's response object (borrowed: json_incref to keep it),
 * as ctl_request gives it, {"ok":false,...} included; or NULL with err:
 * "not running", "permission denied: ...", "request too large: ...", "no
 * answer within N ms", or why it was unusable (as ctl_request's). */
typedef void (*ctl_answer_fn)(json_t *answer, const char *err, void *ud);

/* A client of daemon name's control socket in rundir, on d's loop (the
 * peer need not be running).  NULL with errno. */
struct ctl_client *ctl_client_new(struct daemon *d, const char *rundir, const char *name);
/* Drops every request in flight without calling its fn. */
void ctl_client_destroy(struct ctl_client **c);
/* Sends request (not stolen) and returns at once: a call id > 0.  fn is
 * called exactly once, from the loop and never before this returns, with
 * the answer or the reason there is none; unless the call is cancelled. */
uint64_t ctl_client_call(struct ctl_client *c, const json_t *request, int timeout_ms, ctl_answer_fn fn, void *ud);
/* fn of call id is not called (an id already answered is ignored). */
void ctl_client_cancel(struct ctl_client *c, uint64_t id);
/* Requests sent and not yet answered or timed out. */
size_t ctl_client_pending(const struct ctl_client *c);

/* Builds {"ok":false,"error":msg}. */
json_t *ctl_error(const char *msg);

#endif
