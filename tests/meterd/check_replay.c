/* check_replay: the replay file format.  Good files give their frames
 * (channels in any order, absent ones 0); every bad file is refused with
 * "file:line: reason" naming what was wrong. */
#include <check.h>

#include "source_replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct row {
	const char *text;
	const char *error; /* NULL: valid; else the line prefix and a word of the reason */
	const char *why;
};

static const struct row s_rows[] = {
	{ "# rate=4000\nV1,CT1_1\n1,2\n3,4\n", NULL, NULL },
	{ "# rate=4000\r\nCT2_3 , V2\r\n 0.5 ,-230.25\r\n\r\n1e-3,2\r\n", NULL, NULL },
	{ "", "t.csv:1:", "rate" },
	{ "V1,V2\n1,2\n", "t.csv:1:", "rate" },
	{ "# samples=4000\nV1\n1\n", "t.csv:1:", "rate" },
	{ "# rate=fast\nV1\n1\n", "t.csv:1:", "not a number" },
	{ "# rate=0\nV1\n1\n", "t.csv:1:", "samples per second" },
	{ "# rate=4000\n", "t.csv:2:", "header" },
	{ "# rate=4000\nV1,I1\n1,2\n", "t.csv:2:", "\"I1\" is not a channel" },
	{ "# rate=4000\nV1,CT9_1\n1,2\n", "t.csv:2:", "not a channel" },
	{ "# rate=4000\nV1,,V2\n1,2,3\n", "t.csv:2:", "not a channel" },
	{ "# rate=4000\nV1,V2,V1\n1,2,3\n", "t.csv:2:", "V1 appears twice" },
	{ "# rate=4000\nV1,V2\n1,2\n1,2,3\n", "t.csv:4:", "3 columns, the header has 2" },
	{ "# rate=4000\nV1,V2\n1\n", "t.csv:3:", "1 columns, the header has 2" },
	{ "# rate=4000\nV1,V2\n1,abc\n", "t.csv:3:", "column 2 (V2): \"abc\" is not a number" },
	{ "# rate=4000\nV1,V2\n1,\n", "t.csv:3:", "column 2 (V2)" },
	{ "# rate=4000\nV1,V2\n1,nan\n", "t.csv:3:", "not a number" },
	{ "# rate=4000\nV1,V2\n1,2x\n", "t.csv:3:", "not a number" },
};
#define NROWS ((int)(sizeof s_rows / sizeof s_rows[0]))

START_TEST(replay_accepts_good_files_and_names_file_line_and_reason_otherwise)
{
	const struct row *r = &s_rows[_i];
	FILE *f = fmemopen((void *)r->text, strlen(r->text), "r");
	if (!f) /* fmemopen refuses a zero-length buffer on some libcs */
		f = fopen("/dev/null", "r");
	char err[512] = "";
	struct replay *rp = replay_open_stream(f, "t.csv", err, sizeof err);
	float frames[8 * ENGINE_CHANNELS];
	long n = -1;
	if (rp)
		n = replay_read(rp, frames, 8, err, sizeof err);
	if (!r->error) {
		ck_assert_msg(rp && n == 2, "row %d: refused (%s), n %ld", _i, err, n);
	} else {
		ck_assert_msg(!rp || n < 0, "row %d: accepted a bad file", _i);
		ck_assert_msg(!strncmp(err, r->error, strlen(r->error)) && strstr(err, r->why),
			      "row %d: error \"%s\", expected \"%s ...%s...\"", _i, err, r->error, r->why);
	}
	replay_destroy(&rp);
}
END_TEST

START_TEST(columns_land_on_their_channels_and_absent_channels_read_zero)
{
	const char *text = "# rate=4000\nCT2_3, V2\n0.5,-230.25\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	char err[256];
	struct replay *rp = replay_open_stream(f, "t.csv", err, sizeof err);
	ck_assert_ptr_nonnull(rp);
	ck_assert_double_eq(replay_rate(rp), 4000);
	float fr[2 * ENGINE_CHANNELS];
	ck_assert_int_eq(replay_read(rp, fr, 2, err, sizeof err), 1);
	for (int c = 0; c < ENGINE_CHANNELS; c++) {
		double want = c == engine_channel_index("CT2_3") ? 0.5 : c == engine_channel_index("V2") ? -230.25 : 0;
		ck_assert_double_eq(fr[c], (float)want);
	}
	ck_assert_int_eq(replay_read(rp, fr, 2, err, sizeof err), 0);
	ck_assert_int_eq(replay_rewind(rp, err, sizeof err), 0);
	ck_assert_int_eq(replay_read(rp, fr, 2, err, sizeof err), 1);
	replay_destroy(&rp);
}
END_TEST

START_TEST(a_missing_file_is_named)
{
	char err[256];
	ck_assert_ptr_null(replay_open("/nonexistent/w.csv", err, sizeof err));
	ck_assert_msg(strstr(err, "/nonexistent/w.csv") && strstr(err, "cannot open"), "%s", err);
}
END_TEST

/* A FIFO would block meterd in open() until someone wrote to it (and a
 * replay seeks back to loop); a device never ends: refused at once. */
START_TEST(only_a_regular_file_is_replayed)
{
	char dir[] = "/tmp/check_replay.XXXXXX", fifo[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, sizeof fifo, "%s/w.csv", dir);
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	char err[512];
	ck_assert_ptr_null(replay_open(fifo, err, sizeof err));
	ck_assert_msg(strstr(err, fifo) && strstr(err, "is a FIFO, not a regular file"), "%s", err);
	ck_assert_ptr_null(replay_open("/dev/zero", err, sizeof err));
	ck_assert_msg(strstr(err, "/dev/zero: is a character device, not a regular file"), "%s", err);
	ck_assert_int_eq(unlink(fifo), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("replay");
	TCase *tc = tcase_create("format");
	tcase_add_loop_test(tc, replay_accepts_good_files_and_names_file_line_and_reason_otherwise, 0, NROWS);
	tcase_add_test(tc, columns_land_on_their_channels_and_absent_channels_read_zero);
	tcase_add_test(tc, a_missing_file_is_named);
	tcase_add_test(tc, only_a_regular_file_is_replayed);
	suite_add_tcase(s, tc);
	return s;
}
