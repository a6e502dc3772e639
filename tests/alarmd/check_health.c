/* check_health: the health alarms' values read from the daemons' statuses
 * (docs/BUS.md, docs/UPLOAD.md), as tables of status JSON and the value
 * each must give. */
#include "health.h"

#include <check.h>
#include <string.h>

static json_t *s_json(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	ck_assert_msg(j, "fixture: %s", e.text);
	return j;
}

static const struct {
	const char *status;
	double now, want;
	const char *detail; /* a part of it, or "" for none */
} backlog_rows[] = {
	{ "{\"targets\":[]}", 1000, 0, "" },
	{ "{}", 1000, 0, "" },
	{ "{\"targets\":[{\"name\":\"a\",\"enabled\":true,\"backlog\":0,\"in_flight\":0,\"last_success\":10}]}", 1000, 0,
	  "" },
	{ "{\"targets\":[{\"name\":\"a\",\"enabled\":true,\"backlog\":5,\"in_flight\":0,\"last_success\":400}]}", 1000,
	  600, "\"a\": 5 records" },
	{ "{\"targets\":[{\"name\":\"a\",\"enabled\":false,\"backlog\":5,\"last_success\":400}]}", 1000, 0, "" },
	{ "{\"targets\":[{\"name\":\"a\",\"enabled\":true,\"backlog\":0,\"in_flight\":3,\"last_success\":900}]}", 1000,
	  100, "3 records" },
	{ "{\"targets\":[{\"name\":\"a\",\"enabled\":true,\"backlog\":null,\"in_flight\":0,\"last_success\":1}]}", 1000,
	  0, "" }, /* storaged not asked: nothing known to be waiting */
	{ "{\"targets\":[{\"name\":\"a\",\"enabled\":true,\"backlog\":2,\"last_success\":900},"
	  "{\"name\":\"b\",\"enabled\":true,\"backlog\":7,\"last_success\":100}]}",
	  1000, 900, "\"b\": 7" },
};

START_TEST(test_backlog)
{
	double since[HEALTH_TARGETS] = { 0 };
	char names[HEALTH_TARGETS][65] = { "" };
	char detail[256];
	json_t *st = s_json(backlog_rows[_i].status);
	double v = health_upload_backlog(st, backlog_rows[_i].now, since, names, detail, sizeof detail);
	ck_assert_msg(v == backlog_rows[_i].want, "row %d: %g, want %g", _i, v, backlog_rows[_i].want);
	ck_assert_msg(backlog_rows[_i].detail[0] ? strstr(detail, backlog_rows[_i].detail) != NULL : !detail[0],
		      "row %d: detail \"%s\"", _i, detail);
	json_decref(st);
}
END_TEST

START_TEST(test_backlog_never_delivered_counts_from_first_seen)
{
	double since[HEALTH_TARGETS] = { 0 };
	char names[HEALTH_TARGETS][65] = { "" };
	char detail[256];
	json_t *st = s_json("{\"targets\":[{\"name\":\"a\",\"enabled\":true,\"backlog\":4,\"last_success\":null}]}");
	ck_assert_double_eq(health_upload_backlog(st, 1000, since, names, detail, sizeof detail), 0);
	ck_assert_double_eq(health_upload_backlog(st, 1030, since, names, detail, sizeof detail), 30);
	ck_assert(strstr(detail, "none delivered yet"));
	json_t *other = s_json("{\"targets\":[{\"name\":\"b\",\"enabled\":true,\"backlog\":4,\"last_success\":null}]}");
	/* another target in that place starts its own count */
	ck_assert_double_eq(health_upload_backlog(other, 1040, since, names, detail, sizeof detail), 0);
	json_t *done = s_json("{\"targets\":[{\"name\":\"b\",\"enabled\":true,\"backlog\":0,\"last_success\":1041}]}");
	ck_assert_double_eq(health_upload_backlog(done, 1050, since, names, detail, sizeof detail), 0);
	ck_assert_double_eq(since[0], 0);
	json_decref(st);
	json_decref(other);
	json_decref(done);
}
END_TEST

