/* check_atomic_file: replacing a file whole, and the writers' lock.
 *
 * The crash test needs the save to die between its write and its rename
 * without a hook in the production code: this file defines rename() itself.
 * The executable links the static common library, so atomic_file.c's call
 * binds to this definition, which forwards to renameat() (a different
 * symbol) unless a forked child has asked it to die first. */
#include <check.h>

#include "atomic_file.h"
#include "scratch.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CRASH_STATUS 77

static volatile sig_atomic_t s_crash_at_rename;
static volatile sig_atomic_t s_renames;

int rename(const char *from, const char *to)
{
	if (s_crash_at_rename)
		_exit(CRASH_STATUS); /* as if the power went: no cleanup at all */
	s_renames++;
	return renameat(AT_FDCWD, from, AT_FDCWD, to);
}

static char *s_dir;

static void s_setup(void)
{
	s_dir = scratch_dir_new("check_atomic_file");
	umask(022);
}

static void s_teardown(void)
{
	scratch_dir_remove(s_dir);
	s_dir = NULL;
}

static void s_assert_contents(const char *path, const void *data, size_t len)
{
	size_t got_len;
	char *got = scratch_read(path, &got_len);
	ck_assert_msg(got != NULL, "%s unreadable", path);
	ck_assert_uint_eq(got_len, len);
	ck_assert_mem_eq(got, data, len);
	free(got);
}

START_TEST(write_creates_then_replaces_the_file_with_exactly_the_new_bytes)
{
	char *path = scratch_path(s_dir, "data.bin");
	char err[512] = "";
	const char first[] = "first version\0with a NUL and more bytes than the second";
	ck_assert_msg(atomic_file_write(path, first, sizeof first, 0644, err, sizeof err) == 0, "%s", err);
	s_assert_contents(path, first, sizeof first);

	const char second[] = "v2";
	ck_assert_msg(atomic_file_write(path, second, 2, 0644, err, sizeof err) == 0, "%s", err);
	s_assert_contents(path, second, 2); /* no tail of the longer old file */

	ck_assert_msg(atomic_file_write(path, "", 0, 0644, err, sizeof err) == 0, "%s", err);
	s_assert_contents(path, "", 0);
	ck_assert_int_ge(s_renames, 3);
	free(path);
}
END_TEST

START_TEST(a_successful_write_leaves_no_temporary_file)
{
	char *path = scratch_path(s_dir, "config.json");
	char err[512] = "";
	for (int i = 0; i < 3; i++)
		ck_assert_msg(atomic_file_write(path, "{}", 2, 0640, err, sizeof err) == 0, "%s", err);
	char names[1024];
	ck_assert_msg(scratch_count(s_dir, names, sizeof names) == 1, "directory holds: %s", names);
	free(path);
}
END_TEST

START_TEST(the_new_file_has_the_requested_mode)
{
	const mode_t modes[] = { 0640, 0600, 0644, 0400 };
	char *path = scratch_path(s_dir, "m");
	char err[512] = "";
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		ck_assert_msg(atomic_file_write(path, "x", 1, modes[i], err, sizeof err) == 0, "%s", err);
		struct stat st;
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_msg((st.st_mode & 07777) == modes[i], "mode %04o, asked for %04o", st.st_mode & 07777,
			      modes[i]);
	}
	free(path);
}
END_TEST

START_TEST(writing_into_a_missing_directory_fails_with_a_message_and_creates_nothing)
{
	char *missing = scratch_path(s_dir, "no-such-dir");
	char *path = scratch_path(missing, "config.json");
	char err[512] = "";
	ck_assert_int_eq(atomic_file_write(path, "{}", 2, 0640, err, sizeof err), -1);
	ck_assert_msg(strstr(err, missing) != NULL, "message \"%s\" does not name the path", err);
	ck_assert_msg(strstr(err, strerror(ENOENT)) != NULL, "message \"%s\" does not say why", err);
	ck_assert_int_eq(access(missing, F_OK), -1);
	ck_assert_int_eq(scratch_count(s_dir, NULL, 0), 0);
	free(path);
	free(missing);
}
END_TEST

