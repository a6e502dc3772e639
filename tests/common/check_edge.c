/* check_edge: the edge line format (edge.h), one table of lines and what
 * each must give, and the reader that splits a stream into lines whatever
 * the size of the pieces it arrives in, numbering them for error messages. */
#include <check.h>

#include "edge.h"

#include <stdio.h>
#include <string.h>

struct row {
	const char *line;
	int rc; /* 1 edge, 0 nothing, -1 refused */
	int64_t ts;
	int input, level;
	const char *why; /* part of the reason, for -1 */
};

static const struct row s_rows[] = {
	{ "1000000000 1 1", 1, 1000000000, 1, 1, NULL },
	{ "0 8 0", 1, 0, 8, 0, NULL },
	{ "  42\t3  0  ", 1, 42, 3, 0, NULL },
	{ "9223372036854775807 2 1", 1, INT64_MAX, 2, 1, NULL },
	{ "5 1 1\r", 1, 5, 1, 1, NULL },
	{ "", 0, 0, 0, 0, NULL },
	{ "   ", 0, 0, 0, 0, NULL },
	{ "# a comment", 0, 0, 0, 0, NULL },
	{ "9223372036854775808 2 1", -1, 0, 0, 0, "64-bit" },
	{ "-5 1 1", -1, 0, 0, 0, "timestamp" },
	{ "1.5 1 1", -1, 0, 0, 0, "timestamp" },
	{ "abc 1 1", -1, 0, 0, 0, "timestamp" },
	{ "100", -1, 0, 0, 0, "missing input" },
	{ "100 1", -1, 0, 0, 0, "missing level" },
	{ "100 0 1", -1, 0, 0, 0, "input must be 1 to 8" },
	{ "100 9 1", -1, 0, 0, 0, "input must be 1 to 8" },
	{ "100 x 1", -1, 0, 0, 0, "input must be 1 to 8" },
	{ "100 1 2", -1, 0, 0, 0, "level must be 0" },
	{ "100 1 -1", -1, 0, 0, 0, "level must be 0" },
	{ "100 1 1 extra", -1, 0, 0, 0, "unexpected text" },
	{ "100 1 1x", -1, 0, 0, 0, "level must be 0" },
};

START_TEST(test_line)
{
	const struct row *r = &s_rows[_i];
	struct pulse_edge e = { 0 };
	char why[128] = "";
	int rc = edge_line_parse(r->line, strlen(r->line), &e, why, sizeof why);
	ck_assert_msg(rc == r->rc, "\"%s\": rc %d, expected %d (%s)", r->line, rc, r->rc, why);
	if (rc == 1) {
		ck_assert(e.ts_ns == r->ts);
		ck_assert_int_eq(e.input, r->input);
		ck_assert_int_eq(e.level, r->level);
	}
	if (rc < 0)
		ck_assert_msg(strstr(why, r->why), "\"%s\": reason \"%s\" lacks \"%s\"", r->line, why, r->why);
}
END_TEST

struct got {
	int edges;
	int64_t ts_sum;
	unsigned long bad_lines[8];
	char bad_why[8][128];
	int bad;
};

static void s_edge(void *ud, const struct pulse_edge *e)
{
	struct got *g = ud;
	g->edges++;
	g->ts_sum += e->ts_ns;
}

static void s_bad(void *ud, unsigned long line, const char *why)
{
	struct got *g = ud;
	if (g->bad < 8) {
		g->bad_lines[g->bad] = line;
		snprintf(g->bad_why[g->bad], sizeof g->bad_why[0], "%s", why);
	}
	g->bad++;
}

static const char s_stream[] = "10 1 1\n"
			       "# comment\n"
			       "20 1 0\n"
			       "oops\n"
			       "30 2 1\n"
			       "\n"
			       "40 2 0\n"
			       "50 2 1"; /* no newline at the end */

/* Every piece size from 1 byte to the whole: the same edges, the same
 * line numbers for the bad line. */
START_TEST(test_reader_any_chunking)
{
	size_t len = strlen(s_stream);
	for (size_t chunk = 1; chunk <= len; chunk++) {
		struct got g = { 0 };
		struct edge_reader r;
		edge_reader_init(&r, s_edge, s_bad, &g);
		for (size_t off = 0; off < len; off += chunk)
			edge_reader_feed(&r, s_stream + off, off + chunk > len ? len - off : chunk);
		ck_assert_int_eq(g.edges, 4); /* the unterminated last line waits */
		edge_reader_finish(&r);
		ck_assert_int_eq(g.edges, 5);
		ck_assert(g.ts_sum == 150);
		ck_assert_int_eq(g.bad, 1);
		ck_assert_uint_eq(g.bad_lines[0], 4);
	}
}
END_TEST

START_TEST(test_reader_overlong_and_nul)
{
	struct got g = { 0 };
	struct edge_reader r;
	edge_reader_init(&r, s_edge, s_bad, &g);
	char big[1000];
	memset(big, '1', sizeof big);
	edge_reader_feed(&r, "10 1 1\n", 7);
	edge_reader_feed(&r, big, sizeof big);
	edge_reader_feed(&r, "\n20 1 0\n", 8);
	edge_reader_feed(&r, "30 1\0 1\n", 8);
	edge_reader_feed(&r, "40 1 1\n", 7);
	ck_assert_int_eq(g.edges, 3);
	ck_assert_int_eq(g.bad, 2);
	ck_assert_uint_eq(g.bad_lines[0], 2);
	ck_assert_msg(strstr(g.bad_why[0], "longer than"), "%s", g.bad_why[0]);
	ck_assert_uint_eq(g.bad_lines[1], 4);
	ck_assert_msg(strstr(g.bad_why[1], "NUL"), "%s", g.bad_why[1]);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("edge");
	TCase *tc = tcase_create("format");
	tcase_add_loop_test(tc, test_line, 0, sizeof s_rows / sizeof s_rows[0]);
	tcase_add_test(tc, test_reader_any_chunking);
	tcase_add_test(tc, test_reader_overlong_and_nul);
	suite_add_tcase(s, tc);
	return s;
}
