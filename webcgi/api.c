/* api: see api.h.  The route table says for each call who may make it
 * and whether it changes something; the checks are made here, once, in
 * the same order for every call: known route, method, session, Origin and
 * CSRF token, body. */
#include "api.h"

#include "msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum who {
	ANYONE,  /* login */
	FACTORY, /* any session, also one with the factory password */
	ADMIN,   /* a session that has set its own password */
	DISPLAY, /* anyone while the display asks no password, else the display's or an admin session */
};

struct route {
	const char *method;
	const char *path; /* exact, or a prefix when it ends in '/' */
	enum who who;
	bool change; /* Origin and X-CSRF-Token checked, body read */
	void (*handler)(struct api *a);
};

static const struct route s_routes[] = {
	{ "POST", "/login", ANYONE, true, api_login },
	{ "POST", "/logout", FACTORY, true, api_logout },
	{ "GET", "/session", FACTORY, false, api_session },
	{ "GET", "/language", ANYONE, false, api_language },
	{ "POST", "/password", FACTORY, true, api_password },
	{ "PUT", "/display-password", ADMIN, true, api_display_password },
	{ "GET", "/display", DISPLAY, false, api_display },
	{ "POST", "/display/login", ANYONE, true, api_display_login },
	{ "GET", "/schema", ADMIN, false, api_schema },
	{ "GET", "/timezones", ADMIN, false, api_timezones },
	{ "GET", "/logo", ADMIN, false, api_logo_get },
	{ "PUT", "/logo", ADMIN, true, api_logo_put },
	{ "DELETE", "/logo", ADMIN, true, api_logo_delete },
	{ "GET", "/status", ADMIN, false, api_status },
	{ "GET", "/probes", ADMIN, false, api_probes },
	{ "GET", "/alarms", ADMIN, false, api_alarms },
	{ "POST", "/alarms/test-email", ADMIN, true, api_alarms_test_email },
	{ "POST", "/update", ADMIN, true, api_update },
	{ "GET", "/history", DISPLAY, false, api_history },
	{ "GET", "/alarms/log", ADMIN, false, api_alarms_log },
	{ "GET", "/config/", ADMIN, false, api_config_get },
	{ "PUT", "/config/", ADMIN, true, api_config_put },
	{ "POST", "/reset", ADMIN, true, api_reset },
	{ "GET", "/reset", ADMIN, false, api_reset_state },
	{ "POST", "/reboot", ADMIN, true, api_reboot },
	{ "GET", "/support", ADMIN, false, api_support },
	{ "GET", "/backup", ADMIN, false, api_backup },
	{ "POST", "/restore", ADMIN, true, api_restore },
	{ NULL, NULL, ANYONE, false, NULL },
};

void api_reply(struct api *a, int status, json_t *doc)
{
	char *text = json_dumps(doc, MSG_JSON_FLAGS | JSON_ENSURE_ASCII);
	json_decref(doc);
	if (!text) {
		http_send_error(stdout, 500, NULL, "out of memory");
		return;
	}
	http_send(stdout, status, a->headers, text, strlen(text));
	free(text);
}

void api_error(struct api *a, int status, const char *msg, const char *field, json_t *errors)
{
	json_t *doc = json_pack("{s:s}", "error", msg);
	if (field)
		json_object_set_new(doc, "field", json_string(field));
	if (errors)
		json_object_set_new(doc, "errors", errors);
	api_reply(a, status, doc);
}

static bool s_match(const struct route *r, const char *path, const char **arg)
{
	size_t n = strlen(r->path);
	if (r->path[n - 1] == '/') {
		*arg = path + n;
		return !strncmp(path, r->path, n) && path[n];
	}
	*arg = "";
	return !strcmp(path, r->path);
}

int main(void)
{
	static struct api a;
	char err[256];
	int rc = web_init(&a.w, true, err, sizeof err);
	if (rc) {
		api_error(&a, rc, err, NULL, NULL);
		return 0;
	}
	const struct route *route = NULL;
	char allow[64] = "";
	for (const struct route *r = s_routes; r->method; r++) {
		const char *arg;
		if (!s_match(r, a.w.req.path_info, &arg))
			continue;
		if (!strcmp(r->method, a.w.req.method)) {
			route = r;
			a.arg = arg;
			break;
		}
		size_t n = strlen(allow);
		snprintf(allow + n, sizeof allow - n, "%s%s", n ? ", " : "", r->method);
	}
	if (!route) {
		if (*allow) {
			snprintf(a.headers, sizeof a.headers, "Allow: %s\r\n", allow);
			api_error(&a, 405, "method not allowed here", NULL, NULL);
		} else {
			api_error(&a, 404, "no such call", NULL, NULL);
		}
		return 0;
	}
	/* the displays, their login and the language stay on HTTP in
	 * HTTPS-only mode; the admin's calls, login included, do not */
	bool display_side = route->who == DISPLAY || route->handler == api_display_login || route->handler == api_language;
	if (!display_side)
		rc = web_admin_transport(&a.w, err, sizeof err);
	if (!rc && route->who == DISPLAY)
		rc = web_display_auth(&a.w, err, sizeof err);
	else if (!rc && route->who != ANYONE)
		rc = web_auth(&a.w, route->who == FACTORY, err, sizeof err);
	if (rc) {
		api_error(&a, rc, err, NULL, NULL);
		return 0;
	}
	if (route->change) {
		if ((rc = web_change_ok(&a.w, route->who != ANYONE && route->who != DISPLAY, err, sizeof err)) ||
		    (rc = http_read_body(&a.w.req, stdin, HTTP_BODY_MAX, &a.body, &a.body_len))) {
			if (rc == 413)
				snprintf(err, sizeof err, "body over %d bytes", HTTP_BODY_MAX);
			else if (rc == 400)
				snprintf(err, sizeof err, "body shorter than its Content-Length");
			api_error(&a, rc, err, NULL, NULL);
			return 0;
		}
	}
	route->handler(&a);
	free(a.body);
	return 0;
}
