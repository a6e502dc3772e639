/* history: hours and days answered from the quarter-hour rollups equal
 * what averaging and summing the stored minutes gives, computed here
 * from the minutes written, over random data with gaps, fields missing
 * from some minutes, a restamped minute holding several minutes'
 * readings and a minute stored late into a closed period; in UTC, in a
 * zone half an hour off UTC and across a change of the clocks; with the
 * rollups kept as minutes are stored, built anew at open (a store from
 * before them), trimmed by retention and removed by reset-data. */
#include "store.h"

#include <check.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* 2026-10-23 00:00 UTC: Europe's clocks go back on the 25th */
#define T0 INT64_C(1792713600)
#define DAYS 4
#define MINUTES_MAX (DAYS * 1440)

#define STORE_FIXTURE_NAME "check_history"
#include "store_fixture.h"

static void s_sql(const char *sql)
{
	char path[128];
	snprintf(path, sizeof path, "%s/" STORE_FILE, s_dir);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int64_t s_sql_int(const char *sql)
{
	char path[128];
	snprintf(path, sizeof path, "%s/" STORE_FILE, s_dir);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *s;
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* the minutes written, per source, in time order */
static struct record s_meter[MINUTES_MAX], s_pulse[MINUTES_MAX];
static size_t s_nmeter, s_npulse;

/* A float32 value (what the store keeps of an average) */
static double s_f32(double x)
{
	return (float)x;
}

/* Writes random minutes of meter 1 and pulse input 1 over DAYS days:
 * stretches missing (gaps of 1 to 200 minutes), V1 missing from some
 * minutes, one minute restamped holding four minutes' readings, a
 * transaction of one to 90 minutes at a time, and one minute of meter 1
 * stored 7 hours late, into hours already rolled up. */
static void s_fill(struct store *st, unsigned seed)
{
	srand(seed);
	s_nmeter = s_npulse = 0;
	int ip = record_field_index(READING_METER, "P"), iv = record_field_index(READING_METER, "V1"),
	    ipmax = record_field_index(READING_METER, "Pmax"), ie = record_field_index(READING_METER, "E"),
	    ic = record_field_index(READING_PULSE, "count"), it = record_field_index(READING_PULSE, "total");
	double e = 5000 + rand() % 1000, count = rand() % 100;
	static struct record batch[200];
	size_t nb = 0;
	int64_t late = -1;
	struct record late_rec;
	for (int m = 0; m < DAYS * 1440; m++) {
		if (rand() % 500 == 0)
			m += 1 + rand() % 200; /* a gap */
		if (m >= DAYS * 1440)
			break;
		int64_t ts = T0 + 60 * (int64_t)m;
		bool restamped = rand() % 700 == 0;
		struct record r = { .kind = READING_METER, .n = "1", .ts = ts, .count = restamped ? 240 : 50 + rand() % 11,
				    .restamped = restamped };
		r.v[ip] = s_f32(1000 + rand() % 3000 + (rand() % 100) / 10.0);
		r.v[ipmax] = s_f32(r.v[ip] + rand() % 500);
		e += (rand() % 10000) / 100.0;
		r.v[ie] = e;
		r.mask = (UINT64_C(1) << ip) | (UINT64_C(1) << ipmax) | (UINT64_C(1) << ie);
		if (rand() % 10) {
			r.v[iv] = s_f32(220 + (rand() % 300) / 10.0);
			r.mask |= UINT64_C(1) << iv;
		}
		struct record p = { .kind = READING_PULSE, .n = "1", .ts = ts, .count = r.count, .unit = "m3" };
		count += rand() % 4;
		p.v[ic] = count;
		p.v[it] = count * 0.01;
		p.mask = (UINT64_C(1) << ic) | (UINT64_C(1) << it);
		if (late < 0 && m > 2000 && rand() % 50 == 0) {
			/* held back: stored 7 hours later, into rolled-up hours */
			late = ts;
			late_rec = r;
		} else {
			batch[nb++] = r;
		}
		batch[nb++] = p;
		s_meter[s_nmeter++] = r;
		s_pulse[s_npulse++] = p;
		if (nb >= 2 * (size_t)(1 + rand() % 90) || m == DAYS * 1440 - 1) {
			char err[512];
			ck_assert_msg(store_write(st, batch, nb, err, sizeof err) == 0, "%s", err);
			nb = 0;
			if (late >= 0 && late != INT64_MAX && ts > late + 7 * 3600) {
				ck_assert_msg(store_write(st, &late_rec, 1, err, sizeof err) == 0, "%s", err);
				late = INT64_MAX; /* once */
			}
		}
	}
	char err[512];
	ck_assert_msg(!nb || store_write(st, batch, nb, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(late == INT64_MAX, "the late minute was stored");
}

/* The bucket a minute belongs to as text in the zone in force. */
static void s_key(int64_t ts, int64_t step, char *buf, size_t len)
{
	time_t t = (time_t)ts;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, len, step == 86400 ? "%Y-%m-%d" : step == 3600 ? "%Y-%m-%d %H%z" : "%Y-%m-%d %H:%M%z", &tm);
}

/* Checks h (store_history's answer for field of the source whose minutes
 * are recs[0..n), over [from, to) at step in zone tz) against the minutes
 * themselves. */
static void s_check(const json_t *h, const struct record *recs, size_t n, const char *field, int64_t from, int64_t to,
		    int64_t step, const char *tz)
{
	ck_assert_ptr_nonnull(h);
	setenv("TZ", tz, 1);
	tzset();
	int fi = record_field_index(recs[0].kind, field);
	size_t nf;
	const struct reading_field *f = &record_fields(recs[0].kind, &nf)[fi];
	uint64_t bit = UINT64_C(1) << fi;
	json_t *pts = json_object_get(h, "points");
	size_t k = 0, np = json_array_size(pts);
	bool have_prev = false;
	double prev = 0;
	for (size_t i = 0; i < n;) {
		if (!(recs[i].mask & bit) || recs[i].ts >= to) {
			i++;
			continue;
		}
		if (recs[i].ts < from) {
			have_prev = true;
			prev = recs[i++].v[fi];
			continue;
		}
		char key[64], k2[64];
		s_key(recs[i].ts, step, key, sizeof key);
		double sum = 0, w = 0, lo = INFINITY, hi = -INFINITY, end = 0;
		size_t j = i;
		for (; j < n && recs[j].ts < to; j++) {
			s_key(recs[j].ts, step, k2, sizeof k2);
			if (strcmp(k2, key))
				break;
			if (!(recs[j].mask & bit))
				continue;
			sum += recs[j].v[fi] * recs[j].count;
			w += recs[j].count;
			lo = fmin(lo, recs[j].v[fi]);
			hi = fmax(hi, recs[j].v[fi]);
			end = recs[j].v[fi];
		}
		i = j;
		ck_assert_msg(k < np, "%s %s: no point for %s", field, tz, key);
		json_t *pt = json_array_get(pts, k++);
		s_key(json_integer_value(json_array_get(pt, 0)), step, k2, sizeof k2);
		ck_assert_msg(!strcmp(k2, key), "%s %s: point %zu is %s, the minutes say %s", field, tz, k - 1, k2, key);
		if (step == 86400) {
			time_t t = (time_t)json_integer_value(json_array_get(pt, 0));
			struct tm tm;
			localtime_r(&t, &tm);
			ck_assert_msg(tm.tm_hour == 0 && tm.tm_min == 0, "%s: a day begins at local midnight", tz);
		}
		double want = f->agg == READING_AVG ? sum / w : f->agg == READING_MIN ? lo : f->agg == READING_MAX ? hi
														   : end;
		double got = json_number_value(json_array_get(pt, f->agg == READING_LAST ? 2 : 1));
		ck_assert_msg(fabs(got - want) <= 1e-6 * fabs(want) + 1e-9, "%s %s %s: %.9g, the minutes give %.9g", field,
			      tz, key, got, want);
		if (f->agg == READING_LAST) {
			json_t *d = json_array_get(pt, 1);
			ck_assert_msg(have_prev ? json_is_number(d) : json_is_null(d), "%s %s: delta of %s", field, tz, key);
			if (have_prev)
				ck_assert_msg(fabs(json_number_value(d) - (end - prev)) < 1e-6, "%s %s %s: delta %.9g, not %.9g",
					      field, tz, key, json_number_value(d), end - prev);
			have_prev = true;
			prev = end;
		}
	}
	ck_assert_msg(k == np, "%s %s: %zu points, the minutes make %zu", field, tz, np, k);
	unsetenv("TZ");
	tzset();
}

/* Every field kind, both rollup resolutions, three zones, a whole range
 * and a ragged one (ends within quarter hours). */
static void s_check_all(struct store *st)
{
	static const struct {
		enum reading_kind kind;
		const char *field;
	} fields[] = { { READING_METER, "P" },     { READING_METER, "V1" },     { READING_METER, "Pmax" },
		       { READING_METER, "E" },     { READING_PULSE, "count" }, { READING_PULSE, "total" } };
	static const char *const zones[] = { "UTC", "Asia/Kolkata", "Europe/Paris" };
	static const int64_t steps[] = { 60, 3600, 86400 };
	static const int64_t ranges[][2] = { { T0 - 86400, T0 + (DAYS + 1) * 86400 },
					     { T0 + 3 * 3600 + 7 * 60, T0 + 3 * 86400 + 11 * 3600 + 23 * 60 } };
	char err[512];
	for (size_t fi = 0; fi < sizeof fields / sizeof fields[0]; fi++)
		for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++)
			for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++)
				for (size_t r = 0; r < 2; r++) {
					json_t *h = store_history(st, fields[fi].kind, "1", fields[fi].field, ranges[r][0],
								  ranges[r][1], steps[s], zones[z], err, sizeof err);
					ck_assert_msg(h != NULL, "%s", err);
					bool meter = fields[fi].kind == READING_METER;
					s_check(h, meter ? s_meter : s_pulse, meter ? s_nmeter : s_npulse, fields[fi].field,
						ranges[r][0], ranges[r][1], steps[s], zones[z]);
					json_decref(h);
				}
}

START_TEST(test_rollups_equal_minutes)
{
	struct store *st = s_open();
	s_fill(st, 1000 + (unsigned)_i);
	ck_assert_int_gt(s_sql_int("SELECT count(*) FROM rollups"), 2 * DAYS * 96 / 2);
	s_check_all(st);
	store_close(&st);
}
END_TEST

START_TEST(test_rollups_built_at_open)
{
	struct store *st = s_open();
	s_fill(st, 77);
	store_close(&st);
	/* a store from before the rollups: its minutes only */
	s_sql("DELETE FROM rollups; DELETE FROM meta WHERE key = 'rollup_upto'");
	st = s_open();
	ck_assert_int_gt(s_sql_int("SELECT count(*) FROM rollups"), 2 * DAYS * 96 / 2);
	s_check_all(st);
	store_close(&st);
}
END_TEST

/* Forgets the minutes written before meter / pulse (what retention
 * removed). */
static void s_forget(int64_t meter, int64_t pulse)
{
	size_t k = 0;
	for (size_t i = 0; i < s_nmeter; i++)
		if (s_meter[i].ts >= meter)
			s_meter[k++] = s_meter[i];
	s_nmeter = k;
	k = 0;
	for (size_t i = 0; i < s_npulse; i++)
		if (s_pulse[i].ts >= pulse)
			s_pulse[k++] = s_pulse[i];
	s_npulse = k;
}

START_TEST(test_rollups_trimmed_by_retention)
{
	struct store *st = s_open();
	s_fill(st, 5);
	char err[512];
	/* keep from T0 + 1 day + 7 minutes on: the cutoff falls inside a
	 * quarter hour (1792800420) */
	int64_t cutoff = T0 + 86400 + 7 * 60;
	ck_assert_msg(store_retain(st, cutoff + 90 * 86400, 90, INT64_MAX / 2, false, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM records WHERE ts < 1792800420"), 0);
	/* the rollups of the removed minutes are gone too (a day's worth at
	 * once: here the first day) */
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM rollups WHERE (id & 4294967295) * 900 < 1792800000"), 0);
	/* what the history knows is what is left */
	s_forget(cutoff, cutoff);
	s_check_all(st);
	/* an hour later: the rows of that hour are stale, still in the table
	 * (removed a day at a time) and never read */
	cutoff += 3600 + 4 * 60;
	ck_assert_msg(store_retain(st, cutoff + 90 * 86400, 90, INT64_MAX / 2, false, err, sizeof err) == 0, "%s", err);
	ck_assert_int_gt(s_sql_int("SELECT count(*) FROM rollups WHERE (id & 4294967295) * 900 < 1792804140 - 900"), 0);
	s_forget(cutoff, cutoff);
	s_check_all(st);
	/* and by size: the oldest records go (by id: a minute's two sources
	 * may part), the rollups follow */
	json_t *stats = store_stats(st);
	int64_t used = json_integer_value(json_object_get(stats, "used_bytes"));
	json_decref(stats);
	ck_assert_msg(store_retain(st, cutoff + 90 * 86400, 90, used * 2 / 3, false, err, sizeof err) == 0, "%s", err);
	int64_t oldest_m = s_sql_int("SELECT min(ts) FROM records WHERE sid = (SELECT sid FROM sources WHERE kind = 1)"),
		oldest_p = s_sql_int("SELECT min(ts) FROM records WHERE sid = (SELECT sid FROM sources WHERE kind = 2)");
	ck_assert_int_gt(oldest_m, cutoff + 3600);
	s_forget(oldest_m, oldest_p);
	s_check_all(st);
	store_close(&st);
}
END_TEST

START_TEST(test_reset_removes_rollups)
{
	struct store *st = s_open();
	s_fill(st, 9);
	char err[512];
	ck_assert_int_eq(store_reset(st, err, sizeof err), 0);
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM rollups"), 0);
	json_t *h = store_history(st, READING_METER, "1", "P", T0, T0 + DAYS * 86400, 86400, NULL, err, sizeof err);
	ck_assert_msg(h != NULL, "%s", err);
	ck_assert_int_eq((int)json_array_size(json_object_get(h, "points")), 0);
	json_decref(h);
	store_close(&st);
}
END_TEST

START_TEST(test_bad_zone_and_resolution_named)
{
	struct store *st = s_open();
	char err[512];
	ck_assert_ptr_null(store_history(st, READING_METER, "1", "P", T0, T0 + 86400, 86400, "Mars/Olympus", err,
					 sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "tz"));
	ck_assert_ptr_null(store_history(st, READING_METER, "1", "P", T0, T0 + 86400, 86400, "../etc/passwd", err,
					 sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "tz"));
	ck_assert_ptr_null(store_history(st, READING_METER, "1", "P", T0, T0 + 86400, 600, NULL, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "resolution"));
	/* the process's own zone is put back */
	ck_assert_ptr_null(getenv("TZ"));
	store_close(&st);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_loop_test(tc, test_rollups_equal_minutes, 0, 2);
	tcase_add_test(tc, test_rollups_built_at_open);
	tcase_add_test(tc, test_rollups_trimmed_by_retention);
	tcase_add_test(tc, test_reset_removes_rollups);
	tcase_add_test(tc, test_bad_zone_and_resolution_named);
	suite_add_tcase(s, tc);
	return s;
}
