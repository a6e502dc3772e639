/* check_slots: at most N holders at once; a slot frees when its holder
 * closes it (or dies: the kernel drops the flock with the descriptor). */
#include "slots.h"

#include "../common/scratch.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

START_TEST(n_slots_then_none_until_one_frees)
{
	char *dir = scratch_dir_new("slots");
	char sub[600], err[256];
	snprintf(sub, sizeof sub, "%s/live", dir);
	int fds[3];
	for (int i = 0; i < 3; i++) {
		fds[i] = slots_take(sub, 3, err, sizeof err);
		ck_assert_int_ge(fds[i], 0);
	}
	ck_assert_int_eq(slots_take(sub, 3, err, sizeof err), -1);
	close(fds[1]);
	int again = slots_take(sub, 3, err, sizeof err);
	ck_assert_int_ge(again, 0);
	ck_assert_int_eq(slots_take(sub, 3, err, sizeof err), -1);
	/* a holder in another process: its exit frees its slot */
	close(again);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = slots_take(sub, 3, err, sizeof err);
		free(dir); /* the child's copy (valgrind follows it) */
		_exit(fd >= 0 ? 0 : 1);
	}
	int status;
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	int last = slots_take(sub, 3, err, sizeof err);
	ck_assert_int_ge(last, 0);
	close(last);
	close(fds[0]);
	close(fds[2]);
	/* a directory that cannot be made: an error naming it */
	snprintf(sub, sizeof sub, "%s/none/live", dir);
	ck_assert_int_eq(slots_take(sub, 3, err, sizeof err), -2);
	ck_assert_ptr_nonnull(strstr(err, "none/live"));
	scratch_dir_remove(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("slots");
	TCase *tc = tcase_create("slots");
	tcase_add_test(tc, n_slots_then_none_until_one_frees);
	suite_add_tcase(s, tc);
	return s;
}
