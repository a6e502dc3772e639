/* curl_loop: transfers on libcurl's multi interface, run inside the
 * daemon's one zmq_poll loop, no thread of our own: HTTP POSTs (uploadd's
 * batches, alarmd's webhooks) and SMTP mail (alarmd).  curl tells us which
 * sockets to watch for what (CURLMOPT_SOCKETFUNCTION): they go into an
 * epoll set whose one descriptor the daemon watches, so read and write
 * readiness of any number of connections wakes the loop through
 * daemon_watch_fd.  curl's own timeouts (CURLMOPT_TIMERFUNCTION) are a
 * daemon timer.  Each transfer carries connect, total and low-speed
 * limits, so a server that accepts and then says nothing is cut off while
 * every other transfer and the rest of the loop go on; cancelling is
 * immediate, so shutdown never waits for the network. */
#ifndef COMMON_CURL_LOOP_H
#define COMMON_CURL_LOOP_H

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
	const char *ca_file; /* NULL or "" for the system's */
	long connect_timeout_s, timeout_s, low_speed_bps, low_speed_time_s;
	const void *body; /* must stay valid until done is called or the transfer is cancelled */
	size_t len;
};

/* One message to an SMTP server (RFC 5321) through libcurl. */
enum mail_security {
	MAIL_PLAIN,    /* no TLS (port 25 on a trusted network, a test server) */
	MAIL_STARTTLS, /* STARTTLS required (RFC 3207; submission, port 587) */
	MAIL_TLS,      /* TLS from the first byte (RFC 8314 implicit TLS, port 465) */
};

struct mail_request {
	const char *host; /* name or address */
	int port;
	enum mail_security security;
	const char *username, *password; /* AUTH when username is not "" */
	const char *ca_file;             /* the server certificate's CA (TLS); NULL or "" for the system's */
	const char *from;                /* envelope sender (MAIL FROM) */
	const char *const *to;           /* envelope recipients (RCPT TO) */
	size_t nto;
	long connect_timeout_s, timeout_s;
	const char *message; /* the whole RFC 5322 message, CRLF line ends; valid until done */
	size_t len;
};

struct curl_result {
	long code;          /* HTTP status, or the SMTP server's last reply code; 0 when none came */
	int curl;           /* CURLcode; 0 (CURLE_OK) when the transfer succeeded */
	char error[256];    /* curl's reason when it failed */
	char body[256];     /* the start of the answer's body (its reason for a 4xx) */
	bool have_retry_after;
	int64_t retry_after_s;
	uint64_t bytes_up;  /* request body bytes sent */
	double seconds;
};

/* What the transfer makes of an HTTP answer, exposed for tests and fuzzing:
 * a chunk of the body (its start kept, printable, in r->body), and one
 * header line as curl hands it (not NUL-terminated, with its CRLF): a
 * status line starts a new answer, Retry-After is parsed relative to now
 * (retry_after_parse). */
void curl_result_body(struct curl_result *r, const char *data, size_t len);
void curl_result_header(struct curl_result *r, const char *data, size_t len, time_t now);

/* Parses a Retry-After value (RFC 9110, 10.2.3): delay-seconds ("120") or
 * an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT", and the obsolete RFC 850
 * and asctime forms), relative to now.  A date in the past is 0 s.
 * Returns true with *delay_s set, false when the value is neither. */
bool retry_after_parse(const char *value, time_t now, int64_t *delay_s);

typedef void (*curl_done_fn)(const struct curl_result *r, void *ud);

struct curl_loop;
struct curl_xfer;

struct curl_loop *curl_loop_new(struct daemon *d);
/* Cancels every transfer (their done is not called). */
void curl_loop_destroy(struct curl_loop **h);
/* Starts a POST; done is called once from the loop when it ends.  NULL
 * with a reason when it cannot be started. */
struct curl_xfer *curl_loop_post(struct curl_loop *h, const struct http_request *req, curl_done_fn done, void *ud,
				 char *err, size_t errlen);
/* Starts sending a mail; done is called once from the loop when the
 * server took it (r->curl 0) or the attempt failed.  NULL with a reason
 * when it cannot be started. */
struct curl_xfer *curl_loop_mail(struct curl_loop *h, const struct mail_request *req, curl_done_fn done, void *ud,
				 char *err, size_t errlen);
/* Lets curl start the transfers just posted (connect, send the request)
 * before the caller blocks on something else; their ends are still
 * reported from the loop. */
void curl_loop_kick(struct curl_loop *h);
/* Stops a transfer at once; its done is not called.  *x becomes NULL. */
void curl_loop_cancel(struct curl_loop *h, struct curl_xfer **x);
size_t curl_loop_active(const struct curl_loop *h);

#endif
