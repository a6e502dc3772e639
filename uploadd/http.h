/* http: HTTP POSTs on libcurl's multi interface, run inside the daemon's
 * one zmq_poll loop, no thread of our own.  curl tells us which sockets to
 * watch for what (CURLMOPT_SOCKETFUNCTION): they go into an epoll set
 * whose one descriptor the daemon watches, so read and write readiness of
 * any number of connections wakes the loop through daemon_watch_fd.  curl's
 * own timeouts (CURLMOPT_TIMERFUNCTION) are a daemon timer.  Each request
 * carries connect, total and low-speed limits, so a receiver that accepts
 * and then says nothing is cut off; cancelling is immediate, so shutdown
 * never waits for the network. */
#ifndef UPLOADD_HTTP_H
#define UPLOADD_HTTP_H

#include "daemon.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct http_request {
	const char *url;
	const char *content_type;
	const char *content_encoding; /* "gzip" or NULL */
	const char *authorization;    /* whole header value ("Bearer x"), or NULL */
	const char *username, *password; /* basic auth when username is set */
	bool tls_verify;
	const char *ca_file; /* NULL or "" for the system's; else a regular file (http_post refuses a FIFO) */
	long connect_timeout_s, timeout_s, low_speed_bps, low_speed_time_s;
	const void *body; /* must stay valid until done is called or the transfer is cancelled */
	size_t len;
};

struct http_result {
	long code;          /* HTTP status; 0 when no answer came */
	int curl;           /* CURLcode; 0 (CURLE_OK) when an answer came */
	char error[256];    /* curl's reason when no answer came */
	char body[256];     /* the start of the answer's body (its reason for a 4xx) */
	bool have_retry_after;
	int64_t retry_after_s;
	uint64_t bytes_up;  /* request body bytes sent */
	double seconds;
};

/* What the transfer makes of the answer, exposed for tests and fuzzing:
 * a chunk of the body (its start kept, printable, in r->body), and one
 * header line as curl hands it (not NUL-terminated, with its CRLF): a
 * status line starts a new answer, Retry-After is parsed relative to now
 * (retry_after_parse). */
void http_result_body(struct http_result *r, const char *data, size_t len);
void http_result_header(struct http_result *r, const char *data, size_t len, time_t now);

typedef void (*http_done_fn)(const struct http_result *r, void *ud);

struct http;
struct http_xfer;

struct http *http_new(struct daemon *d);
/* Cancels every transfer (their done is not called). */
void http_destroy(struct http **h);
/* Starts a POST; done is called once from the loop when it ends.  NULL
 * with a reason when it cannot be started. */
struct http_xfer *http_post(struct http *h, const struct http_request *req, http_done_fn done, void *ud, char *err,
			    size_t errlen);
/* Stops a transfer at once; its done is not called.  *x becomes NULL. */
/* Lets curl start the transfers just posted (connect, send the request)
 * before the caller blocks on something else; their ends are still
 * reported from the loop. */
void http_kick(struct http *h);

void http_cancel(struct http *h, struct http_xfer **x);
size_t http_active(const struct http *h);

#endif
