/* http: see http.h. */
#include "http.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *s_or(const char *v, const char *dflt)
{
	return v ? v : dflt;
}

int http_request_parse(struct http_request *r, const char *(*get)(const char *name))
{
	memset(r, 0, sizeof *r);
	r->method = s_or(get("REQUEST_METHOD"), "");
	r->path_info = s_or(get("PATH_INFO"), "");
	r->query = s_or(get("QUERY_STRING"), "");
	r->content_type = get("CONTENT_TYPE");
	r->cookie = get("HTTP_COOKIE");
	r->origin = get("HTTP_ORIGIN");
	r->host = get("HTTP_HOST");
	r->remote_addr = s_or(get("REMOTE_ADDR"), "");
	r->csrf = get("HTTP_X_CSRF_TOKEN");
	const char *https = get("HTTPS");
	r->https = https && !strcasecmp(https, "on");
	r->content_length = -1;
	const char *cl = get("CONTENT_LENGTH");
	if (cl && *cl) {
		for (const char *p = cl; *p; p++)
			if (*p < '0' || *p > '9')
				return 400;
		errno = 0;
		unsigned long long n = strtoull(cl, NULL, 10);
		if (errno || n > HTTP_BODY_MAX)
			return 413;
		r->content_length = (long long)n;
	}
	return 0;
}

int http_read_body(const struct http_request *r, FILE *in, size_t max, char **body, size_t *len)
{
	*body = NULL;
	*len = 0;
	size_t want = r->content_length > 0 ? (size_t)r->content_length : 0;
	if (want > max)
		return 413;
	char *buf = malloc(want + 1);
	if (!buf)
		return 413;
	size_t got = want ? fread(buf, 1, want, in) : 0;
	if (got != want) {
		free(buf);
		return 400;
	}
	buf[got] = '\0';
	*body = buf;
	*len = got;
	return 0;
}

bool http_media_type(const struct http_request *r, const char *type)
{
	if (!r->content_type)
		return false;
	size_t n = strlen(type);
	const char *ct = r->content_type;
	if (strncasecmp(ct, type, n))
		return false;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

bool http_origin_ok(const struct http_request *r)
{
	if (!r->origin)
		return true;
	if (!r->host || !*r->host)
		return false;
	const char *scheme = r->https ? "https://" : "http://";
	size_t sl = strlen(scheme);
	if (strncasecmp(r->origin, scheme, sl))
		return false;
	/* host names compare without case (RFC 3986 section 3.2.2); a port
	 * must be the same one */
	return !strcasecmp(r->origin + sl, r->host);
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

void http_send_typed(FILE *out, int status, const char *type, const char *extra_headers, const char *body,
		     size_t len)
{
	fprintf(out,
		"Status: %d %s\r\n"
		"Content-Type: %s\r\n"
		"Cache-Control: no-store\r\n"
		"%s\r\n",
		status, http_reason(status), type, extra_headers ? extra_headers : "");
	fwrite(body, 1, len, out);
}

void http_send(FILE *out, int status, const char *extra_headers, const char *body, size_t len)
{
	http_send_typed(out, status, "application/json; charset=utf-8", extra_headers, body, len);
}

void http_send_error(FILE *out, int status, const char *extra_headers, const char *msg)
{
	char body[1024];
	size_t n = 0;
	n += (size_t)snprintf(body, sizeof body, "{\"error\":\"");
	for (const unsigned char *p = (const unsigned char *)msg; *p && n < sizeof body - 16; p++) {
		if (*p == '"' || *p == '\\')
			n += (size_t)snprintf(body + n, sizeof body - n, "\\%c", *p);
		else if (*p < 0x20)
			n += (size_t)snprintf(body + n, sizeof body - n, "\\u%04x", *p);
		else
			body[n++] = (char)*p;
	}
	n += (size_t)snprintf(body + n, sizeof body - n, "\"}");
	http_send(out, status, extra_headers, body, n);
}
