/* check_web: who is asking (the session cookie) and whether a change may
 * go on (Origin and the CSRF token), as every CGI checks them. */
#include "web.h"

#include "cookie.h"

#include "../common/scratch.h"

static char *s_dir;

static void s_setup(void)
{
	s_dir = scratch_dir_new("web");
	char run[512], data[512];
	snprintf(run, sizeof run, "%s/run", s_dir);
	snprintf(data, sizeof data, "%s/data", s_dir);
	mkdir(run, 0700);
	mkdir(data, 0700);
	setenv("ENISCOPE_RUNDIR", run, 1);
	setenv("ENISCOPE_DATA", data, 1);
	static const char *const vars[] = { "HTTP_COOKIE", "HTTP_ORIGIN", "HTTP_HOST", "HTTP_X_CSRF_TOKEN", "HTTPS",
					    "ENISCOPE_ADMIN_HTTPS_ONLY", NULL };
	for (const char *const *v = vars; *v; v++)
		unsetenv(*v);
	setenv("REQUEST_METHOD", "POST", 1);
}

static void s_teardown(void)
{
	scratch_dir_remove(s_dir);
}

/* A web with a session for admin (must_change as given), its cookie set. */
static void s_logged_in(struct web *w, bool must_change, struct session *s)
{
	char err[256];
	ck_assert_int_eq(web_init(w, true, err, sizeof err), 0);
	ck_assert_int_eq(session_create(w->sessions, "admin", must_change, w->now, s), 0);
	char cookie[128];
	snprintf(cookie, sizeof cookie, "other=1; %s=%s", COOKIE_SESSION, s->id);
	setenv("HTTP_COOKIE", cookie, 1);
	ck_assert_int_eq(web_init(w, true, err, sizeof err), 0);
}

