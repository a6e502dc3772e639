/* api_auth: login, logout, session and password change (docs/API.md). */
#include "api.h"

#include "body.h"
#include "config.h"
#include "config_keys.h"
#include "passwd.h"
#include "paths.h"
#include "ratelimit.h"

#include <stdio.h>
#include <string.h>

#define S_FIELD_MAX (PASSWD_MAX_LEN * 2 + 1) /* room to say "too long" ourselves */

/* 429 with Retry-After when addr must wait; true when it answered. */
static bool s_too_fast(struct api *a)
{
	long long wait_ms = ratelimit_wait(a->w.logins, a->w.req.remote_addr, a->w.now_ms);
	if (!wait_ms)
		return false;
	long wait = (long)((wait_ms + 999) / 1000);
	snprintf(a->headers, sizeof a->headers, "Retry-After: %ld\r\n", wait);
	api_reply(a, 429, json_pack("{s:s,s:i}", "error", "too many failed logins from this address", "retry_after_s",
				    (int)wait));
	return true;
}

bool api_login_fields(struct api *a, const struct body_field *fields)
{
	if (s_too_fast(a))
		return false;
	char err[256];
	const char *field;
	int rc = body_fields(&a->w.req, a->body, a->body_len, fields, err, sizeof err, &field);
	if (rc)
		api_error(a, rc, err, field, NULL);
	return rc == 0;
}

/* A new session for user, its cookie among the answer's headers. */
static int s_new_session(struct api *a, const char *user, bool must_change)
{
	if (session_create(a->w.sessions, user, must_change, a->w.now, &a->w.session) < 0) {
		api_error(a, 500, "cannot make a session", NULL, NULL);
		return -1;
	}
	a->w.has_session = true;
	web_cookie(&a->w, &a->w.session, a->headers, sizeof a->headers);
	return 0;
}

void api_login(struct api *a)
{
	char user[64], password[S_FIELD_MAX], err[256];
	const struct body_field fields[] = {
		{ "username", user, sizeof user },
		{ "password", password, sizeof password },
		{ NULL, NULL, 0 },
	};
	if (!api_login_fields(a, fields))
		return;
	bool must_change;
	int ok = passwd_check(a->w.credentials, user, password, &must_change, err, sizeof err);
	explicit_bzero(password, sizeof password);
	if (ok < 0) {
		api_error(a, 500, err, NULL, NULL);
		return;
	}
	ratelimit_record(a->w.logins, a->w.req.remote_addr, a->w.now_ms, ok);
	if (!ok) {
		api_error(a, 401, "wrong user name or password", NULL, NULL);
		return;
	}
	/* a session id the client had before (perhaps one an attacker planted:
	 * session fixation) is ended, never carried over */
	if (web_auth(&a->w, true, err, sizeof err) != 401)
		session_end(a->w.sessions, a->w.session.id);
	if (s_new_session(a, user, must_change) < 0)
		return;
	api_reply(a, 200, json_pack("{s:s,s:b,s:s}", "user", a->w.session.user, "must_change_password", must_change,
				    "csrf", a->w.session.csrf));
}

void api_logout(struct api *a)
{
	session_end(a->w.sessions, a->w.session.id);
	web_cookie(&a->w, NULL, a->headers, sizeof a->headers);
	api_reply(a, 200, json_pack("{s:b}", "ok", 1));
}

void api_session(struct api *a)
{
	struct config *cfg = config_load(paths_config(), NULL);
	const char *company = cfg ? cfg_hub_company(cfg) : NULL;
	bool registered = company && *company;
	config_destroy(&cfg);
	api_reply(a, 200, json_pack("{s:s,s:s,s:b,s:b,s:I,s:b}", "user", a->w.session.user, "csrf", a->w.session.csrf,
				    "must_change_password", a->w.session.must_change, "registered", registered,
				    "expires", (json_int_t)(a->w.session.created + SESSION_LIFETIME_S), "https",
				    a->w.req.https));
}

