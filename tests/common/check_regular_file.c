/* check_regular_file: only a regular file is read, and whatever else is at
 * the path is refused at once (never blocking, as open() on a FIFO without
 * a writer would) with a message naming the path and what is there.  One
 * table: what the test puts at the path, and what reading it must give. */
#include <check.h>

#include "regular_file.h"
#include "scratch.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX 16

enum make { MAKE_FILE, MAKE_LINK_TO_FILE, MAKE_DIR, MAKE_FIFO, MAKE_DEV_NULL, MAKE_NOTHING, MAKE_DANGLING };

struct row {
	enum make make;
	const char *content; /* MAKE_FILE, MAKE_LINK_TO_FILE */
	int err;             /* 0: read, else the errno */
	const char *says;    /* in the message, after "<path>: " */
};

static const struct row s_rows[] = {
	{ MAKE_FILE, "{}", 0, NULL },
	{ MAKE_FILE, "", 0, NULL },
	{ MAKE_FILE, "0123456789abcdef", 0, NULL }, /* exactly MAX bytes */
	{ MAKE_FILE, "0123456789abcdefg", EFBIG, "is larger than the 16 bytes allowed" },
	{ MAKE_LINK_TO_FILE, "{\"a\":1}", 0, NULL },
	{ MAKE_DIR, NULL, EINVAL, "is a directory, not a regular file" },
	{ MAKE_FIFO, NULL, EINVAL, "is a FIFO, not a regular file" },
	{ MAKE_DEV_NULL, NULL, EINVAL, "is a character device, not a regular file" },
	{ MAKE_NOTHING, NULL, ENOENT, "No such file or directory" },
	{ MAKE_DANGLING, NULL, ENOENT, "No such file or directory" },
};

/* Puts at <dir>/x what the row says; returns the path. */
static char *s_make(const char *dir, const struct row *r)
{
	char *path = scratch_path(dir, "x"), *target = scratch_path(dir, "target");
	switch (r->make) {
	case MAKE_FILE:
		scratch_write(path, r->content);
		break;
	case MAKE_LINK_TO_FILE:
		scratch_write(target, r->content);
		ck_assert_int_eq(symlink(target, path), 0);
		break;
	case MAKE_DIR:
		ck_assert_int_eq(mkdir(path, 0755), 0);
		break;
	case MAKE_FIFO:
		ck_assert_int_eq(mkfifo(path, 0644), 0);
		break;
	case MAKE_DEV_NULL:
		ck_assert_int_eq(symlink("/dev/null", path), 0);
		break;
	case MAKE_NOTHING:
		break;
	case MAKE_DANGLING:
		ck_assert_int_eq(symlink(target, path), 0);
		break;
	}
	free(target);
	return path;
}

START_TEST(only_a_regular_file_is_read_anything_else_is_refused_at_once)
{
	const struct row *r = &s_rows[_i];
	char *dir = scratch_dir_new("check_regular_file"), *path = s_make(dir, r);
	char err[512] = "";
	size_t len = 99;
	errno = 0;
	char *text = regular_file_read(path, MAX, &len, err, sizeof err);
	if (!r->err) {
		ck_assert_msg(text != NULL, "row %d: refused: %s", _i, err);
		ck_assert_uint_eq(len, strlen(r->content));
		ck_assert_str_eq(text, r->content);
	} else {
		ck_assert_msg(text == NULL, "row %d: read \"%s\"", _i, text);
		ck_assert_msg(errno == r->err, "row %d: errno %d (%s), expected %d", _i, errno, strerror(errno), r->err);
		char expect[1024];
		snprintf(expect, sizeof expect, "%s: %s", path, r->says);
		ck_assert_msg(!strcmp(err, expect), "row %d: \"%s\", expected \"%s\"", _i, err, expect);
	}
	free(text);
	/* the descriptor form gives the same verdict, and a usable descriptor */
	int fd = regular_file_open(path, 0, err, sizeof err);
	ck_assert_msg((fd >= 0) == (!r->err || r->err == EFBIG), "row %d: open gave %d: %s", _i, fd, err);
	if (fd >= 0) {
		char c;
		ck_assert_int_eq(read(fd, &c, 0), 0);
		close(fd);
	}
	free(path);
	scratch_dir_remove(dir);
}
END_TEST

/* O_NOFOLLOW (session and rate-limit files): a symbolic link is refused. */
START_TEST(nofollow_refuses_a_symbolic_link)
{
	char *dir = scratch_dir_new("check_regular_file");
	char *path = s_make(dir, &(struct row){ MAKE_LINK_TO_FILE, "{}", 0, NULL });
	char err[512];
	errno = 0;
	ck_assert_int_eq(regular_file_open(path, O_NOFOLLOW, err, sizeof err), -1);
	ck_assert_int_eq(errno, ELOOP);
	ck_assert_msg(strstr(err, path) != NULL, "%s", err);
	free(path);
	scratch_dir_remove(dir);
}
END_TEST

START_TEST(kinds_are_named_in_words)
{
	ck_assert_str_eq(regular_file_kind(S_IFREG), "a regular file");
	ck_assert_str_eq(regular_file_kind(S_IFSOCK), "a socket");
	ck_assert_str_eq(regular_file_kind(S_IFBLK), "a block device");
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("regular_file");
	TCase *tc = tcase_create("read");
	/* a FIFO that blocked open() would hang: fail in seconds, not a minute */
	tcase_set_timeout(tc, 5);
	tcase_add_loop_test(tc, only_a_regular_file_is_read_anything_else_is_refused_at_once, 0,
			    (int)(sizeof s_rows / sizeof s_rows[0]));
	tcase_add_test(tc, nofollow_refuses_a_symbolic_link);
	tcase_add_test(tc, kinds_are_named_in_words);
	suite_add_tcase(s, tc);
	return s;
}