static const struct {
	const char *status;
	int meter, want;
	const char *detail;
} wiring_rows[] = {
	{ "{}", 1, 0, "" },
	{ "{\"reversed_ct\":[{\"meter\":2,\"phase\":1,\"why\":\"steady export\"}]}", 1, 0, "" },
	{ "{\"reversed_ct\":[{\"meter\":2,\"phase\":1,\"why\":\"steady export\"}]}", 2, 1, "Phase 1: reversed: steady export" },
	{ "{\"wiring\":[{\"meter\":3,\"phase\":2,\"verdict\":\"ok\"},{\"meter\":3,\"phase\":3,\"verdict\":\"reversed\"}]}",
	  3, 1, "Phase 3: reversed" },
	/* with "wiring" there, reversed_ct is the same fault again: not counted twice */
	{ "{\"reversed_ct\":[{\"meter\":1,\"phase\":3,\"why\":\"x\"}],\"wiring\":[{\"meter\":1,\"phase\":3,"
	  "\"verdict\":\"reversed\",\"why\":\"y\"}]}",
	  1, 1, "Phase 3: reversed: y" },
	{ "{\"wiring\":[{\"meter\":1,\"phase\":0,\"verdict\":\"rotation_reversed\"},{\"meter\":1,\"phase\":1,"
	  "\"verdict\":\"wrong_phase\"},{\"meter\":1,\"phase\":2,\"verdict\":\"no_ct\"},{\"meter\":1,\"phase\":3,"
	  "\"verdict\":\"no_voltage\"}]}",
	  1, 4, "Phase 0: rotation_reversed" },
	{ "{\"wiring\":[{\"meter\":1,\"phase\":0,\"verdict\":\"unknown\"},{\"meter\":1,\"phase\":1,"
	  "\"verdict\":\"idle\"},{\"meter\":1,\"phase\":2,\"verdict\":\"judging\"},{\"meter\":1,\"phase\":3,"
	  "\"verdict\":\"ok\"}]}",
	  1, 0, "" },
};

START_TEST(test_wiring)
{
	char detail[256];
	json_t *st = s_json(wiring_rows[_i].status);
	int n = health_wiring(st, wiring_rows[_i].meter, detail, sizeof detail);
	ck_assert_msg(n == wiring_rows[_i].want, "row %d: %d, want %d", _i, n, wiring_rows[_i].want);
	ck_assert_msg(wiring_rows[_i].detail[0] ? strstr(detail, wiring_rows[_i].detail) != NULL : !detail[0],
		      "row %d: detail \"%s\"", _i, detail);
	json_decref(st);
}
END_TEST

static const struct {
	const char *status;
	bool have;
	double pct;
} disk_rows[] = {
	{ "{}", false, 0 },
	{ "{\"bytes\":1048576,\"max_mb\":16}", true, 6.25 },
	{ "{\"bytes\":15728640,\"max_mb\":16}", true, 93.75 },
	{ "{\"bytes\":1,\"max_mb\":16,\"fault\":\"card: write failed\"}", true, 100 },
	{ "{\"bytes\":1,\"max_mb\":0}", false, 0 },
};

START_TEST(test_disk)
{
	char detail[256];
	double pct = -1;
	json_t *st = s_json(disk_rows[_i].status);
	bool have = health_disk(st, &pct, detail, sizeof detail);
	ck_assert_msg(have == disk_rows[_i].have, "row %d", _i);
	if (have)
		ck_assert_msg(pct == disk_rows[_i].pct, "row %d: %g%%, want %g", _i, pct, disk_rows[_i].pct);
	json_decref(st);
}
END_TEST

/* A source's silence counts from its last reading or from when its rule
 * came into force, whichever is later: a meter switched on long after
 * alarmd started is not silent for alarmd's whole uptime. */
