/* check_form: form and query string decoding. */
#include "form.h"

#include <check.h>
#include <string.h>

static const struct {
	const char *input, *name;
	int rc;
	const char *value;
} s_cases[] = {
	{ "username=admin&password=secret", "password", 1, "secret" },
	{ "username=admin&password=secret", "username", 1, "admin" },
	{ "a=1&b=2", "c", 0, NULL },
	{ "a=hello+world%21", "a", 1, "hello world!" },
	{ "a=%e2%82%ac", "a", 1, "\xe2\x82\xac" },     /* UTF-8 passes as bytes */
	{ "pass%77ord=x", "password", 1, "x" },        /* names decode too */
	{ "a=1&a=2", "a", 1, "1" },                     /* the first counts */
	{ "a", "a", 1, "" },
	{ "a=", "a", 1, "" },
	{ "&&a=1&", "a", 1, "1" },
	{ "a=%4", "a", -1, NULL },                      /* % without two hex digits */
	{ "a=%zz", "a", -1, NULL },
	{ "a=%", "a", -1, NULL },
	{ "a=x%00y", "a", -1, NULL },                   /* a NUL would cut the value */
	{ "a=x%0Ay", "a", -1, NULL },                   /* newline */
	{ "a=x%3b%24(id)%60", "a", 1, "x;$(id)`" },     /* decoded as text, checked by the schema */
	{ "a=0123456789abcdef", "a", -1, NULL },        /* longer than out (16) */
	{ "a=0123456789abcde", "a", 1, "0123456789abcde" },
	{ "", "a", 0, NULL },
};

START_TEST(form_values_decode_or_are_refused)
{
	char out[16];
	int rc = form_get(s_cases[_i].input, strlen(s_cases[_i].input), s_cases[_i].name, out, sizeof out);
	ck_assert_msg(rc == s_cases[_i].rc, "%s: %d", s_cases[_i].input, rc);
	if (rc == 1)
		ck_assert_str_eq(out, s_cases[_i].value);
}
END_TEST

START_TEST(the_length_bounds_the_input_not_a_nul)
{
	char out[16];
	ck_assert_int_eq(form_get("a=12345", 4, "a", out, sizeof out), 1);
	ck_assert_str_eq(out, "12");
	ck_assert_int_eq(form_get("a=1%41", 5, "a", out, sizeof out), -1); /* "%4" at the end */
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("form");
	TCase *tc = tcase_create("form");
	tcase_add_loop_test(tc, form_values_decode_or_are_refused, 0, (int)(sizeof s_cases / sizeof s_cases[0]));
	tcase_add_test(tc, the_length_bounds_the_input_not_a_nul);
	suite_add_tcase(s, tc);
	return s;
}
