/* agg: a minute of readings becomes one record per source with the
 * averages, extremes and end values docs/STORE.md lists; bad readings are
 * rejected whole with a reason; topics that are not readings are ignored. */
#include "agg.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

static json_t *s_json(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	ck_assert_msg(j != NULL, "%s: %s", text, e.text);
	return j;
}

static const struct record *s_find(const struct record *r, size_t n, enum reading_kind kind, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].kind == kind && !strcmp(r[i].n, id))
			return &r[i];
	return NULL;
}

static double s_val(const struct record *r, const char *field)
{
	int i = record_field_index(r->kind, field);
	ck_assert_int_ge(i, 0);
	ck_assert_msg(r->mask & (UINT64_C(1) << i), "%s present", field);
	return r->v[i];
}

/* Each row: readings fed in order, then a field of the closed minute. */
static const struct {
	const char *topic;
	const char *payloads[4];
	enum reading_kind kind;
	const char *n;
	const char *field;
	double want;
	int count;
} s_rows[] = {
	{ "meter/1/rt", { "{\"V1\":230,\"P\":100}", "{\"V1\":232,\"P\":300}", "{\"V1\":234,\"P\":200}" },
	  READING_METER, "1", "V1", 232, 3 },
	{ "meter/1/rt", { "{\"P\":100}", "{\"P\":-300}", "{\"P\":200}" }, READING_METER, "1", "Pmin", -300, 3 },
	{ "meter/1/rt", { "{\"P\":100}", "{\"P\":-300}", "{\"P\":200}" }, READING_METER, "1", "Pmax", 200, 3 },
	{ "meter/1/rt", { "{\"P\":100}", "{\"P\":-300}", "{\"P\":200}" }, READING_METER, "1", "P", 0, 3 },
	{ "meter/2/rt", { "{\"E\":10.5}", "{\"E\":10.75}", "{\"E\":11}" }, READING_METER, "2", "E", 11, 3 },
	/* a field missing from some readings averages over those that had it */
	{ "meter/3/rt", { "{\"F\":50,\"P\":1}", "{\"P\":2}", "{\"F\":49.8,\"P\":3}" }, READING_METER, "3", "F", 49.9, 3 },
	{ "pulse/4", { "{\"count\":10,\"total\":0.1,\"unit\":\"m3\"}", "{\"count\":12,\"total\":0.12,\"unit\":\"m3\"}" },
	  READING_PULSE, "4", "count", 12, 2 },
	{ "pulse/4", { "{\"count\":10,\"total\":0.1}", "{\"count\":12,\"total\":0.12}" }, READING_PULSE, "4", "total",
	  0.12, 2 },
	{ "temp/28-0316a2799aff", { "{\"T\":21}", "{\"T\":22}", "{\"T\":23.5}", "{\"T\":20.5}" }, READING_TEMP,
	  "28-0316a2799aff", "T", 21.75, 4 },
};

START_TEST(test_minute_values)
{
	struct agg a = { 0 };
	char err[256];
	for (int i = 0; i < 4 && s_rows[_i].payloads[i]; i++) {
		json_t *p = s_json(s_rows[_i].payloads[i]);
		ck_assert_int_eq(agg_feed(&a, s_rows[_i].topic, p, err, sizeof err), 1);
		json_decref(p);
	}
	ck_assert_int_eq(agg_readings(&a), s_rows[_i].count);
	struct record out[AGG_SOURCES_MAX];
	size_t n = agg_close(&a, out, AGG_SOURCES_MAX);
	ck_assert_uint_eq(n, 1);
	const struct record *r = s_find(out, n, s_rows[_i].kind, s_rows[_i].n);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->count, s_rows[_i].count);
	ck_assert_int_eq(r->ts, 0);
	ck_assert_double_eq_tol(s_val(r, s_rows[_i].field), s_rows[_i].want, 1e-9);
	/* closing empties the minute */
	ck_assert_uint_eq(agg_close(&a, out, AGG_SOURCES_MAX), 0);
}
END_TEST

