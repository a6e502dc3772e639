/* web: what every CGI of the admin does before its own work: the request,
 * where the web state lives, who is asking (the session cookie) and
 * whether a change may go on (Origin and CSRF token).  No JSON here, so
 * the readings CGI stays a small static program.
 *
 *   $ENISCOPE_DATA/web/credentials    the admin's password hash (passwd.h)
 *   $ENISCOPE_DATA/web/logo.png       the company logo (api_logo.c), served at /logo.png
 *   $ENISCOPE_RUNDIR/web/sessions/    one file per session (session.h)
 *   $ENISCOPE_RUNDIR/web/logins/      failed logins per address (ratelimit.h)
 *   $ENISCOPE_RUNDIR/web/display/     the display's sessions (display password)
 *   $ENISCOPE_RUNDIR/readings.json    readingsd's snapshot (docs/API.md)
 *   $ENISCOPE_RUNDIR/display-access   "open" or "login": whether the display
 *                                     asks for its password (readingsd writes it
 *                                     from security.display_login) */
#ifndef WEB_WEB_H
#define WEB_WEB_H

#include "http.h"
#include "session.h"

#include <limits.h>
#include <stdbool.h>

struct web {
	struct http_request req;
	long long now;    /* Unix seconds */
	long long now_ms; /* the same instant in ms */
	char credentials[PATH_MAX];
	char logo[PATH_MAX];
	char sessions[PATH_MAX];
	char logins[PATH_MAX];
	char display_sessions[PATH_MAX];
	struct session session; /* valid when has_session */
	bool has_session;
};

/* Reads the request from the environment and, with make_dirs, makes the
 * state directories (0700) when missing (a CGI that only reads sessions
 * need not).  0, or the HTTP status to answer with err. */
int web_init(struct web *w, bool make_dirs, char *err, size_t errlen);

/* Whether the admin may be reached this way: 0, or 403 with err over plain
 * HTTP when ENISCOPE_ADMIN_HTTPS_ONLY is set (and not "0").  The displays
 * and their password stay on HTTP for the wall screens (docs/SECURITY.md). */
int web_admin_transport(const struct web *w, char *err, size_t errlen);

/* Finds the caller's session from the cookie (over a transport the admin
 * may use: web_admin_transport).  0 when there is one (and it has set its
 * own password, unless factory_ok), else 401 (no session) or 403 (the
 * factory password is still in use, or plain HTTP in HTTPS-only mode) with
 * err. */
int web_auth(struct web *w, bool factory_ok, char *err, size_t errlen);

/* Whether the caller may see the displays (docs/DISPLAY.md): anyone while
 * readingsd says "open" in $ENISCOPE_RUNDIR/display-access, else a display
 * session (the display password) or an admin session (own password set).
 * No file, or anything but "open" in it, asks for the password (closed).
 * 0, or 401 with err. */
int web_display_auth(struct web *w, char *err, size_t errlen);

/* The start of a CGI that only sends (readings, live): the request (no
 * state directories made), GET only, then the caller checked: an admin
 * session (web_auth) or, with display, the displays' rule
 * (web_display_auth).  true when it may go on; otherwise the error answer
 * (405 with Allow, 401, 403) has been sent to stdout. */
bool web_start_get(struct web *w, bool display);

/* A change (POST/PUT/DELETE) may go on: Origin is this site's (or absent)
 * and, when with_token, X-CSRF-Token is the session's.  0, or 403 with err. */
int web_change_ok(struct web *w, bool with_token, char *err, size_t errlen);

/* The session cookie's Set-Cookie line for s (NULL: delete it) into buf. */
void web_cookie(const struct web *w, const struct session *s, char *buf, size_t len);
/* The same for the display's session cookie. */
void web_display_cookie(const struct web *w, const struct session *s, char *buf, size_t len);

#endif
