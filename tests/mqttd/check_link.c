/* link: what paho and the TLS library report becomes plain words in the
 * status (the integration tests see the same against mosquitto). */
#include "link.h"

#include <check.h>
#include <string.h>

static const struct {
	int code;
	const char *message, *tls_reason;
	bool tls;
	const char *host, *want;
} failures[] = {
	{ 5, "CONNACK return code", "", false, "broker", "refused by the broker: not authorised (wrong username or password, or not allowed)" },
	{ 4, "CONNACK return code", "", false, "broker", "refused by the broker: wrong username or password" },
	{ 2, "CONNACK return code", "", false, "broker", "refused by the broker: client id rejected" },
	{ 3, NULL, "", false, "broker", "refused by the broker: server unavailable" },
	{ -1, "TCP/TLS connect failure", "", false, "127.0.0.1", "connection refused" },
	{ -1, "TCP/TLS connect failure", "", true, "127.0.0.1", "connection refused, or TLS handshake failed" },
	{ -1, "TCP/TLS connect failure", "certificate verify failed", true, "127.0.0.1", "TLS failure: certificate verify failed" },
	{ -1, "socket error", "", true, "127.0.0.1", "TLS handshake failed (is that port a TLS listener?)" },
	{ -1, "TCP connect completion failure", "", false, "10.0.0.9", "host unreachable" },
	{ -1, NULL, "", false, "broker.invalid", "cannot resolve host name broker.invalid" },
	{ -1, NULL, "", false, "::1", "cannot connect to ::1" },
	{ -1, "something new", "", false, "h", "connection failed: something new (code -1)" },
};

START_TEST(failures_in_plain_words)
{
	char buf[256];
	link_describe_failure(failures[_i].code, failures[_i].message, failures[_i].tls_reason, failures[_i].tls,
			      failures[_i].host, buf, sizeof buf);
	ck_assert_str_eq(buf, failures[_i].want);
}
END_TEST

static const struct {
	const char *line, *want;
} tls_lines[] = {
	{ "C0E6DFAB967F0000:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify "
	  "failed:../ssl/statem/statem_clnt.c:1889:\n",
	  "certificate verify failed" },
	{ "40E7:error:80000002:system library:file_ctrl:No such file or directory:../crypto/x.c:12:", "No such file or directory" },
	{ "short message:", "short message" },
	{ "", "" },
};

START_TEST(tls_reason_from_an_openssl_line)
{
	char buf[160];
	link_tls_reason(tls_lines[_i].line, strlen(tls_lines[_i].line), buf, sizeof buf);
	ck_assert_str_eq(buf, tls_lines[_i].want);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("link");
	TCase *tc = tcase_create("link");
	tcase_add_loop_test(tc, failures_in_plain_words, 0, sizeof failures / sizeof failures[0]);
	tcase_add_loop_test(tc, tls_reason_from_an_openssl_line, 0, sizeof tls_lines / sizeof tls_lines[0]);
	suite_add_tcase(s, tc);
	return s;
}
