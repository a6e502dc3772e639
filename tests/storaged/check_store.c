/* store: the SQLite store as its consumers use it: minutes written in one
 * transaction, a stored minute never rewritten, batch/ack
 * cursors, set-aside, history at three resolutions, CSV export, retention
 * (age, then size, uploaded first, unuploaded counted), reset keeping ids
 * increasing, schema versioning, and a damaged file moved aside with
 * what it holds salvaged, the lost counted and ids rising past it; the
 * alarm log kept, bounded and read back. */
#include "store.h"

#include "clock.h"

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define T0 INT64_C(1795478400) /* a day boundary */
#define MAC "02:fc:00:00:00:01"

#define STORE_FIXTURE_NAME "check_store"
#include "store_fixture.h"

static struct record s_meter(int n, int64_t ts, double p)
{
	struct record r = { .kind = READING_METER, .ts = ts, .count = 60 };
	snprintf(r.n, sizeof r.n, "%d", n);
	int ip = record_field_index(READING_METER, "P"), ie = record_field_index(READING_METER, "E");
	r.v[ip] = p;
	r.v[ie] = 1000 + (double)(ts - T0) / 60;
	r.mask = (UINT64_C(1) << ip) | (UINT64_C(1) << ie);
	return r;
}

/* Writes minutes [from, from+count) of meters 1..meters, up to an hour
 * per transaction. */
