/* check_passwd: the password hash, the factory state and the rules for a
 * new password. */
#include "passwd.h"

#include "../common/scratch.h"

#include <sys/stat.h>

START_TEST(without_a_file_only_the_factory_login_works_and_must_change)
{
	char *dir = scratch_dir_new("passwd");
	char path[512], err[256];
	snprintf(path, sizeof path, "%s/credentials", dir);
	bool must;
	ck_assert_int_eq(passwd_check(path, "admin", "admin", &must, err, sizeof err), 1);
	ck_assert(must);
	ck_assert_int_eq(passwd_check(path, "admin", "Admin", &must, err, sizeof err), 0);
	ck_assert_int_eq(passwd_check(path, "root", "admin", &must, err, sizeof err), 0);
	scratch_dir_remove(dir);
}
END_TEST

START_TEST(a_set_password_is_a_salted_yescrypt_hash_in_a_0600_file)
{
	char *dir = scratch_dir_new("passwd");
	char path[512], err[256];
	snprintf(path, sizeof path, "%s/credentials", dir);
	ck_assert_int_eq(passwd_set(path, "admin", "correct horse", err, sizeof err), 0);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	FILE *f = fopen(path, "r");
	char line[512];
	ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
	fclose(f);
	ck_assert_msg(!strncmp(line, "admin:$y$", 9), "%s", line);
	ck_assert_ptr_null(strstr(line, "correct horse"));

	bool must;
	ck_assert_int_eq(passwd_check(path, "admin", "correct horse", &must, err, sizeof err), 1);
	ck_assert(!must);
	ck_assert_int_eq(passwd_check(path, "admin", "correct horsE", &must, err, sizeof err), 0);
	ck_assert_int_eq(passwd_check(path, "admin", "admin", &must, err, sizeof err), 0); /* factory gone */
	ck_assert_int_eq(passwd_check(path, "admi", "correct horse", &must, err, sizeof err), 0);

	/* two hashes of one password differ: salted */
	char a[512], b[512];
	ck_assert_int_eq(passwd_line("admin", "correct horse", a, sizeof a, err, sizeof err), 0);
	ck_assert_int_eq(passwd_line("admin", "correct horse", b, sizeof b, err, sizeof err), 0);
	ck_assert_str_ne(a, b);
	scratch_dir_remove(dir);
}
END_TEST

START_TEST(a_damaged_file_fails_closed)
{
	char *dir = scratch_dir_new("passwd");
	char path[512], err[256];
	snprintf(path, sizeof path, "%s/credentials", dir);
	static const char *const bad[] = { "", "admin\n", "admin:plaintext\n", "admin:$1$md5$hash\n" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		FILE *f = fopen(path, "w");
		fputs(bad[i], f);
		fclose(f);
		bool must;
		err[0] = '\0';
		ck_assert_int_eq(passwd_check(path, "admin", "admin", &must, err, sizeof err), -1);
		ck_assert_int_eq(passwd_check(path, "admin", "plaintext", &must, err, sizeof err), -1);
		ck_assert_ptr_nonnull(strstr(err, "credentials"));
	}
	scratch_dir_remove(dir);
}
END_TEST

/* A FIFO in place of the file would block every login in open(): refused
 * at once, closed (the factory login does not come back either). */
START_TEST(a_fifo_in_place_of_the_file_fails_closed_at_once)
{
	char *dir = scratch_dir_new("passwd");
	char path[512], err[512] = "", expect[1024];
	snprintf(path, sizeof path, "%s/credentials", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	bool must;
	ck_assert_int_eq(passwd_check(path, "admin", "admin", &must, err, sizeof err), -1);
	snprintf(expect, sizeof expect, "credentials %s: is a FIFO, not a regular file", path);
	ck_assert_str_eq(err, expect);
	scratch_dir_remove(dir);
}
END_TEST

static const struct {
	const char *password, *current;
	bool ok;
} s_policy[] = {
	{ "correct horse", "admin", true },
	{ "1234567", "admin", false },   /* 7 characters */
	{ "12345678", "admin", true },
	{ "admin", NULL, false },        /* the factory password */
	{ "same old pw", "same old pw", false },
	{ "tab\there!", "x", false },
	{ "new\nline!", "x", false },
};

/* The display password: a hash alone, checked with passwd_verify. */
START_TEST(a_hash_verifies_only_its_own_password)
{
	char h1[256], h2[256], err[256];
	ck_assert_int_eq(passwd_hash("display-pass 1", h1, sizeof h1, err, sizeof err), 0);
	ck_assert_int_eq(passwd_hash("display-pass 1", h2, sizeof h2, err, sizeof err), 0);
	ck_assert_msg(!strncmp(h1, "$y$", 3) && strcmp(h1, h2), "salted yescrypt hashes: %s %s", h1, h2);
	ck_assert(passwd_verify("display-pass 1", h1));
	ck_assert(passwd_verify("display-pass 1", h2));
	ck_assert(!passwd_verify("display-pass 2", h1));
	ck_assert(!passwd_verify("", h1));
	ck_assert(!passwd_verify("display-pass 1", ""));
	ck_assert(!passwd_verify("x", "$6$salt$"));
	char tiny[16];
	ck_assert_int_eq(passwd_hash("display-pass 1", tiny, sizeof tiny, err, sizeof err), -1);
	ck_assert(err[0]);
}
END_TEST

START_TEST(a_new_password_follows_the_rules)
{
	const char *why = passwd_policy(s_policy[_i].password, s_policy[_i].current);
	ck_assert_msg((why == NULL) == s_policy[_i].ok, "%s: %s", s_policy[_i].password, why ? why : "ok");
}
END_TEST

START_TEST(a_password_over_the_maximum_is_refused)
{
	char pw[PASSWD_MAX_LEN + 2];
	memset(pw, 'x', sizeof pw - 1);
	pw[sizeof pw - 1] = '\0';
	ck_assert_ptr_nonnull(passwd_policy(pw, NULL));
	pw[PASSWD_MAX_LEN] = '\0';
	ck_assert_ptr_null(passwd_policy(pw, NULL));
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("passwd");
	TCase *tc = tcase_create("passwd");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, without_a_file_only_the_factory_login_works_and_must_change);
	tcase_add_test(tc, a_set_password_is_a_salted_yescrypt_hash_in_a_0600_file);
	tcase_add_test(tc, a_damaged_file_fails_closed);
	tcase_add_test(tc, a_fifo_in_place_of_the_file_fails_closed_at_once);
	tcase_add_loop_test(tc, a_new_password_follows_the_rules, 0, (int)(sizeof s_policy / sizeof s_policy[0]));
	tcase_add_test(tc, a_password_over_the_maximum_is_refused);
	tcase_add_test(tc, a_hash_verifies_only_its_own_password);
	suite_add_tcase(s, tc);
	return s;
}