START_TEST(init_makes_the_state_directories_private)
{
	struct web w;
	char err[256];
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	struct stat st;
	ck_assert_int_eq(stat(w.sessions, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(stat(w.logins, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
}
END_TEST

START_TEST(no_or_an_unknown_cookie_is_401)
{
	struct web w;
	char err[256];
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	ck_assert_int_eq(web_auth(&w, true, err, sizeof err), 401);
	setenv("HTTP_COOKIE", COOKIE_SESSION "=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 1);
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	ck_assert_int_eq(web_auth(&w, true, err, sizeof err), 401);
}
END_TEST

START_TEST(a_factory_password_session_may_only_do_what_allows_it)
{
	struct web w;
	struct session s;
	char err[256];
	s_logged_in(&w, true, &s);
	ck_assert_int_eq(web_auth(&w, false, err, sizeof err), 403);
	ck_assert_str_eq(err, "password change required");
	ck_assert_int_eq(web_auth(&w, true, err, sizeof err), 0);
}
END_TEST

START_TEST(a_change_needs_the_sessions_token)
{
	struct web w;
	struct session s;
	char err[256];
	s_logged_in(&w, false, &s);
	ck_assert_int_eq(web_auth(&w, false, err, sizeof err), 0);
	ck_assert_int_eq(web_change_ok(&w, true, err, sizeof err), 403); /* no header */
	setenv("HTTP_X_CSRF_TOKEN", s.id, 1); /* the session id is not the token */
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	ck_assert_int_eq(web_auth(&w, false, err, sizeof err), 0);
	ck_assert_int_eq(web_change_ok(&w, true, err, sizeof err), 403);
	setenv("HTTP_X_CSRF_TOKEN", s.csrf, 1);
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	ck_assert_int_eq(web_auth(&w, false, err, sizeof err), 0);
	ck_assert_int_eq(web_change_ok(&w, true, err, sizeof err), 0);
	/* another session's token is not this one's */
	struct session other;
	ck_assert_int_eq(session_create(w.sessions, "admin", false, w.now, &other), 0);
	setenv("HTTP_X_CSRF_TOKEN", other.csrf, 1);
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	ck_assert_int_eq(web_auth(&w, false, err, sizeof err), 0);
	ck_assert_int_eq(web_change_ok(&w, true, err, sizeof err), 403);
}
END_TEST

START_TEST(a_change_from_a_foreign_origin_is_refused_even_with_the_token)
{
	struct web w;
	struct session s;
	char err[256];
	s_logged_in(&w, false, &s);
	setenv("HTTP_X_CSRF_TOKEN", s.csrf, 1);
	setenv("HTTP_HOST", "hub:8080", 1);
	setenv("HTTP_ORIGIN", "http://evil.example", 1);
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	ck_assert_int_eq(web_auth(&w, false, err, sizeof err), 0);
	ck_assert_int_eq(web_change_ok(&w, true, err, sizeof err), 403);
	ck_assert_str_eq(err, "request from a foreign origin");
	setenv("HTTP_ORIGIN", "http://hub:8080", 1);
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	ck_assert_int_eq(web_auth(&w, false, err, sizeof err), 0);
	ck_assert_int_eq(web_change_ok(&w, true, err, sizeof err), 0);
	/* login has no token yet, but its Origin is checked all the same */
	setenv("HTTP_ORIGIN", "http://evil.example", 1);
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	ck_assert_int_eq(web_change_ok(&w, false, err, sizeof err), 403);
}
END_TEST

START_TEST(https_only_refuses_plain_http)
{
	struct web w;
	char err[256];
	setenv("ENISCOPE_ADMIN_HTTPS_ONLY", "1", 1);
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0); /* the displays stay on HTTP */
	ck_assert_int_eq(web_admin_transport(&w, err, sizeof err), 403);
	ck_assert_int_eq(web_auth(&w, false, err, sizeof err), 403);
	setenv("HTTPS", "on", 1);
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	ck_assert_int_eq(web_admin_transport(&w, err, sizeof err), 0);
	unsetenv("HTTPS");
	setenv("ENISCOPE_ADMIN_HTTPS_ONLY", "0", 1);
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	ck_assert_int_eq(web_admin_transport(&w, err, sizeof err), 0);
}
END_TEST

/* Writes s_dir/run/display-access with text (NULL: none). */
static void s_access(const char *text)
{
	char path[600];
	snprintf(path, sizeof path, "%s/run/display-access", s_dir);
	unlink(path);
	if (!text)
		return;
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Who may see the displays: readingsd's file, then a display session or
 * an admin session that set its own password; closed when in doubt. */
START_TEST(the_display_is_open_only_when_readingsd_says_so)
{
	static const struct {
		const char *access; /* display-access's text, NULL: no file */
		const char *cookie; /* "display", "admin", "factory" or NULL */
		int want;
	} cases[] = {
		{ "open\n", NULL, 0 },
		{ "login\n", NULL, 401 },
		{ NULL, NULL, 401 },
		{ "", NULL, 401 },
		{ "opened\n", NULL, 401 }, /* only the word readingsd writes opens */
		{ "OPEN\n", NULL, 401 },
		{ "login\n", "display", 0 },
		{ "login\n", "admin", 0 },
		{ "login\n", "factory", 401 },
		{ NULL, "display", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsetenv("HTTP_COOKIE");
		s_access(cases[i].access);
		struct web w;
		struct session s;
		char err[256], cookie[128];
		if (cases[i].cookie && !strcmp(cases[i].cookie, "display")) {
			ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
			ck_assert_int_eq(session_create(w.display_sessions, "display", false, w.now, &s), 0);
			snprintf(cookie, sizeof cookie, "%s=%s", COOKIE_DISPLAY, s.id);
			setenv("HTTP_COOKIE", cookie, 1);
			ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
		} else if (cases[i].cookie) {
			s_logged_in(&w, !strcmp(cases[i].cookie, "factory"), &s);
		} else {
			ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
		}
		ck_assert_msg(web_display_auth(&w, err, sizeof err) == cases[i].want, "case %zu: %s with %s", i,
			      cases[i].access ? cases[i].access : "(no file)", cases[i].cookie ? cases[i].cookie : "no cookie");
	}
}
END_TEST

/* A display session is not an admin session: its cookie under the admin's
 * name finds nothing (separate directories) */
START_TEST(a_display_session_is_no_admin_session)
{
	struct web w;
	struct session s;
	char err[256], cookie[128];
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	ck_assert_int_eq(session_create(w.display_sessions, "display", false, w.now, &s), 0);
	snprintf(cookie, sizeof cookie, "%s=%s", COOKIE_SESSION, s.id);
	setenv("HTTP_COOKIE", cookie, 1);
	ck_assert_int_eq(web_init(&w, true, err, sizeof err), 0);
	ck_assert_int_eq(web_auth(&w, true, err, sizeof err), 401);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("web");
	TCase *tc = tcase_create("web");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, init_makes_the_state_directories_private);
	tcase_add_test(tc, no_or_an_unknown_cookie_is_401);
	tcase_add_test(tc, a_factory_password_session_may_only_do_what_allows_it);
	tcase_add_test(tc, a_change_needs_the_sessions_token);
	tcase_add_test(tc, a_change_from_a_foreign_origin_is_refused_even_with_the_token);
	tcase_add_test(tc, https_only_refuses_plain_http);
	tcase_add_test(tc, the_display_is_open_only_when_readingsd_says_so);
	tcase_add_test(tc, a_display_session_is_no_admin_session);
	suite_add_tcase(s, tc);
	return s;
}