static void s_fill(struct store *st, int meters, int64_t from, int count)
{
	static struct record r[8 * 60];
	for (int m = 0; m < count;) {
		size_t n = 0;
		for (int k = 0; k < 60 && m < count; k++, m++)
			for (int i = 0; i < meters; i++)
				r[n++] = s_meter(i + 1, from + 60 * m, 100.0 * (i + 1) + m % 60);
		char err[512];
		ck_assert_msg(store_write(st, r, n, err, sizeof err) == 0, "%s", err);
	}
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

START_TEST(test_new_store_is_versioned_wal)
{
	struct store *st = s_open();
	store_close(&st);
	ck_assert_int_eq(s_sql_int("PRAGMA user_version"), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM migrations WHERE version = 1"), 1);
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM sqlite_master WHERE name = 'records_minute'"), 1);
	char path[128];
	snprintf(path, sizeof path, "%s/" STORE_FILE, s_dir);
	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	sqlite3_close(db);
	/* opening again migrates nothing */
	st = s_open();
	store_close(&st);
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM migrations"), STORE_SCHEMA_VERSION);
}
END_TEST

START_TEST(test_newer_schema_refused_not_moved)
{
	struct store *st = s_open();
	store_close(&st);
	char path[128];
	snprintf(path, sizeof path, "%s/" STORE_FILE, s_dir);
	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	char err[512];
	struct store_salvage sv;
	ck_assert_ptr_null(store_open(s_dir, NULL, &sv, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "newer"));
	ck_assert_str_eq(sv.moved_aside, "");
	ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

START_TEST(test_unreadable_file_ids_go_on)
{
	/* a file nothing can be read of: moved aside, a new one, and ids
	 * still rise past every one issued (dir/store.ids) */
	struct store *st = s_open();
	s_fill(st, 2, T0, 50);
	store_close(&st);
	char path[128];
	snprintf(path, sizeof path, "%s/" STORE_FILE, s_dir);
	FILE *f = fopen(path, "w");
	for (int i = 0; i < 2000; i++)
		fputs("this is not a database ", f);
	fclose(f);
	char err[512];
	struct store_salvage sv;
	st = store_open(s_dir, NULL, &sv, err, sizeof err);
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_ptr_nonnull(strstr(sv.moved_aside, STORE_FILE ".corrupt-"));
	ck_assert_int_eq(access(sv.moved_aside, F_OK), 0);
	ck_assert_int_eq(sv.salvaged, 0);
	ck_assert_int_eq(sv.lost, -1); /* not known */
	struct record r = s_meter(1, T0 + 6000, 1);
	ck_assert_int_eq(store_write(st, &r, 1, err, sizeof err), 0);
	ck_assert_int_gt(r.id, 100);
	ck_assert_int_eq(store_rows(st), 1);
	store_close(&st);
}
END_TEST

/* A FIFO in place of the ids file would block the open in open(): the
 * store opens, and ids still go on past every one issued. */
START_TEST(test_ids_file_replaced_by_a_fifo_blocks_nothing)
{
	struct store *st = s_open();
	s_fill(st, 1, T0, 50);
	store_close(&st);
	char path[128];
	snprintf(path, sizeof path, "%s/store.ids", s_dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	st = s_open();
	struct record r = s_meter(1, T0 + 6000, 1);
	char err[512];
	ck_assert_int_eq(store_write(st, &r, 1, err, sizeof err), 0);
	ck_assert_int_gt(r.id, 50);
	store_close(&st);
}
END_TEST

/* Overwrites the page of the records table that holds minute k's record
 * (found by its E register, a float64 only that row carries) with what a
 * torn write leaves; returns the page number. */
static long s_damage_minute(int k)
{
	char path[128];
	snprintf(path, sizeof path, "%s/" STORE_FILE, s_dir);
	FILE *f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	static unsigned char buf[4 << 20];
	size_t len = fread(buf, 1, sizeof buf, f);
	size_t page = (size_t)buf[16] << 8 | buf[17];
	double e = 1000 + k;
	unsigned char pat[8];
	memcpy(pat, &e, 8);
	long at = -1;
	for (size_t i = 0; i + 8 <= len && at < 0; i++)
		if (!memcmp(buf + i, pat, 8))
			at = (long)i;
	ck_assert_msg(at >= 0, "minute %d not found in the file", k);
	long pgno = at / (long)page;
	static const char junk[] = "torn write garbage ";
	for (size_t i = 0; i < page; i++)
		buf[i] = (unsigned char)junk[i % (sizeof junk - 1)];
	fseek(f, pgno * (long)page, SEEK_SET);
	ck_assert_uint_eq(fwrite(buf, 1, page, f), page);
	fclose(f);
	return pgno + 1;
}

/* Where the damage is, and the consumer's cursor. */
static const struct {
	int minute;      /* whose page is damaged (of 2000, ids 1..2000) */
	bool at_open;    /* the newest page: open reads it (max id) */
	bool unuploaded; /* the lost ones are after the cursor (500) */
} s_damage[] = {
	{ 1500, false, true },
	{ 300, false, false },
	{ 1999, true, true },
};

START_TEST(test_damaged_page_salvaged)
{
	struct store *st = s_open();
	s_fill(st, 1, T0, 2000);
	char err[512];
	json_t *b = store_batch(st, "upload:a", 0, 1000, false, MAC, err, sizeof err);
	json_decref(b);
	json_decref(store_ack(st, "upload:a", 500, err, sizeof err));
	json_t *events = json_pack("[{s:s,s:s,s:f},{s:s,s:s,s:f}]", "id", "3", "event", "raised", "ts", (double)T0,
				   "id", "3", "event", "recovered", "ts", (double)T0 + 60);
	json_t *added = store_alarm_log_add(st, events, err, sizeof err);
	ck_assert_msg(added != NULL, "%s", err);
	json_decref(added);
	json_decref(events);
	store_close(&st);
	s_damage_minute(s_damage[_i].minute);

	struct store_salvage sv;
	st = store_open(s_dir, NULL, &sv, err, sizeof err);
	ck_assert_msg(st != NULL, "%s", err);
	if (s_damage[_i].at_open) {
		ck_assert_str_ne(sv.moved_aside, "");
	} else {
		/* found only when a query reads that page: the consumer's
		 * batches when it is after the cursor, else history */
		ck_assert_str_eq(sv.moved_aside, "");
		int64_t after = 0;
		json_t *res;
		while ((res = store_batch(st, "upload:a", after, 1000, false, MAC, err, sizeof err))) {
			json_t *recs = json_object_get(res, "records");
			if (!json_array_size(recs)) {
				json_decref(res);
				ck_assert(!s_damage[_i].unuploaded);
				res = store_history(st, READING_METER, "1", "P", T0, T0 + 2000 * 60, 60, NULL, err, sizeof err);
				ck_assert_ptr_null(res);
				break;
			}
			after = json_integer_value(json_object_get(json_array_get(recs, json_array_size(recs) - 1), "id"));
			json_decref(res);
		}
		ck_assert_int_eq(store_error_class(st), STORE_CORRUPT);
		ck_assert_ptr_nonnull(strstr(err, "malformed"));
		store_close(&st);
		st = store_open(s_dir, err, &sv, err, sizeof err);
		ck_assert_msg(st != NULL, "%s", err);
		ck_assert_str_ne(sv.moved_aside, "");
	}
	ck_assert_int_eq(access(sv.moved_aside, F_OK), 0);
	/* a page holds a few dozen of these records: those are lost, and
	 * counted; the rest are all here */
	ck_assert_int_ge(sv.lost, 1);
	ck_assert_int_le(sv.lost, 60);
	ck_assert_int_eq(sv.salvaged + sv.lost, 2000);
	ck_assert_int_eq(store_rows(st), sv.salvaged);
	ck_assert_int_eq(sv.lost_unuploaded, s_damage[_i].unuploaded ? sv.lost : 0);
	json_t *stats = store_stats(st);
	ck_assert_int_eq(json_integer_value(json_object_get(stats, "lost_to_damage")), sv.lost);
	ck_assert_int_eq(json_integer_value(json_object_get(stats, "dropped_unuploaded")), sv.lost_unuploaded);
	/* the alarm log, on pages of its own, was copied whole */
	ck_assert_int_eq(json_integer_value(json_object_get(stats, "alarm_log")), 2);
	/* the cursor survived: the consumer gets every readable record
	 * after it, and nothing is malformed any more */
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_object_get(stats, "consumers"),
									    "upload:a"),
							    "cursor")),
			 500);
	json_decref(stats);
	int64_t after = 0, served = 0;
	for (;;) {
		json_t *res = store_batch(st, "upload:a", after, 1000, false, MAC, err, sizeof err);
		ck_assert_msg(res != NULL, "%s", err);
		json_t *recs = json_object_get(res, "records");
		size_t n = json_array_size(recs);
		served += (int64_t)n;
		if (n)
			after = json_integer_value(json_object_get(json_array_get(recs, n - 1), "id"));
		json_decref(res);
		if (!n)
			break;
	}
	ck_assert_int_eq(served, 1500 - sv.lost_unuploaded);
	json_t *h = store_history(st, READING_METER, "1", "E", T0, T0 + 2000 * 60, 3600, NULL, err, sizeof err);
	ck_assert_msg(h != NULL, "%s", err);
	json_decref(h);
	/* ids rise past the highest ever issued (2000, lost with the newest
	 * page in the open case), new minutes after the newest */
	ck_assert_int_ge(store_newest_ts(st), T0 + 1999 * 60);
	struct record r = s_meter(1, T0 + 2000 * 60, 1);
	ck_assert_int_eq(store_write(st, &r, 1, err, sizeof err), 0);
	ck_assert_int_gt(r.id, 2000);
	store_close(&st);
	/* and the counts stay after a restart */
	st = s_open();
	stats = store_stats(st);
	ck_assert_int_eq(json_integer_value(json_object_get(stats, "lost_to_damage")), sv.lost);
	json_decref(stats);
	store_close(&st);
}
END_TEST