/* The pages' language (interface.language) for anyone, the login page
 * included; English when the config cannot be read. */
void api_language(struct api *a)
{
	struct config *cfg = config_load(paths_config(), NULL);
	json_t *doc = json_pack("{s:s}", "language", cfg ? cfg_interface_language(cfg) : "en");
	config_destroy(&cfg);
	api_reply(a, 200, doc);
}

void api_password(struct api *a)
{
	char current[S_FIELD_MAX], new[S_FIELD_MAX], err[256];
	const struct body_field fields[] = {
		{ "current", current, sizeof current },
		{ "new", new, sizeof new },
		{ NULL, NULL, 0 },
	};
	if (!api_login_fields(a, fields))
		return;
	bool factory;
	int ok = passwd_check(a->w.credentials, a->w.session.user, current, &factory, err, sizeof err);
	const char *why = ok == 1 ? passwd_policy(new, current) : NULL;
	explicit_bzero(current, sizeof current);
	if (ok < 0) {
		api_error(a, 500, err, NULL, NULL);
	} else if (!ok) {
		/* a stolen session must not become a way to guess the password */
		ratelimit_record(a->w.logins, a->w.req.remote_addr, a->w.now_ms, false);
		api_error(a, 403, "current password is wrong", "current", NULL);
	} else if (why) {
		snprintf(err, sizeof err, "new: %s", why);
		api_error(a, 400, err, "new", NULL);
	} else if (passwd_set(a->w.credentials, a->w.session.user, new, err, sizeof err) < 0) {
		api_error(a, 500, err, NULL, NULL);
	} else {
		/* every session of the user ends; the caller goes on in a new one */
		session_end_user(a->w.sessions, a->w.session.user);
		char user[SESSION_USER_MAX + 1];
		snprintf(user, sizeof user, "%s", a->w.session.user);
		if (s_new_session(a, user, false) == 0)
			api_reply(a, 200, json_pack("{s:b,s:s}", "ok", 1, "csrf", a->w.session.csrf));
	}
	explicit_bzero(new, sizeof new);
}

static int s_set_display_hash(json_t *doc, void *ud, char *err, size_t errlen)
{
	json_t *v = json_string(ud);
	int rc = config_path_set(doc, "security.display_password_hash", v, err, errlen);
	json_decref(v);
	return rc;
}

void api_display_password(struct api *a)
{
	char pw[S_FIELD_MAX], err[256], hash[256];
	const struct body_field fields[] = { { "password", pw, sizeof pw }, { NULL, NULL, 0 } };
	if (!api_login_fields(a, fields))
		return;
	/* the admin's rules, and never the admin's own password: this one is
	 * given to whoever may watch the display */
	bool factory;
	const char *why = passwd_policy(pw, NULL);
	if (!why && passwd_check(a->w.credentials, a->w.session.user, pw, &factory, err, sizeof err) == 1)
		why = "must differ from the admin password";
	int rc = why ? 0 : passwd_hash(pw, hash, sizeof hash, err, sizeof err);
	explicit_bzero(pw, sizeof pw);
	if (why) {
		snprintf(err, sizeof err, "password: %s", why);
		api_error(a, 400, err, "password", NULL);
		return;
	}
	if (rc < 0) {
		api_error(a, 500, err, NULL, NULL);
		return;
	}
	json_t *errors = NULL;
	rc = config_update(paths_config(), s_set_display_hash, hash, &errors);
	explicit_bzero(hash, sizeof hash);
	if (rc < 0) {
		json_t *first = json_array_get(errors, 0);
		snprintf(err, sizeof err, "%s", json_string_value(json_object_get(first, "error")));
		api_error(a, 500, err, NULL, errors);
		return;
	}
	json_decref(errors);
	/* whoever knew the old password sees the display no more, as a
	 * changed admin password ends the admin's sessions */
	session_end_user(a->w.display_sessions, "display");
	api_reply(a, 200, json_pack("{s:b}", "ok", 1));
}
