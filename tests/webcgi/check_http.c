/* check_http: the CGI request from the environment, media types, the
 * Origin rule and the answer's shape. */
#include "http.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a fake environment: NAME=value strings, NULL-terminated */
static const char *const *s_env;

static const char *s_get(const char *name)
{
	size_t n = strlen(name);
	for (const char *const *e = s_env; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

START_TEST(a_request_is_read_from_the_cgi_variables)
{
	static const char *const env[] = { "REQUEST_METHOD=PUT", "PATH_INFO=/config/network", "QUERY_STRING=a=1",
					   "CONTENT_TYPE=application/json; charset=utf-8", "CONTENT_LENGTH=12",
					   "HTTP_COOKIE=x=1", "HTTP_ORIGIN=http://hub:8080", "HTTP_HOST=hub:8080",
					   "REMOTE_ADDR=10.0.0.9", "HTTP_X_CSRF_TOKEN=abc", "HTTPS=on", NULL };
	s_env = env;
	struct http_request r;
	ck_assert_int_eq(http_request_parse(&r, s_get), 0);
	ck_assert_str_eq(r.method, "PUT");
	ck_assert_str_eq(r.path_info, "/config/network");
	ck_assert_str_eq(r.query, "a=1");
	ck_assert_int_eq(r.content_length, 12);
	ck_assert_str_eq(r.cookie, "x=1");
	ck_assert_str_eq(r.remote_addr, "10.0.0.9");
	ck_assert_str_eq(r.csrf, "abc");
	ck_assert(r.https);
	ck_assert(http_media_type(&r, "application/json"));
	ck_assert(!http_media_type(&r, "application/js"));
}
END_TEST

START_TEST(missing_variables_read_as_empty_or_absent)
{
	s_env = NULL;
	struct http_request r;
	ck_assert_int_eq(http_request_parse(&r, s_get), 0);
	ck_assert_str_eq(r.method, "");
	ck_assert_str_eq(r.path_info, "");
	ck_assert_int_eq(r.content_length, -1);
	ck_assert_ptr_null(r.cookie);
	ck_assert(!r.https);
	ck_assert(!http_media_type(&r, "application/json"));
}
END_TEST

static const struct {
	const char *length;
	int status;
} s_lengths[] = {
	{ "0", 0 }, { "65536", 0 }, { "65537", 413 }, { "99999999999999999999999", 413 },
	{ "-1", 400 }, { "12a", 400 }, { " 12", 400 }, { "", 0 },
};

START_TEST(content_length_must_be_a_whole_number_within_the_limit)
{
	char var[64];
	snprintf(var, sizeof var, "CONTENT_LENGTH=%s", s_lengths[_i].length);
	const char *env[] = { var, NULL };
	s_env = env;
	struct http_request r;
	ck_assert_int_eq(http_request_parse(&r, s_get), s_lengths[_i].status);
}
END_TEST

START_TEST(the_body_is_read_to_its_length_and_no_further)
{
	struct http_request r = { .content_length = 5 };
	FILE *in = fmemopen((char[]){ "helloEXTRA" }, 10, "r");
	char *body;
	size_t len;
	ck_assert_int_eq(http_read_body(&r, in, 100, &body, &len), 0);
	ck_assert_uint_eq(len, 5);
	ck_assert_str_eq(body, "hello");
	free(body);
	fclose(in);

	r.content_length = 20; /* the client promised more than it sent */
	in = fmemopen((char[]){ "short" }, 5, "r");
	ck_assert_int_eq(http_read_body(&r, in, 100, &body, &len), 400);
	ck_assert_ptr_null(body);
	fclose(in);

	r.content_length = 200;
	ck_assert_int_eq(http_read_body(&r, stdin, 100, &body, &len), 413);
}
END_TEST

static const struct {
	const char *origin, *host;
	bool https, ok;
} s_origins[] = {
	{ NULL, "hub", false, true }, /* not a browser's cross-site request */
	{ "http://hub:8080", "hub:8080", false, true },
	{ "http://HUB:8080", "hub:8080", false, true },
	{ "https://hub", "hub", true, true },
	{ "http://hub", "hub", true, false }, /* scheme differs */
	{ "https://hub", "hub", false, false },
	{ "http://hub:8081", "hub:8080", false, false },
	{ "http://evil.example", "hub", false, false },
	{ "http://hub.evil.example", "hub", false, false },
	{ "null", "hub", false, false },
	{ "http://hub", NULL, false, false },
	{ "", "hub", false, false },
};

START_TEST(origin_must_be_the_site_the_request_came_to)
{
	struct http_request r = { .origin = s_origins[_i].origin, .host = s_origins[_i].host,
				  .https = s_origins[_i].https };
	ck_assert_msg(http_origin_ok(&r) == s_origins[_i].ok, "origin %s host %s", s_origins[_i].origin,
		      s_origins[_i].host);
}
END_TEST

START_TEST(an_error_is_json_with_the_message_escaped)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	http_send_error(out, 404, "Allow: GET\r\n", "no \"such\" \\ call\n");
	fclose(out);
	ck_assert_str_eq(buf, "Status: 404 Not Found\r\nContent-Type: application/json; charset=utf-8\r\n"
			      "Cache-Control: no-store\r\nAllow: GET\r\n\r\n"
			      "{\"error\":\"no \\\"such\\\" \\\\ call\\u000a\"}");
	free(buf);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("http");
	tcase_add_test(tc, a_request_is_read_from_the_cgi_variables);
	tcase_add_test(tc, missing_variables_read_as_empty_or_absent);
	tcase_add_loop_test(tc, content_length_must_be_a_whole_number_within_the_limit, 0,
			    (int)(sizeof s_lengths / sizeof s_lengths[0]));
	tcase_add_test(tc, the_body_is_read_to_its_length_and_no_further);
	tcase_add_loop_test(tc, origin_must_be_the_site_the_request_came_to, 0,
			    (int)(sizeof s_origins / sizeof s_origins[0]));
	tcase_add_test(tc, an_error_is_json_with_the_message_escaped);
	suite_add_tcase(s, tc);
	return s;
}