START_TEST(test_batch_ack_cursor)
{
	struct store *st = s_open();
	s_fill(st, 2, T0, 5); /* ids 1..10 */
	char err[512];
	json_t *b = store_batch(st, "upload:a", 0, 4, false, MAC, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	json_t *recs = json_object_get(b, "records");
	ck_assert_int_eq((int)json_array_size(recs), 4);
	ck_assert(json_is_true(json_object_get(b, "more")));
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(recs, 0), "id")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(recs, 0), "rid")),
			 MAC "/meter/1/1795478400");
	json_decref(b);
	/* an id beyond what was served is an error naming it */
	ck_assert_ptr_null(store_ack(st, "upload:a", 5, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "never served"));
	ck_assert_ptr_null(store_ack(st, "upload:nobody", 1, err, sizeof err));
	json_t *a = store_ack(st, "upload:a", 4, err, sizeof err);
	ck_assert_int_eq(json_integer_value(json_object_get(a, "cursor")), 4);
	json_decref(a);
	/* never backwards */
	a = store_ack(st, "upload:a", 2, err, sizeof err);
	ck_assert_int_eq(json_integer_value(json_object_get(a, "cursor")), 4);
	json_decref(a);
	/* reading ahead of the acks: after 7 gives 8 and 9; after 2, behind
	 * the cursor, gives 5 */
	b = store_batch(st, "upload:a", 7, 2, false, MAC, err, sizeof err);
	recs = json_object_get(b, "records");
	ck_assert_int_eq((int)json_array_size(recs), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(recs, 0), "id")), 8);
	ck_assert(json_is_true(json_object_get(b, "more")));
	json_decref(b);
	b = store_batch(st, "upload:a", 2, 1, false, MAC, err, sizeof err);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(b, "records"), 0), "id")), 5);
	json_decref(b);
	b = store_batch(st, "upload:a", 0, 100, false, MAC, err, sizeof err);
	ck_assert_int_eq((int)json_array_size(json_object_get(b, "records")), 6);
	ck_assert(json_is_false(json_object_get(b, "more")));
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(b, "records"), 0), "id")), 5);
	json_decref(b);
	/* the same records as series (uploadd's http-json form): 6 records
	 * of 2 meters, ids 5..10 as differences */
	b = store_batch(st, "upload:c", 4, 100, true, MAC, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	ck_assert_int_eq(json_integer_value(json_object_get(b, "count")), 6);
	ck_assert_int_eq(json_integer_value(json_object_get(b, "last")), 10);
	ck_assert(json_is_false(json_object_get(b, "more")));
	json_t *series = json_object_get(b, "series");
	ck_assert_int_eq((int)json_array_size(series), 2);
	long long ids = 0, rows = 0;
	for (size_t k = 0; k < 2; k++) {
		json_t *s = json_array_get(series, k), *col = json_object_get(s, "id");
		ck_assert_str_eq(json_string_value(json_object_get(s, "kind")), "meter");
		long long id = 0;
		for (size_t i = 0; i < json_array_size(col); i++, rows++)
			ids += id += json_integer_value(json_array_get(col, i));
	}
	ck_assert_int_eq(rows, 6);
	ck_assert_int_eq(ids, 5 + 6 + 7 + 8 + 9 + 10);
	json_decref(b);
	/* a second consumer starts at the oldest record; stats show both */
	b = store_batch(st, "upload:b", 0, 1, false, MAC, err, sizeof err);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(b, "records"), 0), "id")), 1);
	json_decref(b);
	json_t *stats = store_stats(st);
	ck_assert_int_eq(json_integer_value(json_object_get(stats, "rows")), 10);
	json_t *cons = json_object_get(stats, "consumers");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(cons, "upload:a"), "pending")), 6);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(cons, "upload:b"), "pending")), 10);
	ck_assert_int_eq(json_integer_value(json_object_get(stats, "oldest")), T0);
	ck_assert_int_eq(json_integer_value(json_object_get(stats, "newest")), T0 + 240);
	json_decref(stats);
	/* cursors survive a restart; acking what was stored before is allowed */
	store_close(&st);
	st = s_open();
	a = store_ack(st, "upload:a", 10, err, sizeof err);
	ck_assert_msg(a != NULL, "%s", err);
	json_decref(a);
	/* bad fields are named */
	ck_assert_ptr_null(store_batch(st, "", 0, 1, false, MAC, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "consumer"));
	ck_assert_ptr_null(store_batch(st, "x", 0, 0, false, MAC, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "max"));
	store_close(&st);
}
END_TEST