static const struct {
	int64_t last_ms, watched_ms, now_ms;
	double silent_s;
} silent_rows[] = {
	{ 0, 1000, 10000, 9.0 },       /* never heard: since alarmd's start */
	{ 0, 50000, 50700, 0.7 },      /* switched on at 50 s, alarmd up since 1 s */
	{ 8000, 1000, 10000, 2.0 },    /* heard at 8 s */
	{ 8000, 50000, 51000, 1.0 },   /* heard before a switch off and on again */
	{ 60000, 50000, 60000, 0.0 },  /* just heard */
};

START_TEST(test_silent_counts_from_the_rule_or_the_last_reading)
{
	ck_assert_double_eq_tol(
		health_silent_s(silent_rows[_i].last_ms, silent_rows[_i].watched_ms, silent_rows[_i].now_ms),
		silent_rows[_i].silent_s, 1e-9);
}
END_TEST

/* A daemon's statuses as alarmd polls them: (pid, uptime_s) at now; the
 * starts counted within a 100 s window after each. */
static const struct {
	struct {
		int pid;
		double uptime_s, now;
		int want;
	} polls[8];
} starts_rows[] = {
	/* running all along: its one start, forgotten once out of the window */
	{ { { 10, 5, 1000, 1 }, { 10, 7, 1002, 1 }, { 10, 99, 1094, 1 }, { 10, 101, 1096, 0 }, { 0 } } },
	/* restarted three times: a new pid each */
	{ { { 10, 1, 1000, 1 }, { 11, 1, 1002, 2 }, { 11, 3, 1004, 2 }, { 12, 0, 1005, 3 }, { 13, 1, 1008, 4 },
	    /* not answering (pid 0): the count stays, then ages out */
	    { 0, 0, 1050, 4 }, { 0, 0, 1100, 3 }, { 0, 0, 1108, 0 } } },
	/* first seen long after it started: no start in the window */
	{ { { 10, 5000, 1000, 0 }, { 10, 5002, 1002, 0 }, { 11, 1, 1004, 1 }, { 0 } } },
};

START_TEST(test_starts)
{
	struct health_starts s = { 0 };
	for (int k = 0; k < 8 && starts_rows[_i].polls[k].now; k++) {
		int got = health_starts_seen(&s, starts_rows[_i].polls[k].pid, starts_rows[_i].polls[k].uptime_s,
					     starts_rows[_i].polls[k].now, 100);
		ck_assert_msg(got == starts_rows[_i].polls[k].want, "row %d poll %d: %d starts, want %d", _i, k, got,
			      starts_rows[_i].polls[k].want);
	}
}
END_TEST

START_TEST(test_starts_bounded)
{
	struct health_starts s = { 0 };
	int got = 0;
	for (int pid = 1; pid <= HEALTH_STARTS_MAX + 10; pid++)
		got = health_starts_seen(&s, pid, 0, 1000 + pid, 1000);
	ck_assert_int_eq(got, HEALTH_STARTS_MAX);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("health");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_backlog, 0, (int)(sizeof backlog_rows / sizeof backlog_rows[0]));
	tcase_add_test(tc, test_backlog_never_delivered_counts_from_first_seen);
	tcase_add_loop_test(tc, test_wiring, 0, (int)(sizeof wiring_rows / sizeof wiring_rows[0]));
	tcase_add_loop_test(tc, test_disk, 0, (int)(sizeof disk_rows / sizeof disk_rows[0]));
	tcase_add_loop_test(tc, test_silent_counts_from_the_rule_or_the_last_reading, 0,
			    (int)(sizeof silent_rows / sizeof silent_rows[0]));
	tcase_add_loop_test(tc, test_starts, 0, (int)(sizeof starts_rows / sizeof starts_rows[0]));
	tcase_add_test(tc, test_starts_bounded);
	suite_add_tcase(s, tc);
	return s;
}