START_TEST(test_pulse_unit_kept)
{
	struct agg a = { 0 };
	char err[256];
	json_t *p = s_json("{\"n\":1,\"name\":\"Gas\",\"count\":1234,\"total\":12.34,\"unit\":\"m3\",\"rate\":0.6}");
	ck_assert_int_eq(agg_feed(&a, "pulse/1", p, err, sizeof err), 1);
	json_decref(p);
	struct record out[AGG_SOURCES_MAX];
	ck_assert_uint_eq(agg_close(&a, out, AGG_SOURCES_MAX), 1);
	ck_assert_str_eq(out[0].unit, "m3");
	ck_assert_double_eq(s_val(&out[0], "total"), 12.34);
}
END_TEST

START_TEST(test_sources_kept_apart)
{
	struct agg a = { 0 };
	char err[256];
	json_t *p = s_json("{\"T\":20,\"P\":5,\"count\":3}");
	ck_assert_int_eq(agg_feed(&a, "meter/1/rt", p, err, sizeof err), 1);
	ck_assert_int_eq(agg_feed(&a, "meter/2/rt", p, err, sizeof err), 1);
	ck_assert_int_eq(agg_feed(&a, "pulse/1", p, err, sizeof err), 1);
	ck_assert_int_eq(agg_feed(&a, "temp/28-0000000000aa", p, err, sizeof err), 1);
	json_decref(p);
	struct record out[AGG_SOURCES_MAX];
	ck_assert_uint_eq(agg_close(&a, out, AGG_SOURCES_MAX), 4);
	ck_assert_ptr_nonnull(s_find(out, 4, READING_METER, "2"));
	ck_assert_ptr_nonnull(s_find(out, 4, READING_PULSE, "1"));
	ck_assert_ptr_nonnull(s_find(out, 4, READING_TEMP, "28-0000000000aa"));
}
END_TEST

static const struct {
	const char *topic, *payload;
	int rc;
	const char *why;
} s_bad[] = {
	{ "meter/9/rt", "{\"P\":1}", -1, "1..8" },
	{ "meter/1/rt", "{\"P\":\"high\"}", -1, "P: not a number" },
	{ "meter/1/rt", "{\"P\":1,\"V1\":true}", -1, "V1: not a number" },
	/* finite, but a minute of them sums to infinity (stored, then unservable) */
	{ "meter/1/rt", "{\"P\":1e308}", -1, "P: 1e+308 is out of range -1e+15..1e+15" },
	{ "pulse/1", "{\"count\":1e300}", -1, "count: 1e+300 is out of range" },
	{ "meter/1/rt", "{\"did\":1}", -1, "no field" },
	{ "temp/xyz", "{\"T\":1}", -1, "1-wire" },
	{ "pulse/1", "{\"count\":1,\"unit\":7}", -1, "unit" },
	{ "temp/found", "{\"id\":\"28-0316a2799aff\",\"first_seen\":1}", 0, NULL },
	{ "status/meterd", "{\"P\":1}", 0, NULL },
	{ "meter/1/other", "{\"P\":1}", 0, NULL },
};

START_TEST(test_bad_readings_rejected_whole)
{
	struct agg a = { 0 };
	char err[256] = "";
	json_t *p = s_json(s_bad[_i].payload);
	ck_assert_int_eq(agg_feed(&a, s_bad[_i].topic, p, err, sizeof err), s_bad[_i].rc);
	json_decref(p);
	if (s_bad[_i].why)
		ck_assert_msg(strstr(err, s_bad[_i].why) != NULL, "\"%s\" lacks \"%s\"", err, s_bad[_i].why);
	ck_assert_int_eq(agg_readings(&a), 0);
	struct record out[AGG_SOURCES_MAX];
	ck_assert_uint_eq(agg_close(&a, out, AGG_SOURCES_MAX), 0);
}
END_TEST

/* Feeds 60 readings of one meter (P, E at the minute's end) and, when
 * pulse is set, of pulse input 2; closes the minute into out. */