START_TEST(test_series_refuse_a_record_they_cannot_carry)
{
	struct store *st = s_open();
	s_fill(st, 1, T0, 2); /* ids 1, 2 */
	struct record r = s_meter(1, T0 + 120, 100);
	/* within the bus's range (msg.h: what storaged stores), but times the
	 * 100 of F's two decimals beyond what a series integer carries */
	r.v[record_field_index(READING_METER, "F")] = 1e14;
	r.mask |= UINT64_C(1) << record_field_index(READING_METER, "F");
	char err[512];
	ck_assert_msg(store_write(st, &r, 1, err, sizeof err) == 0, "%s", err);
	/* the batch as series names the record; as records it is all there */
	ck_assert_ptr_null(store_batch(st, "upload:a", 0, 10, true, MAC, err, sizeof err));
	ck_assert_str_eq(err, "record 3 cannot be sent as series: value \"F\" is out of range");
	json_t *b = store_batch(st, "upload:a", 0, 10, false, MAC, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	ck_assert_int_eq((int)json_array_size(json_object_get(b, "records")), 3);
	json_decref(b);
	/* the ones before it still go as series */
	b = store_batch(st, "upload:a", 0, 2, true, MAC, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	ck_assert_int_eq(json_integer_value(json_object_get(b, "count")), 2);
	json_decref(b);
	store_close(&st);
}
END_TEST

START_TEST(test_stored_minute_is_immutable)
{
	/* a minute written again (it must not be: the timeline stamps after
	 * the newest) changes nothing served: same values, same id, one rid */
	struct store *st = s_open();
	struct record a = s_meter(1, T0, 100), b[2] = { s_meter(1, T0, 200), s_meter(2, T0, 300) };
	char err[512];
	ck_assert_int_eq(store_write(st, &a, 1, err, sizeof err), 0);
	ck_assert_int_eq(store_write(st, b, 2, err, sizeof err), 0);
	ck_assert_int_eq(b[0].id, 0); /* not written */
	ck_assert_int_gt(b[1].id, a.id); /* the other source's minute is */
	ck_assert_int_eq(store_rows(st), 2);
	ck_assert_int_eq(store_dropped(st), 1);
	json_t *h = store_history(st, READING_METER, "1", "P", T0, T0 + 60, 60, NULL, err, sizeof err);
	ck_assert_double_eq_tol(json_real_value(json_array_get(json_array_get(json_object_get(h, "points"), 0), 1)), 100,
				1e-3);
	json_decref(h);
	store_close(&st);
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM records"), 2);
	ck_assert_int_eq(s_sql_int("SELECT id FROM records WHERE sid = 1"), a.id);
	/* after a reset the newest minute stays the floor for new stamps */
	st = s_open();
	ck_assert_int_eq(store_reset(st, err, sizeof err), 0);
	ck_assert_int_eq(store_newest_ts(st), T0);
	store_close(&st);
	st = s_open();
	ck_assert_int_eq(store_newest_ts(st), T0);
	store_close(&st);
}
END_TEST

START_TEST(test_history_resolutions)
{
	struct store *st = s_open();
	s_fill(st, 2, T0, 180); /* 3 hours */
	char err[512];
	json_t *h = store_history(st, READING_METER, "2", "P", T0, T0 + 3 * 3600, 60, NULL, err, sizeof err);
	ck_assert_msg(h != NULL, "%s", err);
	json_t *pts = json_object_get(h, "points");
	ck_assert_int_eq((int)json_array_size(pts), 180);
	ck_assert_int_eq(json_integer_value(json_array_get(json_array_get(pts, 61), 0)), T0 + 61 * 60);
	ck_assert_double_eq(json_real_value(json_array_get(json_array_get(pts, 61), 1)), 201);
	json_decref(h);
	h = store_history(st, READING_METER, "2", "P", T0, T0 + 3 * 3600, 3600, NULL, err, sizeof err);
	pts = json_object_get(h, "points");
	ck_assert_int_eq((int)json_array_size(pts), 3);
	ck_assert_double_eq_tol(json_real_value(json_array_get(json_array_get(pts, 1), 1)), 229.5, 1e-6);
	json_decref(h);
	/* registers: the rise in the bucket (none known for the oldest) and
	 * the value at its end */
	h = store_history(st, READING_METER, "1", "E", T0, T0 + 86400, 86400, NULL, err, sizeof err);
	pts = json_object_get(h, "points");
	ck_assert_int_eq((int)json_array_size(pts), 1);
	ck_assert(json_is_null(json_array_get(json_array_get(pts, 0), 1)));
	ck_assert_double_eq(json_real_value(json_array_get(json_array_get(pts, 0), 2)), 1179);
	json_decref(h);
	h = store_history(st, READING_METER, "1", "E", T0, T0 + 86400, 3600, NULL, err, sizeof err);
	pts = json_object_get(h, "points");
	ck_assert_int_eq((int)json_array_size(pts), 3);
	ck_assert_double_eq(json_real_value(json_array_get(json_array_get(pts, 1), 1)), 60);
	ck_assert_double_eq(json_real_value(json_array_get(json_array_get(pts, 2), 2)), 1179);
	json_decref(h);
	/* from within the data: the first bucket's rise counts from the
	 * minute before it */
	h = store_history(st, READING_METER, "1", "E", T0 + 3600, T0 + 86400, 86400, NULL, err, sizeof err);
	pts = json_object_get(h, "points");
	ck_assert_double_eq(json_real_value(json_array_get(json_array_get(pts, 0), 1)), 120);
	json_decref(h);
	/* an unknown source has no points; bad fields are named */
	h = store_history(st, READING_METER, "5", "P", T0, T0 + 3600, 60, NULL, err, sizeof err);
	ck_assert_int_eq((int)json_array_size(json_object_get(h, "points")), 0);
	json_decref(h);
	ck_assert_ptr_null(store_history(st, READING_METER, "1", "Nope", T0, T0 + 60, 60, NULL, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "field"));
	ck_assert_ptr_null(store_history(st, READING_METER, "1", "P", T0 + 60, T0, 60, NULL, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "from"));
	ck_assert_ptr_null(store_history(st, READING_METER, "1", "P", T0, T0 + 365 * 86400, 60, NULL, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "points"));
	store_close(&st);
}
END_TEST

START_TEST(test_export_csv)
{
	struct store *st = s_open();
	s_fill(st, 1, T0, 3);
	char err[512];
	json_t *e = store_export(st, READING_METER, "1", T0, T0 + 120, MAC, err, sizeof err);
	ck_assert_msg(e != NULL, "%s", err);
	const char *csv = json_string_value(json_object_get(e, "csv"));
	ck_assert_ptr_nonnull(strstr(csv, "rid,ts,utc,time,count,V1,"));
	ck_assert_ptr_nonnull(strstr(csv, MAC "/meter/1/1795478460,1795478460,2026-11-24T00:01:00Z"));
	int lines = 0;
	for (const char *p = csv; *p; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 3); /* header + 2 minutes */
	json_decref(e);
	ck_assert_ptr_null(store_export(st, READING_METER, "1", T0, T0 + 60 * 86400, MAC, err, sizeof err));
	store_close(&st);
}
END_TEST

START_TEST(test_set_aside_counted)
{
	struct store *st = s_open();
	s_fill(st, 1, T0, 3);
	char err[512];
	json_t *b = store_batch(st, "upload:a", 0, 10, false, MAC, err, sizeof err);
	json_decref(b);
	json_t *ids = json_pack("[i,i]", 2, 3);
	json_t *r = store_set_aside(st, "upload:a", ids, "HTTP 400: bad value", err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	json_decref(r);
	json_t *stats = store_stats(st);
	ck_assert_int_eq(json_integer_value(json_object_get(stats, "set_aside")), 2);
	json_decref(stats);
	json_t *bad = json_pack("[i]", 99);
	ck_assert_ptr_null(store_set_aside(st, "upload:a", bad, "x", err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "ids[0]"));
	ck_assert_ptr_null(store_set_aside(st, "upload:a", ids, "", err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "reason"));
	json_decref(bad);
	json_decref(ids);
	store_close(&st);
}
END_TEST

START_TEST(test_retention_age_counts_unuploaded)
{
	struct store *st = s_open();
	s_fill(st, 1, T0, 10);
	char err[512];
	json_t *b = store_batch(st, "upload:a", 0, 4, false, MAC, err, sizeof err);
	json_decref(b);
	json_decref(store_ack(st, "upload:a", 4, err, sizeof err));
	/* 90 days after minute 6: minutes 0..5 go, 4 and 5 were not uploaded */
	ck_assert_int_eq(store_retain(st, T0 + 6 * 60 + 90 * 86400, 90, INT64_MAX / 2, false, err, sizeof err), 0);
	ck_assert_int_eq(store_rows(st), 4);
	ck_assert_int_eq(store_dropped(st), 2);
	store_close(&st);
	st = s_open();
	ck_assert_int_eq(store_dropped(st), 2); /* persisted */
	ck_assert_int_eq(store_rows(st), 4);
	store_close(&st);
}
END_TEST

START_TEST(test_retention_size_uploaded_first)
{
	struct store *st = s_open();
	s_fill(st, 8, T0, 3000); /* ~24000 rows, several MB */
	char err[512];
	int64_t served = 0;
	while (served < 20000) {
		json_t *b = store_batch(st, "upload:a", 0, 1000, false, MAC, err, sizeof err);
		json_t *recs = json_object_get(b, "records");
		served = json_integer_value(json_object_get(json_array_get(recs, json_array_size(recs) - 1), "id"));
		json_decref(b);
		json_decref(store_ack(st, "upload:a", served < 20000 ? served : 20000, err, sizeof err));
	}
	json_t *stats = store_stats(st);
	int64_t used = json_integer_value(json_object_get(stats, "used_bytes"));
	json_decref(stats);
	/* half the space: only uploaded records go */
	ck_assert_int_eq(store_retain(st, T0, 90, used / 2, false, err, sizeof err), 0);
	stats = store_stats(st);
	ck_assert_int_le(json_integer_value(json_object_get(stats, "used_bytes")), used / 2);
	json_decref(stats);
	ck_assert_int_eq(store_dropped(st), 0);
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM records WHERE id > 20000"), 4000);
	/* a tenth: unuploaded ones must go too, and are counted */
	ck_assert_int_eq(store_retain(st, T0, 90, used / 10, false, err, sizeof err), 0);
	ck_assert_int_gt(store_dropped(st), 0);
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM records WHERE id <= 20000"), 0);
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM records"), store_rows(st));
	store_close(&st);
}
END_TEST

START_TEST(test_reset_keeps_ids_increasing)
{
	struct store *st = s_open();
	s_fill(st, 2, T0, 5);
	char err[512];
	ck_assert_int_eq(store_reset(st, err, sizeof err), 0);
	ck_assert_int_eq(store_rows(st), 0);
	store_close(&st);
	st = s_open();
	struct record r = s_meter(1, T0 + 3600, 1);
	ck_assert_int_eq(store_write(st, &r, 1, err, sizeof err), 0);
	ck_assert_int_eq(r.id, 11);
	store_close(&st);
}
END_TEST

/* A new batch for consumer name; NULL and err when refused. */
static json_t *s_batch(struct store *st, const char *name, char *err, size_t errlen)
{
	return store_batch(st, name, 0, 1, false, MAC, err, errlen);
}

static size_t s_ncons(struct store *st)
{
	json_t *c = store_consumers(st);
	size_t n = json_object_size(json_object_get(c, "consumers"));
	json_decref(c);
	return n;
}

START_TEST(test_cursors_owned_and_guests)
{
	struct store *st = s_open();
	s_fill(st, 1, T0, 10);
	const char *owners[] = { "upload:cloud", "upload:backup" };
	store_set_owners(st, owners, 2);
	char err[512], name[32];
	/* a made-up upload target gets no cursor */
	ck_assert_ptr_null(s_batch(st, "upload:madeup", err, sizeof err));
	ck_assert_msg(strstr(err, "no upload target \"madeup\"") != NULL, "%s", err);
	/* other readers share what targets cannot use, no more */
	for (int i = 0; i < STORE_GUESTS_MAX; i++) {
		snprintf(name, sizeof name, "reader%d", i);
		json_t *b = s_batch(st, name, err, sizeof err);
		ck_assert_msg(b != NULL, "%s: %s", name, err);
		json_decref(b);
	}
	ck_assert_ptr_null(s_batch(st, "one-too-many", err, sizeof err));
	ck_assert_msg(strstr(err, "remove one (remove-consumer)") != NULL, "%s", err);
	json_t *c = store_consumers(st);
	ck_assert_ptr_nonnull(json_object_get(c, "consumers_full")); /* said in status */
	ck_assert_int_eq(json_integer_value(json_object_get(c, "guests_refused")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "guests")), STORE_GUESTS_MAX);
	json_decref(c);
	/* the targets still have room */
	for (int i = 0; i < 2; i++) {
		json_t *b = s_batch(st, owners[i], err, sizeof err);
		ck_assert_msg(b != NULL, "%s", err);
		json_decref(b);
	}
	/* listed with whose they are */
	c = store_consumers(st);
	ck_assert(json_is_true(json_object_get(json_object_get(json_object_get(c, "consumers"), "upload:cloud"), "owned")));
	ck_assert(json_is_false(json_object_get(json_object_get(json_object_get(c, "consumers"), "reader3"), "owned")));
	json_decref(c);
	/* removed on request: room again */
	json_t *r = store_remove_consumer(st, "reader3", err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	json_decref(r);
	ck_assert_ptr_null(store_remove_consumer(st, "reader3", err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "has no cursor"));
	json_t *b = s_batch(st, "one-too-many", err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	json_decref(b);
	/* unused for a day, the guests expire; the targets' cursors stay */
	int64_t now = clock_mono_ms() / 1000;
	ck_assert_int_eq(store_expire_consumers(st, now + 3600, err, sizeof err), 0);
	ck_assert_int_eq(store_expire_consumers(st, now + STORE_GUEST_IDLE_S + 1, err, sizeof err), STORE_GUESTS_MAX);
	ck_assert_uint_eq(s_ncons(st), 2);
	store_close(&st);
	/* and so it is on the card */
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM consumers"), 2);
}
END_TEST

START_TEST(test_cursors_full_from_before_a_target_gets_room)
{
	/* 32 made-up cursors from an older storaged (no rule then) */
	struct store *st = s_open();
	s_fill(st, 1, T0, 10);
	char err[512], name[32];
	for (int i = 0; i < 32; i++) {
		snprintf(name, sizeof name, "upload:made-up-%d", i);
		json_t *b = s_batch(st, name, err, sizeof err);
		ck_assert_msg(b != NULL, "%s", err);
		json_decref(b);
	}
	store_close(&st);
	st = s_open();
	const char *owners[] = { "upload:new" };
	store_set_owners(st, owners, 1);
	json_t *b = s_batch(st, "upload:new", err, sizeof err);
	ck_assert_msg(b != NULL, "a new target waits for a cursor: %s", err);
	json_decref(b);
	ck_assert_uint_eq(s_ncons(st), 32);
	store_close(&st);
}
END_TEST

START_TEST(test_guest_cursor_holds_no_data)
{
	/* a reader that never acknowledges does not make records count as
	 * not uploaded: only the targets' cursors do */
	struct store *st = s_open();
	const char *owners[] = { "upload:cloud" };
	store_set_owners(st, owners, 1);
	s_fill(st, 1, T0, 10);
	char err[512];
	json_t *b = store_batch(st, "upload:cloud", 0, 100, false, MAC, err, sizeof err);
	json_decref(b);
	json_decref(store_ack(st, "upload:cloud", 10, err, sizeof err));
	b = s_batch(st, "audit", err, sizeof err);
	json_decref(b);
	/* only a target's receiver refuses records: a reader cannot grow
	 * the set-aside table */
	json_t *ids = json_pack("[i,i]", 1, 2);
	ck_assert_ptr_null(store_set_aside(st, "audit", ids, "spam", err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "not an upload target's"));
	json_t *sa = store_set_aside(st, "upload:cloud", ids, "HTTP 400", err, sizeof err);
	ck_assert_msg(sa != NULL, "%s", err);
	json_decref(sa);
	json_decref(ids);
	ck_assert_int_eq(store_retain(st, T0 + 100 * 86400, 90, INT64_MAX, false, err, sizeof err), 0);
	ck_assert_int_eq(store_rows(st), 0);
	ck_assert_int_eq(store_dropped(st), 0);
	/* what was set aside goes with its minutes */
	json_t *stats = store_stats(st);
	ck_assert_int_eq(json_integer_value(json_object_get(stats, "set_aside")), 0);
	json_decref(stats);
	store_close(&st);
}
END_TEST

/* ---- the alarm log ---- */

static json_t *s_event(const char *id, const char *event, double ts)
{
	return json_pack("{s:s,s:s,s:f,s:f,s:f,s:s}", "id", id, "event", event, "ts", ts, "value", 12.5, "limit",
			 10.0, "limit_kind", "high");
}

static json_t *s_add(struct store *st, json_t *events)
{
	char err[512];
	json_t *r = store_alarm_log_add(st, events, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	json_decref(events);
	return r;
}

static json_t *s_log(struct store *st, int64_t before, int max)
{
	char err[512];
	json_t *r = store_alarm_log(st, before, max, err, sizeof err);
	ck_assert_msg(r != NULL, "%s", err);
	return r;
}

START_TEST(test_alarm_log_kept_across_reopen_and_reset)
{
	struct store *st = s_open();
	double t = (double)T0 + 0.25;
	json_t *r = s_add(st, json_pack("[o,o]", s_event("3", "raised", t), s_event("upload-backlog", "raised", t + 1)));
	ck_assert_int_eq(json_integer_value(json_object_get(r, "added")), 2);
	json_decref(r);
	/* a retry of the same events (an answer lost) stores nothing twice */
	r = s_add(st, json_pack("[o,o]", s_event("upload-backlog", "raised", t + 1), s_event("3", "recovered", t + 2)));
	ck_assert_int_eq(json_integer_value(json_object_get(r, "added")), 1);
	json_decref(r);
	char err[512];
	ck_assert_msg(store_reset(st, err, sizeof err) == 0, "%s", err);
	store_close(&st);
	st = s_open();
	json_t *all = s_log(st, 0, STORE_ALARM_LOG_BATCH);
	json_t *log = json_object_get(all, "log");
	ck_assert_int_eq(json_array_size(log), 3);
	ck_assert(json_is_false(json_object_get(all, "more")));
	static const char *const want[][2] = { { "3", "raised" }, { "upload-backlog", "raised" }, { "3", "recovered" } };
	for (size_t i = 0; i < 3; i++) {
		json_t *e = json_array_get(log, i);
		ck_assert_str_eq(json_string_value(json_object_get(e, "id")), want[i][0]);
		ck_assert_str_eq(json_string_value(json_object_get(e, "event")), want[i][1]);
		ck_assert(json_real_value(json_object_get(e, "value")) == 12.5);
		ck_assert(json_real_value(json_object_get(e, "limit")) == 10.0);
		ck_assert(json_real_value(json_object_get(e, "ts")) == t + (double)i);
	}
	/* paging back: the newest 2, then the one before them */
	json_t *page = s_log(st, 0, 2);
	ck_assert_int_eq(json_array_size(json_object_get(page, "log")), 2);
	ck_assert(json_is_true(json_object_get(page, "more")));
	json_int_t oldest = json_integer_value(json_object_get(json_array_get(json_object_get(page, "log"), 0), "seq"));
	json_t *older = s_log(st, oldest, 2);
	ck_assert_int_eq(json_array_size(json_object_get(older, "log")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(older, "log"), 0), "event")),
			 "raised");
	ck_assert(json_is_false(json_object_get(older, "more")));
	json_decref(older);
	json_decref(page);
	json_decref(all);
	store_close(&st);
}
END_TEST

static const struct {
	const char *events; /* JSON */
	const char *err;    /* what the error says */
} s_bad_events[] = {
	{ "{}", "events: must be a list of 1 to 100" },
	{ "[]", "events: must be a list of 1 to 100" },
	{ "[3]", "events[0]: must be an object" },
	{ "[{\"event\":\"raised\",\"ts\":1}]", "events[0].id: must be text" },
	{ "[{\"id\":\"\",\"event\":\"raised\",\"ts\":1}]", "events[0].id: must be text" },
	{ "[{\"id\":\"1\",\"event\":\"raised\",\"ts\":1},{\"id\":\"1\",\"event\":\"exploded\",\"ts\":1}]",
	  "events[1].event: \"exploded\" is not raised, reminded, recovered or removed" },
	{ "[{\"id\":\"1\",\"event\":\"raised\"}]", "events[0].ts: must be a Unix time" },
	{ "[{\"id\":\"1\",\"event\":\"raised\",\"ts\":-5}]", "events[0].ts: must be a Unix time" },
};

START_TEST(test_alarm_log_refuses_bad_events)
{
	struct store *st = s_open();
	json_t *ev = json_loads(s_bad_events[_i].events, JSON_DECODE_ANY, NULL);
	ck_assert_ptr_nonnull(ev);
	char err[512];
	ck_assert_ptr_null(store_alarm_log_add(st, ev, err, sizeof err));
	ck_assert_msg(strstr(err, s_bad_events[_i].err), "%s: %s", s_bad_events[_i].events, err);
	json_decref(ev);
	/* nothing half-written: the good element before a bad one is not kept */
	json_t *log = s_log(st, 0, 10);
	ck_assert_int_eq(json_array_size(json_object_get(log, "log")), 0);
	json_decref(log);
	store_close(&st);
}
END_TEST

START_TEST(test_alarm_log_bounded_by_count_and_retention)
{
	struct store *st = s_open();
	/* STORE_ALARM_LOG_MAX + 50 events: the oldest 50 go */
	for (int i = 0; i < STORE_ALARM_LOG_MAX + 50; i += STORE_ALARM_LOG_BATCH) {
		json_t *batch = json_array();
		for (int k = 0; k < STORE_ALARM_LOG_BATCH && i + k < STORE_ALARM_LOG_MAX + 50; k++)
			json_array_append_new(batch, s_event("7", "reminded", (double)(T0 + i + k)));
		json_decref(s_add(st, batch));
	}
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM alarm_log"), STORE_ALARM_LOG_MAX);
	ck_assert_int_eq(s_sql_int("SELECT min(ts) FROM alarm_log"), T0 + 50);
	/* retention: older than retention_days goes, as the records do */
	char err[512];
	ck_assert_msg(store_retain(st, T0 + 86400 + 5000, 1, INT64_MAX, false, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM alarm_log"), STORE_ALARM_LOG_MAX + 50 - 5000);
	json_t *stats = store_stats(st);
	ck_assert_int_eq(json_integer_value(json_object_get(stats, "alarm_log")), STORE_ALARM_LOG_MAX + 50 - 5000);
	json_decref(stats);
	store_close(&st);
}
END_TEST

START_TEST(test_alarm_log_added_to_a_version_1_store)
{
	struct store *st = s_open();
	store_close(&st);
	char path[128];
	snprintf(path, sizeof path, "%s/" STORE_FILE, s_dir);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "DROP TABLE alarm_log; DROP TABLE rollups; DELETE FROM migrations WHERE version > 1;"
					  "PRAGMA user_version = 1",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	st = s_open();
	json_decref(s_add(st, json_pack("[o]", s_event("1", "raised", (double)T0))));
	store_close(&st);
	ck_assert_int_eq(s_sql_int("PRAGMA user_version"), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(s_sql_int("SELECT count(*) FROM alarm_log"), 1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_new_store_is_versioned_wal);
	tcase_add_test(tc, test_newer_schema_refused_not_moved);
	tcase_add_test(tc, test_unreadable_file_ids_go_on);
	tcase_add_test(tc, test_ids_file_replaced_by_a_fifo_blocks_nothing);
	tcase_add_test(tc, test_cursors_owned_and_guests);
	tcase_add_test(tc, test_cursors_full_from_before_a_target_gets_room);
	tcase_add_test(tc, test_guest_cursor_holds_no_data);
	tcase_add_loop_test(tc, test_damaged_page_salvaged, 0, sizeof s_damage / sizeof s_damage[0]);
	tcase_add_test(tc, test_batch_ack_cursor);
	tcase_add_test(tc, test_series_refuse_a_record_they_cannot_carry);
	tcase_add_test(tc, test_stored_minute_is_immutable);
	tcase_add_test(tc, test_history_resolutions);
	tcase_add_test(tc, test_export_csv);
	tcase_add_test(tc, test_set_aside_counted);
	tcase_add_test(tc, test_retention_age_counts_unuploaded);
	tcase_add_test(tc, test_retention_size_uploaded_first);
	tcase_add_test(tc, test_reset_keeps_ids_increasing);
	tcase_add_test(tc, test_alarm_log_kept_across_reopen_and_reset);
	tcase_add_loop_test(tc, test_alarm_log_refuses_bad_events, 0, sizeof s_bad_events / sizeof s_bad_events[0]);
	tcase_add_test(tc, test_alarm_log_bounded_by_count_and_retention);
	tcase_add_test(tc, test_alarm_log_added_to_a_version_1_store);
	suite_add_tcase(s, tc);
	return s;
}
