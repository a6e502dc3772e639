/* http: the CGI side of a request and an answer (RFC 3875).  The request
 * comes from the environment lighttpd sets and the body from stdin; the
 * answer goes to stdout as a "Status:" line, headers and a body.  No
 * allocation but the body, and no JSON here, so the small readings CGI can
 * link it alone. */
#ifndef WEB_HTTP_H
#define WEB_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define HTTP_BODY_MAX 65536 /* bytes; lighttpd's server.max-request-size says the same */

struct http_request {
	const char *method;       /* "GET", "POST" ... ("" when unset) */
	const char *path_info;    /* after the CGI's own path: "/config/network" ("" when none) */
	const char *query;        /* QUERY_STRING, "" when none */
	const char *content_type; /* NULL when none */
	long long content_length; /* -1 when none was given */
	const char *cookie;       /* the Cookie header, NULL when none */
	const char *origin;       /* the Origin header, NULL when none */
	const char *host;         /* the Host header, NULL when none */
	const char *remote_addr;  /* the client's address, "" when unset */
	const char *csrf;         /* the X-CSRF-Token header, NULL when none */
	bool https;               /* came over TLS */
};

/* Fills r from variables read through get (getenv in a CGI).  Returns 0,
 * or the HTTP status to answer: 400 for a CONTENT_LENGTH that is not a
 * whole number, 413 for one over HTTP_BODY_MAX. */
int http_request_parse(struct http_request *r, const char *(*get)(const char *name));

/* Reads exactly content_length bytes of body from in into a new NUL
 * terminated buffer (an empty one when there is no body).  0, or the
 * status to answer: 400 when the body ends early, 413 when over max. */
int http_read_body(const struct http_request *r, FILE *in, size_t max, char **body, size_t *len);

/* The request's media type (Content-Type without parameters, any case) is
 * type. */
bool http_media_type(const struct http_request *r, const char *type);

/* A change may go on as far as Origin says: true when the request has no
 * Origin header (not a browser's cross-site request: those always carry
 * one, RFC 6454 section 7 and the Fetch standard) or when Origin is exactly
 * the scheme and Host this request came to.  "null" and any other origin
 * are foreign. */
bool http_origin_ok(const struct http_request *r);

/* "Not Found" for 404 ...; "Error" for a code it does not know. */
const char *http_reason(int status);

/* Writes the status line, Content-Type: application/json, Cache-Control:
 * no-store, the extra header lines (each ending in "\r\n", may be NULL),
 * and the body. */
void http_send(FILE *out, int status, const char *extra_headers, const char *body, size_t len);
/* The same with another Content-Type (a download: the support bundle). */
void http_send_typed(FILE *out, int status, const char *type, const char *extra_headers, const char *body,
		     size_t len);

/* http_send with the body {"error":msg} (msg escaped as a JSON string). */
void http_send_error(FILE *out, int status, const char *extra_headers, const char *msg);

#endif
