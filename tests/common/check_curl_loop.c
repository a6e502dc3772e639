/* check_curl_loop: what curl_loop_post refuses before a transfer starts.
 * A CA file is read by OpenSSL in the handshake, inside the daemon's one
 * loop (uploadd, alarmd): a FIFO in its place would stop the daemon for
 * good, so only a regular file goes to curl (issue 13).  curl_loop needs a
 * daemon's loop; one is made with no config, in a scratch run directory. */
#include "curl_loop.h"

#include "daemon.h"
#include "scratch.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void s_done(const struct curl_result *r, void *ud)
{
	(void)r;
	(*(int *)ud)++;
}

START_TEST(a_ca_file_that_is_not_a_regular_file_is_refused_before_the_transfer)
{
	char *dir = scratch_dir_new("check_http"), fifo[64], conf[64];
	setenv("ENISCOPE_RUNDIR", dir, 1);
	snprintf(fifo, sizeof fifo, "%s/ca.pem", dir);
	snprintf(conf, sizeof conf, "%s/none.json", dir);
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	static const struct daemon_ops ops = { 0 };
	struct daemon *d = daemon_new("curltestd", conf, &ops, NULL);
	struct curl_loop *h = curl_loop_new(d);
	ck_assert_ptr_nonnull(h);
	const char *files[] = { fifo, "/dev/zero", dir };
	const char *kinds[] = { "a FIFO", "a character device", "a directory" };
	for (size_t i = 0; i < 3; i++) {
		struct http_request req = { .url = "https://127.0.0.1:9/", .content_type = "application/json",
					    .tls_verify = true, .ca_file = files[i], .connect_timeout_s = 1,
					    .timeout_s = 1, .body = "{}", .len = 2 };
		char err[600] = "", expect[600];
		int calls = 0;
		ck_assert_ptr_null(curl_loop_post(h, &req, s_done, &calls, err, sizeof err));
		snprintf(expect, sizeof expect, "CA file %s: is %s, not a regular file", files[i], kinds[i]);
		ck_assert_str_eq(err, expect);
		ck_assert_int_eq(calls, 0);
	}
	curl_loop_destroy(&h);
	daemon_destroy(&d);
	scratch_dir_remove(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("curl_loop");
	TCase *tc = tcase_create("post");
	tcase_add_test(tc, a_ca_file_that_is_not_a_regular_file_is_refused_before_the_transfer);
	suite_add_tcase(s, tc);
	return s;
}
