/* check_disk: the file system usage the status page and the check-in show. */
#include "disk.h"

#include <check.h>
#include <string.h>

START_TEST(a_directory_gives_its_file_systems_usage)
{
	json_t *d = disk_usage("/tmp");
	ck_assert_str_eq(json_string_value(json_object_get(d, "path")), "/tmp");
	json_int_t total = json_integer_value(json_object_get(d, "total_bytes"));
	json_int_t free_b = json_integer_value(json_object_get(d, "free_bytes"));
	double pct = json_number_value(json_object_get(d, "used_pct"));
	ck_assert_int_gt(total, 0);
	ck_assert(free_b >= 0 && free_b <= total);
	ck_assert(pct >= 0 && pct <= 100);
	/* the figures agree, as df(1) computes them: used of used + free */
	json_int_t used = json_integer_value(json_object_get(d, "used_bytes"));
	ck_assert(used >= 0 && used + free_b <= total);
	ck_assert_double_eq_tol(pct, 100.0 * (double)used / (double)(used + free_b), 0.1);
	json_decref(d);
}
END_TEST

START_TEST(a_missing_directory_says_why)
{
	json_t *d = disk_usage("/nonexistent/dir");
	ck_assert_str_eq(json_string_value(json_object_get(d, "error")), "No such file or directory");
	ck_assert_ptr_null(json_object_get(d, "total_bytes"));
	json_decref(d);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("disk");
	TCase *tc = tcase_create("disk");
	tcase_add_test(tc, a_directory_gives_its_file_systems_usage);
	tcase_add_test(tc, a_missing_directory_says_why);
	suite_add_tcase(s, tc);
	return s;
}
