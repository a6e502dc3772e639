/* web: see web.h. */
#include "web.h"

#include "cookie.h"
#include "paths.h"
#include "regular_file.h"
#include "secret.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *s_getenv(const char *name)
{
	return getenv(name);
}

static int s_mkdir(const char *path, char *err, size_t errlen)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return -1;
}

int web_init(struct web *w, bool make_dirs, char *err, size_t errlen)
{
	memset(w, 0, sizeof *w);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	w->now = (long long)ts.tv_sec;
	w->now_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	int rc = http_request_parse(&w->req, s_getenv);
	if (rc) {
		snprintf(err, errlen, rc == 413 ? "body over %d bytes" : "bad Content-Length", HTTP_BODY_MAX);
		return rc;
	}
	char data[PATH_MAX], run[PATH_MAX];
	snprintf(data, sizeof data, "%s/web", paths_datadir());
	snprintf(run, sizeof run, "%s/web", paths_rundir());
	snprintf(w->credentials, sizeof w->credentials, "%s/" PATHS_WEB_CREDENTIALS, paths_datadir());
	snprintf(w->logo, sizeof w->logo, "%s/" PATHS_WEB_LOGO, paths_datadir());
	snprintf(w->sessions, sizeof w->sessions, "%s/" PATHS_WEB_SESSIONS, paths_rundir());
	snprintf(w->logins, sizeof w->logins, "%s/logins", run);
	snprintf(w->display_sessions, sizeof w->display_sessions, "%s/display", run);
	umask(077);
	if (make_dirs && (s_mkdir(data, err, errlen) || s_mkdir(run, err, errlen) || s_mkdir(w->sessions, err, errlen) ||
	    s_mkdir(w->logins, err, errlen) || s_mkdir(w->display_sessions, err, errlen)))
		return 500;
	return 0;
}

int web_admin_transport(const struct web *w, char *err, size_t errlen)
{
	const char *https_only = getenv("ENISCOPE_ADMIN_HTTPS_ONLY");
	if (https_only && *https_only && strcmp(https_only, "0") && !w->req.https) {
		snprintf(err, errlen, "the admin is served only over HTTPS");
		return 403;
	}
	return 0;
}

int web_auth(struct web *w, bool factory_ok, char *err, size_t errlen)
{
	int rc = web_admin_transport(w, err, errlen);
	if (rc)
		return rc;
	char id[SESSION_ID_LEN + 1];
	if (cookie_get(w->req.cookie, COOKIE_SESSION, id, sizeof id) != 1 ||
	    session_find(w->sessions, id, w->now, &w->session) != 1) {
		snprintf(err, errlen, "not logged in");
		return 401;
	}
	w->has_session = true;
	if (w->session.must_change && !factory_ok) {
		snprintf(err, errlen, "password change required");
		return 403;
	}
	return 0;
}

/* Whether readingsd's display-access file says "open". */
static bool s_display_open(void)
{
	char path[PATH_MAX], why[PATH_MAX + 64], buf[8] = "";
	snprintf(path, sizeof path, "%s/display-access", paths_rundir());
	int fd = regular_file_open(path, 0, why, sizeof why);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return !strcmp(buf, "open\n") || !strcmp(buf, "open");
}

int web_display_auth(struct web *w, char *err, size_t errlen)
{
	if (s_display_open())
		return 0;
	char id[SESSION_ID_LEN + 1];
	struct session s;
	if (cookie_get(w->req.cookie, COOKIE_DISPLAY, id, sizeof id) == 1 &&
	    session_find(w->display_sessions, id, w->now, &s) == 1)
		return 0;
	if (web_auth(w, false, err, errlen) == 0)
		return 0;
	snprintf(err, errlen, "display password required");
	return 401;
}

bool web_start_get(struct web *w, bool display)
{
	char err[256];
	int rc = web_init(w, false, err, sizeof err);
	if (!rc && strcmp(w->req.method, "GET")) {
		http_send_error(stdout, 405, "Allow: GET\r\n", "only GET");
		return false;
	}
	if (!rc)
		rc = display ? web_display_auth(w, err, sizeof err) : web_auth(w, false, err, sizeof err);
	if (rc)
		http_send_error(stdout, rc, NULL, err);
	return rc == 0;
}

int web_change_ok(struct web *w, bool with_token, char *err, size_t errlen)
{
	if (!http_origin_ok(&w->req)) {
		snprintf(err, errlen, "request from a foreign origin");
		return 403;
	}
	if (with_token && (!w->has_session || !w->req.csrf || !secret_equal(w->req.csrf, w->session.csrf))) {
		snprintf(err, errlen, "missing or wrong X-CSRF-Token");
		return 403;
	}
	return 0;
}

void web_cookie(const struct web *w, const struct session *s, char *buf, size_t len)
{
	if (cookie_format(buf, len, COOKIE_SESSION, s ? s->id : NULL, SESSION_LIFETIME_S, w->req.https) < 0)
		buf[0] = '\0';
}

void web_display_cookie(const struct web *w, const struct session *s, char *buf, size_t len)
{
	if (cookie_format(buf, len, COOKIE_DISPLAY, s ? s->id : NULL, SESSION_LIFETIME_S, w->req.https) < 0)
		buf[0] = '\0';
}
