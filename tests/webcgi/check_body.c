/* check_body: login and password bodies as JSON or as a form. */
#include "body.h"

#include <check.h>
#include <string.h>

static const struct {
	const char *type, *body;
	int rc;
	const char *user, *field;
} s_cases[] = {
	{ "application/json", "{\"username\":\"admin\",\"password\":\"pw\"}", 0, "admin", NULL },
	{ "application/json; charset=utf-8", "{\"password\":\"pw\",\"username\":\"a\\u00e9\"}", 0, "a\xc3\xa9", NULL },
	{ "application/x-www-form-urlencoded", "username=admin&password=pw", 0, "admin", NULL },
	{ "text/plain", "username=admin&password=pw", 415, NULL, NULL },
	{ NULL, "username=admin&password=pw", 415, NULL, NULL },
	{ "application/json", "{\"username\":\"admin\"}", 400, NULL, "password" },
	{ "application/json", "{\"username\":1,\"password\":\"pw\"}", 400, NULL, "username" },
	{ "application/json", "{\"username\":\"a\\nb\",\"password\":\"pw\"}", 400, NULL, "username" },
	{ "application/json", "{\"username\":\"a\\u0000b\",\"password\":\"pw\"}", 400, NULL, NULL },
	{ "application/json", "{\"username\":\"a\",\"username\":\"b\",\"password\":\"pw\"}", 400, NULL, NULL },
	{ "application/json", "[\"admin\",\"pw\"]", 400, NULL, NULL },
	{ "application/json", "{\"username\":\"admin\",", 400, NULL, NULL },
	{ "application/json", "", 400, NULL, NULL },
	{ "application/json", "{\"username\":\"0123456789abcdef\",\"password\":\"pw\"}", 400, NULL, "username" },
	{ "application/x-www-form-urlencoded", "username=admin", 400, NULL, "password" },
	{ "application/x-www-form-urlencoded", "username=a%0Ab&password=pw", 400, NULL, "username" },
};

START_TEST(fields_decode_from_json_or_a_form_or_are_refused_by_name)
{
	char user[16], pw[16], err[256];
	const char *field;
	const struct body_field fields[] = { { "username", user, sizeof user }, { "password", pw, sizeof pw },
					     { NULL, NULL, 0 } };
	struct http_request r = { .content_type = s_cases[_i].type };
	const char *b = s_cases[_i].body;
	int rc = body_fields(&r, b, strlen(b), fields, err, sizeof err, &field);
	ck_assert_msg(rc == s_cases[_i].rc, "%s: %d %s", b, rc, err);
	if (rc == 0) {
		ck_assert_str_eq(user, s_cases[_i].user);
		ck_assert_str_eq(pw, "pw");
	}
	if (s_cases[_i].field) {
		ck_assert_ptr_nonnull(field);
		ck_assert_str_eq(field, s_cases[_i].field);
		ck_assert_ptr_nonnull(strstr(err, s_cases[_i].field));
	}
}
END_TEST

START_TEST(a_json_error_names_line_and_column)
{
	json_t *doc;
	char err[256];
	ck_assert_int_eq(body_json("{\n\"a\":}", 7, &doc, err, sizeof err), 400);
	ck_assert_ptr_nonnull(strstr(err, "line 2"));
	ck_assert_int_eq(body_json("{\"a\":1}", 7, &doc, err, sizeof err), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "a")), 1);
	json_decref(doc);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("body");
	TCase *tc = tcase_create("body");
	tcase_add_loop_test(tc, fields_decode_from_json_or_a_form_or_are_refused_by_name, 0,
			    (int)(sizeof s_cases / sizeof s_cases[0]));
	tcase_add_test(tc, a_json_error_names_line_and_column);
	suite_add_tcase(s, tc);
	return s;
}
