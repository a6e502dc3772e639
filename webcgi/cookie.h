/* cookie: the session cookie in and out (RFC 6265). */
#ifndef WEB_COOKIE_H
#define WEB_COOKIE_H

#include <stdbool.h>
#include <stddef.h>

#define COOKIE_SESSION "eniscope_session"
#define COOKIE_DISPLAY "eniscope_display" /* the display password's session (web.h) */

/* The value of the first cookie named name in a Cookie header ("a=1; b=2")
 * into out.  1 when found, 0 when absent (or header NULL), -1 when the
 * value does not fit in out. */
int cookie_get(const char *header, const char *name, char *out, size_t outlen);

/* A Set-Cookie header line ending in "\r\n" into buf: HttpOnly,
 * SameSite=Strict, Path=/, Secure when secure; Max-Age=max_age_s, or 0 and
 * an empty value to delete it (value NULL).  -1 when it does not fit. */
int cookie_format(char *buf, size_t len, const char *name, const char *value, long max_age_s, bool secure);

#endif
