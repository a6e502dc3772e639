/* check_state: alarmd's state file as a document: a raised alarm goes
 * out and comes back raised with what its messages say, its times moved
 * onto a new boot's monotonic clock by how long ago they were (a clock
 * set back counts as no time), the owed log kept, entries that are not
 * sound skipped, and only a regular file read. */
#include "state.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct alarm_rule s_raised(void)
{
	struct alarm_rule r = { .watch = WATCH_READING, .meter = 2, .phase = 0, .value_phase = 3, .nemails = 2,
				.enabled = true };
	strcpy(r.id, "7");
	strcpy(r.name, "Over-current");
	strcpy(r.quantity, "I");
	strcpy(r.emails[0], "ops@example.com");
	strcpy(r.emails[1], "boss@example.com");
	strcpy(r.webhook, "http://127.0.0.1:9/hook");
	struct rule_limits lim = { .has_high = true, .high = 10, .recovery_ms = 600000, .reminder_ms = 3600000 };
	rule_init(&r.r, &lim);
	ck_assert_int_eq(rule_step(&r.r, true, 12.5, 50000), RULE_RAISED); /* at mono 50 s */
	r.raised_ts = 1000;                                                   /* = wall 1000 s */
	return r;
}

static const struct {
	double now_wall;
	int64_t now_mono;
	int64_t want_last_sent_ms;
} rows[] = {
	/* saved at wall 1100 (mono 150 s); read back 200 s after raising on
	 * a new boot at mono 7 s: the reminder is 200 s nearer */
	{ 1200, 7000, 7000 - 200000 },
	/* the wall clock went back: as if no time had passed */
	{ 900, 7000, 7000 },
};

START_TEST(test_raised_round_trip)
{
	struct alarm_rule rules[3] = { s_raised() };
	rules[1] = rules[0];
	strcpy(rules[1].id, "8");
	rules[1].r.raised = false; /* normal: not kept */
	json_t *owed = json_pack("[{s:s,s:s,s:f}]", "id", "7", "event", "raised", "ts", 1000.0);
	json_t *doc = state_json(rules, 2, owed, NULL, 1100, 150000);
	char *text = json_dumps(doc, JSON_REAL_PRECISION(17));
	json_t *back = json_loads(text, 0, NULL);
	free(text);
	struct alarm_rule got[4];
	ck_assert_int_eq(state_rules(back, got, 4, rows[_i].now_wall, rows[_i].now_mono), 1);
	ck_assert_str_eq(got[0].id, "7");
	ck_assert_str_eq(got[0].name, "Over-current");
	ck_assert_str_eq(got[0].quantity, "I");
	ck_assert_int_eq(got[0].watch, WATCH_READING);
	ck_assert_int_eq(got[0].meter, 2);
	ck_assert_int_eq(got[0].value_phase, 3);
	ck_assert_int_eq(got[0].nemails, 2);
	ck_assert_str_eq(got[0].emails[1], "boss@example.com");
	ck_assert_str_eq(got[0].webhook, "http://127.0.0.1:9/hook");
	ck_assert(got[0].r.raised);
	ck_assert(got[0].r.high);
	ck_assert_double_eq(got[0].r.value, 12.5);
	ck_assert_double_eq(got[0].r.limit, 10);
	ck_assert_double_eq(got[0].raised_ts, 1000);
	ck_assert_int_eq(got[0].r.events, 1);
	ck_assert_int_eq(got[0].r.inside_since_ms, -1);
	ck_assert_msg(llabs(got[0].r.last_sent_ms - rows[_i].want_last_sent_ms) <= 1, "last sent %lld, want %lld",
		      (long long)got[0].r.last_sent_ms, (long long)rows[_i].want_last_sent_ms);
	ck_assert(json_equal(json_object_get(back, "log"), owed));
	/* with the config's limits again, the reminder schedule goes on from
	 * the last message and recovery still works */
	struct rule_limits lim = { .has_high = true, .high = 10, .recovery_ms = 1000, .reminder_ms = 3600000 };
	rule_set_limits(&got[0].r, &lim);
	ck_assert_int_eq(rule_step(&got[0].r, true, 12, rows[_i].now_mono + 1000), RULE_NONE); /* no second raise */
	ck_assert_int_eq(rule_step(&got[0].r, true, 5, rows[_i].now_mono + 2000), RULE_NONE);
	ck_assert_int_eq(rule_step(&got[0].r, true, 5, rows[_i].now_mono + 3000), RULE_RECOVERED);
	json_decref(owed);
	json_decref(back);
	json_decref(doc);
}
END_TEST

START_TEST(test_unsound_entries_skipped)
{
	json_t *doc = json_loads("{\"version\":1,\"raised\":["
				 "{\"id\":\"1\",\"watch\":\"teleport\"},"
				 "{\"id\":\"2\",\"watch\":\"reading\",\"name\":3},"
				 "{\"id\":\"3\",\"watch\":\"clock\",\"name\":\"Clock\",\"quantity\":\"\",\"probe\":\"\","
				 "\"daemon\":\"\",\"webhook\":\"\",\"detail\":\"\",\"emails\":[],\"raised_ts\":5,"
				 "\"last_sent_ts\":5}]}",
				 0, NULL);
	ck_assert_ptr_nonnull(doc);
	struct alarm_rule got[4];
	ck_assert_int_eq(state_rules(doc, got, 4, 10, 1000), 1);
	ck_assert_str_eq(got[0].id, "3");
	ck_assert_int_eq(got[0].watch, WATCH_CLOCK);
	json_decref(doc);
}
END_TEST

START_TEST(test_file_saved_and_loaded)
{
	char dir[] = "/tmp/check_state.XXXXXX", path[64], err[256];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/" ALARMD_STATE_FILE, dir);
	ck_assert_ptr_null(state_load(path, err, sizeof err));
	ck_assert_str_eq(err, ""); /* none yet: not an error */
	struct alarm_rule r = s_raised();
	json_t *doc = state_json(&r, 1, NULL, NULL, 1100, 150000);
	ck_assert_msg(state_save(path, doc, err, sizeof err) == 0, "%s", err);
	json_t *back = state_load(path, err, sizeof err);
	ck_assert_msg(back != NULL, "%s", err);
	ck_assert(json_equal(doc, back));
	json_decref(back);
	FILE *f = fopen(path, "w");
	fputs("{\"version\":2}", f);
	fclose(f);
	ck_assert_ptr_null(state_load(path, err, sizeof err));
	ck_assert_msg(strstr(err, "not a version 1"), "%s", err);
	/* a FIFO in its place is refused at once, not waited on */
	unlink(path);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_ptr_null(state_load(path, err, sizeof err));
	ck_assert_msg(strstr(err, "FIFO"), "%s", err);
	json_decref(doc);
	unlink(path);
	rmdir(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_raised_round_trip, 0, (int)(sizeof rows / sizeof rows[0]));
	tcase_add_test(tc, test_unsound_entries_skipped);
	tcase_add_test(tc, test_file_saved_and_loaded);
	suite_add_tcase(s, tc);
	return s;
}