/* A rename that fails (here: the target is a directory) must not leave the
 * temporary file behind. */
START_TEST(a_failed_rename_leaves_no_temporary_file)
{
	char *path = scratch_path(s_dir, "target");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	char err[512] = "";
	ck_assert_int_eq(atomic_file_write(path, "data", 4, 0640, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "rename") != NULL, "message \"%s\" does not say the rename failed", err);
	char names[1024];
	ck_assert_msg(scratch_count(s_dir, names, sizeof names) == 1, "directory holds: %s", names);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	free(path);
}
END_TEST

START_TEST(a_crash_between_write_and_rename_leaves_the_old_file_whole)
{
	char *path = scratch_path(s_dir, "config.json");
	const char *old = "{\"version\":1,\"adc\":{\"source\":\"sim\"},\"hub\":{\"site\":\"Old site\"}}";
	const char *new = "{\"version\":1,\"adc\":{\"source\":\"iio\"},\"hub\":{\"site\":\"New site, longer than the old\"}}";
	char err[512] = "";
	ck_assert_msg(atomic_file_write(path, old, strlen(old), 0640, err, sizeof err) == 0, "%s", err);

	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		s_crash_at_rename = 1;
		atomic_file_write(path, new, strlen(new), 0640, err, sizeof err);
		scratch_child_exit(1, path); /* the save did not reach its rename */
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CRASH_STATUS,
		      "the child did not die at the rename (status %#x)", status);

	/* the temporary holds the new bytes: the crash came after the write */
	char tmpname[256];
	snprintf(tmpname, sizeof tmpname, "config.json.tmp.%ld", (long)pid);
	char *tmp = scratch_path(s_dir, tmpname);
	s_assert_contents(tmp, new, strlen(new));

	s_assert_contents(path, old, strlen(old));
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	ck_assert_msg(doc != NULL, "old file no longer parses: %s", jerr.text);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "hub"), "site")), "Old site");
	json_decref(doc);

	/* and the next save goes through */
	ck_assert_msg(atomic_file_write(path, new, strlen(new), 0640, err, sizeof err) == 0, "%s", err);
	s_assert_contents(path, new, strlen(new));
	free(tmp);
	free(path);
}
END_TEST

/* The child is forked before the parent takes the lock: a child forked
 * while the lock is held would inherit the locked descriptor and so hold the
 * lock itself (flock belongs to the open file, not the process).  The parent
 * sends 'g' once it holds the lock; the child reports 'r' just before it
 * asks for the lock and 'l' once it holds it. */
START_TEST(a_second_process_waits_for_the_lock_until_the_first_releases_it)
{
	char *path = scratch_path(s_dir, "config.json");
	char err[512] = "";
	int go[2], report[2];
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(report), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(go[1]);
		close(report[0]);
		char g;
		if (read(go[0], &g, 1) != 1 || write(report[1], "r", 1) != 1)
			scratch_child_exit(2, path);
		struct atomic_lock *mine = atomic_file_lock(path, err, sizeof err);
		if (write(report[1], mine ? "l" : "e", 1) != 1)
			scratch_child_exit(2, path);
		atomic_file_unlock(&mine);
		scratch_child_exit(0, path);
	}
	close(go[0]);
	close(report[1]);
	struct atomic_lock *lock = atomic_file_lock(path, err, sizeof err);
	ck_assert_msg(lock != NULL, "%s", err);
	ck_assert_int_eq(write(go[1], "g", 1), 1);

	char c = 0;
	ck_assert_msg(scratch_wait_readable(report[0], 5000) == 1, "child never started");
	ck_assert_int_eq(read(report[0], &c, 1), 1);
	ck_assert_int_eq(c, 'r');

	/* while we hold the lock, the child must not get it */
	ck_assert_msg(scratch_wait_readable(report[0], 300) == 0, "the child got the lock while the parent held it");

	atomic_file_unlock(&lock);
	ck_assert_ptr_null(lock);
	ck_assert_msg(scratch_wait_readable(report[0], 5000) == 1, "the child never got the released lock");
	ck_assert_int_eq(read(report[0], &c, 1), 1);
	ck_assert_int_eq(c, 'l');

	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(go[1]);
	close(report[0]);
	free(path);
}
END_TEST

