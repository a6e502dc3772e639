/* check_cookie: the session cookie read from a Cookie header and set. */
#include "cookie.h"

#include <check.h>
#include <string.h>

static const struct {
	const char *header;
	int rc;
	const char *value;
} s_cases[] = {
	{ "eniscope_session=abc", 1, "abc" },
	{ "a=1; eniscope_session=abc; b=2", 1, "abc" },
	{ "a=1;eniscope_session=abc", 1, "abc" },
	{ "xeniscope_session=abc", 0, NULL },          /* a longer name is another cookie */
	{ "eniscope_session_old=abc", 0, NULL },
	{ "eniscope_session=\"abc\"", 1, "abc" },
	{ "eniscope_session=", 1, "" },
	{ "eniscope_session=1; eniscope_session=2", 1, "1" },
	{ "eniscope_session=0123456789abcdef", -1, NULL }, /* does not fit 16 */
	{ "", 0, NULL },
	{ NULL, 0, NULL },
};

START_TEST(the_named_cookie_is_found_or_not)
{
	char out[16];
	int rc = cookie_get(s_cases[_i].header, COOKIE_SESSION, out, sizeof out);
	ck_assert_msg(rc == s_cases[_i].rc, "%s: %d", s_cases[_i].header, rc);
	if (rc == 1)
		ck_assert_str_eq(out, s_cases[_i].value);
}
END_TEST

START_TEST(the_cookie_is_httponly_strict_and_secure_over_https)
{
	char buf[256];
	ck_assert_int_eq(cookie_format(buf, sizeof buf, COOKIE_SESSION, "abc", 60, false), 0);
	ck_assert_str_eq(buf, "Set-Cookie: eniscope_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict\r\n");
	ck_assert_int_eq(cookie_format(buf, sizeof buf, COOKIE_SESSION, "abc", 60, true), 0);
	ck_assert_ptr_nonnull(strstr(buf, "; Secure\r\n"));
	ck_assert_int_eq(cookie_format(buf, sizeof buf, COOKIE_SESSION, NULL, 60, false), 0);
	ck_assert_str_eq(buf, "Set-Cookie: eniscope_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict\r\n");
	ck_assert_int_eq(cookie_format(buf, 20, COOKIE_SESSION, "abc", 60, false), -1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("cookie");
	TCase *tc = tcase_create("cookie");
	tcase_add_loop_test(tc, the_named_cookie_is_found_or_not, 0, (int)(sizeof s_cases / sizeof s_cases[0]));
	tcase_add_test(tc, the_cookie_is_httponly_strict_and_secure_over_https);
	suite_add_tcase(s, tc);
	return s;
}