static size_t s_minute(struct agg *a, double p, double e, bool pulse, bool temp, struct record *out)
{
	char err[256], text[128];
	for (int i = 0; i < 60; i++) {
		snprintf(text, sizeof text, "{\"P\":%g,\"E\":%g}", p, e - 1 + (i + 1) / 60.0);
		json_t *j = s_json(text);
		ck_assert_int_eq(agg_feed(a, "meter/1/rt", j, err, sizeof err), 1);
		json_decref(j);
		if (pulse) {
			snprintf(text, sizeof text, "{\"count\":%d,\"total\":%g}", (int)e * 100 + i, e);
			j = s_json(text);
			ck_assert_int_eq(agg_feed(a, "pulse/2", j, err, sizeof err), 1);
			json_decref(j);
		}
		if (temp) {
			j = s_json("{\"T\":21.5}");
			ck_assert_int_eq(agg_feed(a, "temp/28-0000000000aa", j, err, sizeof err), 1);
			json_decref(j);
		}
	}
	return agg_close(a, out, AGG_SOURCES_MAX);
}

START_TEST(test_carried_minutes_go_into_the_next)
{
	/* the clock set back 180 s: three minutes have no stamp of their own
	 * and go, whole, into the first that has, which no stored minute
	 * shares; its averages cover all four, its registers are its own end */
	struct agg a = { 0 };
	struct agg_carry c = { 0 };
	struct record out[2 * AGG_SOURCES_MAX];
	for (int m = 0; m < 3; m++) {
		size_t n = s_minute(&a, 100.0 * (m + 1), 10 + m, true, false, out);
		ck_assert_uint_eq(n, 2);
		agg_carry_add(&c, out, n);
	}
	ck_assert_int_eq(c.minutes, 3);
	ck_assert_uint_eq(c.n, 2); /* one record per source */
	size_t n = s_minute(&a, 400, 13, false, true, out);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++)
		out[i].ts = 1795544400;
	n = agg_carry_into(&c, out, n, sizeof out / sizeof out[0]);
	ck_assert_uint_eq(n, 3);
	const struct record *m = s_find(out, n, READING_METER, "1");
	ck_assert_int_eq(m->count, 240);
	ck_assert_double_eq_tol(s_val(m, "P"), 250, 1e-9);
	ck_assert_double_eq_tol(s_val(m, "Pmin"), 100, 1e-9);
	ck_assert_double_eq_tol(s_val(m, "Pmax"), 400, 1e-9);
	ck_assert_double_eq_tol(s_val(m, "E"), 13, 1e-9);
	ck_assert_int_eq(m->ts, 1795544400);
	ck_assert(m->restamped);
	/* a source only the carried minutes had comes along, marked */
	const struct record *p = s_find(out, n, READING_PULSE, "2");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->count, 180);
	ck_assert_double_eq_tol(s_val(p, "total"), 12, 1e-9);
	ck_assert(p->restamped);
	/* a source the carried minutes lacked is its own minute */
	const struct record *t = s_find(out, n, READING_TEMP, "28-0000000000aa");
	ck_assert_int_eq(t->count, 60);
	ck_assert(!t->restamped);
	/* emptied: the next minute takes nothing */
	ck_assert_uint_eq(c.n, 0);
	ck_assert_int_eq(c.minutes, 0);
	n = s_minute(&a, 500, 14, false, false, out);
	ck_assert_uint_eq(agg_carry_into(&c, out, n, sizeof out / sizeof out[0]), 1);
	ck_assert_int_eq(out[0].count, 60);
	ck_assert(!out[0].restamped);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("agg");
	TCase *tc = tcase_create("agg");
	tcase_add_loop_test(tc, test_minute_values, 0, sizeof s_rows / sizeof s_rows[0]);
	tcase_add_test(tc, test_pulse_unit_kept);
	tcase_add_test(tc, test_sources_kept_apart);
	tcase_add_loop_test(tc, test_bad_readings_rejected_whole, 0, sizeof s_bad / sizeof s_bad[0]);
	tcase_add_test(tc, test_carried_minutes_go_into_the_next);
	suite_add_tcase(s, tc);
	return s;
}