START_TEST(locking_in_a_missing_directory_fails_with_a_message)
{
	char *path = scratch_path(s_dir, "no-such-dir/config.json");
	char err[512] = "";
	struct atomic_lock *lock = atomic_file_lock(path, err, sizeof err);
	ck_assert_ptr_null(lock);
	ck_assert_msg(strstr(err, "no-such-dir") != NULL, "message \"%s\" does not name the path", err);
	atomic_file_unlock(&lock); /* unlocking nothing is harmless */
	free(path);
}
END_TEST

START_TEST(a_path_too_long_is_refused)
{
	char path[5000];
	memset(path, 'a', sizeof path - 1);
	path[0] = '/';
	path[sizeof path - 1] = '\0';
	char err[8192] = "";
	ck_assert_int_eq(atomic_file_write(path, "x", 1, 0600, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "too long") != NULL, "%s", err);
	ck_assert_ptr_null(atomic_file_lock(path, err, sizeof err));
	ck_assert_msg(strstr(err, "too long") != NULL, "%s", err);
}
END_TEST

/* A writer of another user who may only read the lock file (the web
 * side's CGIs and a root eniscopectl share the config's lock) still takes
 * the lock: flock needs no write access.  Needs root to be another user. */
START_TEST(a_user_who_may_only_read_the_lock_file_still_takes_the_lock)
{
	if (geteuid() != 0)
		return; /* cannot become another user: nothing to show */
	char *dir = scratch_dir_new("check_atomic_lockuser");
	chmod(dir, 0755);
	char path[512], err[256];
	snprintf(path, sizeof path, "%s/config.json", dir);
	struct atomic_lock *lock = atomic_file_lock(path, err, sizeof err);
	ck_assert_msg(lock != NULL, "%s", err);
	atomic_file_unlock(&lock);
	char lockpath[600];
	snprintf(lockpath, sizeof lockpath, "%s.lock", path);
	struct stat st;
	ck_assert_int_eq(stat(lockpath, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	chmod(lockpath, 0644); /* root's file, others may read */
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(3);
		struct atomic_lock *theirs = atomic_file_lock(path, err, sizeof err);
		bool taken = theirs != NULL;
		atomic_file_unlock(&theirs); /* freed before _exit: valgrind checks the child for leaks too */
		free(dir);
		_exit(taken ? 0 : 1);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "another user could not take the lock (%d)",
		      WEXITSTATUS(status));
	scratch_dir_remove(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("atomic_file");
	TCase *tc = tcase_create("write");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, write_creates_then_replaces_the_file_with_exactly_the_new_bytes);
	tcase_add_test(tc, a_successful_write_leaves_no_temporary_file);
	tcase_add_test(tc, the_new_file_has_the_requested_mode);
	tcase_add_test(tc, writing_into_a_missing_directory_fails_with_a_message_and_creates_nothing);
	tcase_add_test(tc, a_failed_rename_leaves_no_temporary_file);
	tcase_add_test(tc, a_crash_between_write_and_rename_leaves_the_old_file_whole);
	tcase_add_test(tc, a_path_too_long_is_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("lock");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, a_second_process_waits_for_the_lock_until_the_first_releases_it);
	tcase_add_test(tc, locking_in_a_missing_directory_fails_with_a_message);
	tcase_add_test(tc, a_user_who_may_only_read_the_lock_file_still_takes_the_lock);
	suite_add_tcase(s, tc);
	return s;
}
