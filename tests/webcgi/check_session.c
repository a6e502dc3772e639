/* check_session: the session store and the random tokens and comparison
 * it stands on. */
#include "secret.h"
#include "session.h"

#include "../common/scratch.h"

#include <sys/stat.h>

START_TEST(tokens_are_hex_of_the_length_asked_and_differ)
{
	char a[65], b[65];
	ck_assert_int_eq(secret_token(a, 32), 0);
	ck_assert_int_eq(secret_token(b, 32), 0);
	ck_assert_uint_eq(strlen(a), 64);
	ck_assert(secret_is_hex(a, 64));
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(secret_token(a, 65), -1);
}
END_TEST

static const struct {
	const char *a, *b;
	bool equal;
} s_compares[] = {
	{ "abc", "abc", true }, { "abc", "abd", false }, { "abc", "ab", false },
	{ "ab", "abc", false }, { "", "", true }, { "", "a", false },
};

START_TEST(secret_equal_compares_whole_strings)
{
	ck_assert(secret_equal(s_compares[_i].a, s_compares[_i].b) == s_compares[_i].equal);
}
END_TEST

START_TEST(a_new_session_is_found_by_its_id_and_only_by_it)
{
	char *dir = scratch_dir_new("session");
	struct session s, f;
	ck_assert_int_eq(session_create(dir, "admin", true, 1000, &s), 0);
	ck_assert_uint_eq(strlen(s.id), SESSION_ID_LEN);
	ck_assert_uint_eq(strlen(s.csrf), SESSION_ID_LEN);
	ck_assert_str_ne(s.id, s.csrf);
	ck_assert_int_eq(session_find(dir, s.id, 1001, &f), 1);
	ck_assert_str_eq(f.user, "admin");
	ck_assert_str_eq(f.csrf, s.csrf);
	ck_assert(f.must_change);

	/* the same selector with another verifier: the file exists, the id is wrong */
	char forged[SESSION_ID_LEN + 1];
	memcpy(forged, s.id, sizeof forged);
	forged[SESSION_ID_LEN - 1] = forged[SESSION_ID_LEN - 1] == '0' ? '1' : '0';
	ck_assert_int_eq(session_find(dir, forged, 1001, &f), 0);
	ck_assert_int_eq(session_find(dir, "../../etc/passwd", 1001, &f), 0);
	ck_assert_int_eq(session_find(dir, "", 1001, &f), 0);
	ck_assert_int_eq(session_find(dir, s.csrf, 1001, &f), 0);

	/* one file, 0600 */
	char path[512];
	snprintf(path, sizeof path, "%s/%.*s", dir, SESSION_SELECTOR_LEN, s.id);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	scratch_dir_remove(dir);
}
END_TEST

START_TEST(each_login_makes_a_new_id_and_logout_ends_it)
{
	char *dir = scratch_dir_new("session");
	struct session a, b, f;
	ck_assert_int_eq(session_create(dir, "admin", false, 1000, &a), 0);
	ck_assert_int_eq(session_create(dir, "admin", false, 1000, &b), 0);
	ck_assert_str_ne(a.id, b.id);
	session_end(dir, a.id);
	ck_assert_int_eq(session_find(dir, a.id, 1000, &f), 0);
	ck_assert_int_eq(session_find(dir, b.id, 1000, &f), 1);
	session_end_user(dir, "admin");
	ck_assert_int_eq(session_find(dir, b.id, 1000, &f), 0);
	scratch_dir_remove(dir);
}
END_TEST

START_TEST(a_session_ends_at_its_absolute_timeout)
{
	char *dir = scratch_dir_new("session");
	struct session s, f;
	ck_assert_int_eq(session_create(dir, "admin", false, 1000, &s), 0);
	ck_assert_int_eq(session_find(dir, s.id, 1000 + SESSION_LIFETIME_S - 1, &f), 1);
	ck_assert_int_eq(session_find(dir, s.id, 1000 + SESSION_LIFETIME_S, &f), 0);
	/* and it is gone, even if the clock comes back */
	ck_assert_int_eq(session_find(dir, s.id, 1000, &f), 0);
	scratch_dir_remove(dir);
}
END_TEST

START_TEST(the_store_keeps_at_most_its_maximum_dropping_the_oldest)
{
	char *dir = scratch_dir_new("session");
	struct session first, s, f;
	ck_assert_int_eq(session_create(dir, "admin", false, 1000, &first), 0);
	for (int i = 1; i < SESSION_MAX + 5; i++)
		ck_assert_int_eq(session_create(dir, "admin", false, 1000 + i, &s), 0);
	ck_assert_int_eq(session_find(dir, first.id, 2000, &f), 0);
	ck_assert_int_eq(session_find(dir, s.id, 2000, &f), 1);
	int n = 0;
	DIR *d = opendir(dir);
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	ck_assert_int_le(n, SESSION_MAX);
	scratch_dir_remove(dir);
}
END_TEST

/* A FIFO in place of a session file would block the request in open():
 * no session, at once. */
START_TEST(a_fifo_in_place_of_a_session_file_is_no_session)
{
	char *dir = scratch_dir_new("session");
	struct session s, f;
	ck_assert_int_eq(session_create(dir, "admin", false, 1000, &s), 0);
	char path[512];
	snprintf(path, sizeof path, "%s/%.*s", dir, SESSION_SELECTOR_LEN, s.id);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(session_find(dir, s.id, 1001, &f), 0);
	scratch_dir_remove(dir);
}
END_TEST

START_TEST(a_user_name_with_other_characters_is_refused)
{
	char *dir = scratch_dir_new("session");
	struct session s;
	ck_assert_int_eq(session_create(dir, "ad min", false, 1000, &s), -1);
	ck_assert_int_eq(session_create(dir, "", false, 1000, &s), -1);
	ck_assert_int_eq(session_create(dir, "a\nb", false, 1000, &s), -1);
	scratch_dir_remove(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("session");
	tcase_add_test(tc, tokens_are_hex_of_the_length_asked_and_differ);
	tcase_add_loop_test(tc, secret_equal_compares_whole_strings, 0, (int)(sizeof s_compares / sizeof s_compares[0]));
	tcase_add_test(tc, a_new_session_is_found_by_its_id_and_only_by_it);
	tcase_add_test(tc, each_login_makes_a_new_id_and_logout_ends_it);
	tcase_add_test(tc, a_session_ends_at_its_absolute_timeout);
	tcase_add_test(tc, the_store_keeps_at_most_its_maximum_dropping_the_oldest);
	tcase_add_test(tc, a_user_name_with_other_characters_is_refused);
	tcase_add_test(tc, a_fifo_in_place_of_a_session_file_is_no_session);
	tcase_set_timeout(tc, 10); /* a read blocked on a FIFO fails, not hangs */
	suite_add_tcase(s, tc);
	return s;
}
