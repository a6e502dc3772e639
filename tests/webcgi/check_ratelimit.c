/* check_ratelimit: failed logins slow down per address. */
#include "ratelimit.h"

#include "../common/scratch.h"

static const struct {
	int failures;
	long delay;
} s_delays[] = {
	{ 0, 0 }, { 1, 0 }, { 2, 0 }, { 3, 1 }, { 4, 2 }, { 5, 4 }, { 10, 128 }, { 11, 256 },
	{ 12, RATELIMIT_MAX_S }, { 50, RATELIMIT_MAX_S }, { 100000, RATELIMIT_MAX_S },
};

START_TEST(the_wait_doubles_after_the_free_attempts_up_to_the_cap)
{
	ck_assert_int_eq(ratelimit_delay_s(s_delays[_i].failures), s_delays[_i].delay);
}
END_TEST

START_TEST(failures_from_one_address_make_it_wait_and_a_success_clears)
{
	char *dir = scratch_dir_new("ratelimit");
	for (int i = 0; i < RATELIMIT_FREE; i++) {
		ck_assert_int_eq(ratelimit_wait(dir, "10.0.0.1", 1000999), 0);
		ratelimit_record(dir, "10.0.0.1", 1000999, false);
	}
	/* a whole second from the last failure, whatever the second's digits */
	ck_assert_int_eq(ratelimit_wait(dir, "10.0.0.1", 1001000), 999);
	ck_assert_int_eq(ratelimit_wait(dir, "10.0.0.1", 1001999), 0);
	ratelimit_record(dir, "10.0.0.1", 1001999, false);
	ck_assert_int_eq(ratelimit_wait(dir, "10.0.0.1", 1001999), 2000);
	/* another address is not slowed */
	ck_assert_int_eq(ratelimit_wait(dir, "10.0.0.2", 1001999), 0);
	ck_assert_int_eq(ratelimit_wait(dir, "::1", 1001999), 0);
	ratelimit_record(dir, "10.0.0.1", 1003999, true);
	ck_assert_int_eq(ratelimit_wait(dir, "10.0.0.1", 1003999), 0);
	scratch_dir_remove(dir);
}
END_TEST

START_TEST(an_address_never_names_a_file_outside_the_directory)
{
	char *dir = scratch_dir_new("ratelimit");
	for (int i = 0; i < RATELIMIT_FREE + 1; i++)
		ratelimit_record(dir, "../../x", 1000000, false);
	ck_assert_int_gt(ratelimit_wait(dir, "../../x", 1000000), 0);
	char path[512];
	snprintf(path, sizeof path, "%s/other", dir);
	ck_assert_int_eq(access(path, F_OK), 0);
	/* IPv6 addresses keep their own count */
	ratelimit_record(dir, "fe80::1", 1000000, false);
	snprintf(path, sizeof path, "%s/fe80__1", dir);
	ck_assert_int_eq(access(path, F_OK), 0);
	scratch_dir_remove(dir);
}
END_TEST

/* A FIFO in place of an address's file would block both the check and the
 * count (a read on it): neither waits, and the FIFO is left alone. */
START_TEST(a_fifo_in_place_of_an_address_file_blocks_nothing)
{
	char *dir = scratch_dir_new("ratelimit");
	char path[512];
	snprintf(path, sizeof path, "%s/10.0.0.1", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(ratelimit_wait(dir, "10.0.0.1", 1000000), 0);
	ratelimit_record(dir, "10.0.0.1", 1000000, false);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	scratch_dir_remove(dir);
}
END_TEST

static size_t s_count(const char *dir)
{
	size_t n = 0;
	DIR *d = opendir(dir);
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

START_TEST(a_flood_of_addresses_is_bounded)
{
	char *dir = scratch_dir_new("ratelimit");
	char addr[32];
	for (int i = 0; i < RATELIMIT_ADDRS; i++) {
		snprintf(addr, sizeof addr, "10.%d.%d.1", i / 256, i % 256);
		ratelimit_record(dir, addr, 1000000, false);
	}
	ck_assert_uint_eq(s_count(dir), RATELIMIT_ADDRS);
	/* one failure each makes nobody wait: they go for a new address */
	ratelimit_record(dir, "192.168.0.1", 1000000, false);
	ck_assert_uint_eq(s_count(dir), 1);
	/* counts that still make their address wait stay; newcomers share */
	for (int i = 0; i < RATELIMIT_ADDRS; i++) {
		snprintf(addr, sizeof addr, "10.%d.%d.2", i / 256, i % 256);
		for (int k = 0; k < RATELIMIT_FREE; k++)
			ratelimit_record(dir, addr, 2000000, false);
	}
	ck_assert_uint_le(s_count(dir), RATELIMIT_ADDRS + 1);
	ratelimit_record(dir, "172.16.0.9", 2000000, false);
	ck_assert_uint_le(s_count(dir), RATELIMIT_ADDRS + 1);
	ck_assert_int_gt(ratelimit_wait(dir, "10.0.0.2", 2000000), 0); /* still waits */
	scratch_dir_remove(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("ratelimit");
	TCase *tc = tcase_create("ratelimit");
	tcase_add_loop_test(tc, the_wait_doubles_after_the_free_attempts_up_to_the_cap, 0,
			    (int)(sizeof s_delays / sizeof s_delays[0]));
	tcase_add_test(tc, failures_from_one_address_make_it_wait_and_a_success_clears);
	tcase_add_test(tc, an_address_never_names_a_file_outside_the_directory);
	tcase_add_test(tc, a_fifo_in_place_of_an_address_file_blocks_nothing);
	tcase_set_timeout(tc, 60); /* a read blocked on a FIFO fails, not hangs */
	tcase_add_test(tc, a_flood_of_addresses_is_bounded);
	suite_add_tcase(s, tc);
	return s;
}
