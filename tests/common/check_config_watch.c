/* check_config_watch: the inotify watch says "changed" for the watched file
 * however it is replaced (atomic save, plain write, delete) and not for its
 * neighbours.  Waiting is a poll on the watch's descriptor with a timeout. */
#include <check.h>

#include "atomic_file.h"
#include "config_watch.h"
#include "scratch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WAIT_MS 5000

static char *s_dir;

static void s_setup(void)
{
	s_dir = scratch_dir_new("check_config_watch");
}

static void s_teardown(void)
{
	scratch_dir_remove(s_dir);
	s_dir = NULL;
}

static void s_save(const char *path, const char *text)
{
	char err[512] = "";
	ck_assert_msg(atomic_file_write(path, text, strlen(text), 0640, err, sizeof err) == 0, "%s", err);
}

START_TEST(an_atomic_save_of_the_watched_file_is_a_change)
{
	char *path = scratch_path(s_dir, "config.json");
	s_save(path, "{}");
	struct config_watch *w = config_watch_new(path);
	ck_assert_ptr_nonnull(w);
	ck_assert(!config_watch_changed(w)); /* nothing yet */

	s_save(path, "{\"version\":1}");
	ck_assert_msg(scratch_wait_readable(config_watch_fd(w), WAIT_MS) == 1, "no event within %d ms", WAIT_MS);
	ck_assert(config_watch_changed(w));
	ck_assert(!config_watch_changed(w)); /* reading consumed the events */

	/* and again: the watch is on the directory, not the replaced inode */
	s_save(path, "{\"version\":1,\"adc\":{}}");
	ck_assert(scratch_wait_readable(config_watch_fd(w), WAIT_MS) == 1);
	ck_assert(config_watch_changed(w));
	config_watch_destroy(&w);
	ck_assert_ptr_null(w);
	free(path);
}
END_TEST

START_TEST(a_file_created_later_is_a_change)
{
	char *path = scratch_path(s_dir, "config.json");
	struct config_watch *w = config_watch_new(path); /* the file does not exist yet */
	ck_assert_ptr_nonnull(w);
	s_save(path, "{}");
	ck_assert(scratch_wait_readable(config_watch_fd(w), WAIT_MS) == 1);
	ck_assert(config_watch_changed(w));
	config_watch_destroy(&w);
	free(path);
}
END_TEST

START_TEST(a_plain_write_or_a_delete_of_the_watched_file_is_a_change)
{
	char *path = scratch_path(s_dir, "config.json");
	s_save(path, "{}");
	struct config_watch *w = config_watch_new(path);
	ck_assert_ptr_nonnull(w);
	scratch_write(path, "{\"edited\":\"in place\"}");
	ck_assert(scratch_wait_readable(config_watch_fd(w), WAIT_MS) == 1);
	ck_assert(config_watch_changed(w));
	ck_assert_int_eq(unlink(path), 0);
	ck_assert(scratch_wait_readable(config_watch_fd(w), WAIT_MS) == 1);
	ck_assert(config_watch_changed(w));
	config_watch_destroy(&w);
	free(path);
}
END_TEST

/* ln -s makes the link in place: IN_CREATE is its only event.  A regular
 * file's creation is not a change yet (it is empty until written). */
START_TEST(a_symbolic_link_made_in_place_is_a_change_a_new_empty_file_not_yet)
{
	char *path = scratch_path(s_dir, "config.json"), *real = scratch_path(s_dir, "real.json");
	s_save(real, "{}");
	struct config_watch *w = config_watch_new(path);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(symlink(real, path), 0);
	ck_assert(scratch_wait_readable(config_watch_fd(w), WAIT_MS) == 1);
	ck_assert_msg(config_watch_changed(w), "a symbolic link made in place was not a change");
	ck_assert_int_eq(unlink(path), 0);
	ck_assert(scratch_wait_readable(config_watch_fd(w), WAIT_MS) == 1);
	ck_assert(config_watch_changed(w));
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert(scratch_wait_readable(config_watch_fd(w), WAIT_MS) == 1);
	ck_assert_msg(!config_watch_changed(w), "an empty file being created was a change");
	fputs("{}", f);
	fclose(f);
	ck_assert(scratch_wait_readable(config_watch_fd(w), WAIT_MS) == 1);
	ck_assert(config_watch_changed(w));
	config_watch_destroy(&w);
	free(real);
	free(path);
}
END_TEST

START_TEST(saving_another_file_in_the_same_directory_is_not_a_change)
{
	char *path = scratch_path(s_dir, "config.json");
	s_save(path, "{}");
	struct config_watch *w = config_watch_new(path);
	ck_assert_ptr_nonnull(w);
	const char *others[] = { "other.json", "config.json.bak", "config.jso", "xconfig.json" };
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		char *other = scratch_path(s_dir, others[i]);
		s_save(other, "{}");
		/* the directory did change, so there are events to read */
		ck_assert_msg(scratch_wait_readable(config_watch_fd(w), WAIT_MS) == 1, "no event for %s", others[i]);
		ck_assert_msg(!config_watch_changed(w), "saving %s counted as a change", others[i]);
		free(other);
	}
	config_watch_destroy(&w);
	free(path);
}
END_TEST

START_TEST(watching_in_a_missing_directory_fails_with_errno)
{
	char *path = scratch_path(s_dir, "no-such-dir/config.json");
	errno = 0;
	struct config_watch *w = config_watch_new(path);
	ck_assert_ptr_null(w);
	ck_assert_int_eq(errno, ENOENT);
	config_watch_destroy(&w); /* destroying nothing is harmless */
	free(path);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("config_watch");
	TCase *tc = tcase_create("watch");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, an_atomic_save_of_the_watched_file_is_a_change);
	tcase_add_test(tc, a_file_created_later_is_a_change);
	tcase_add_test(tc, a_plain_write_or_a_delete_of_the_watched_file_is_a_change);
	tcase_add_test(tc, a_symbolic_link_made_in_place_is_a_change_a_new_empty_file_not_yet);
	tcase_add_test(tc, saving_another_file_in_the_same_directory_is_not_a_change);
	tcase_add_test(tc, watching_in_a_missing_directory_fails_with_errno);
	suite_add_tcase(s, tc);
	return s;
}
