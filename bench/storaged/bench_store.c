/* bench_store: the store's figures against its goals (docs/STORE.md):
 *  - insert rate (one transaction per minute of 24 sources, fsynced);
 *  - database size for 90 days of 8 meters + 8 pulse inputs + 8 probes
 *    (generated; goal under 1 GB);
 *  - latency of `history` for 24 h of one meter at minute resolution
 *    (goal under 20 ms), 7 and 30 days at hour resolution and 90 days at
 *    day resolution (from the rollups; goal under 50 ms);
 *  - bytes written to the card per day in steady state: a day of minutes,
 *    one fsynced transaction each, with hourly retention, on the full
 *    90-day database, from /proc/self/io (write_bytes: what reached the
 *    block device, WAL, checkpoints and all; goal under 50 MB);
 *  - how fast a consumer reads a backlog in batches of 1000, as records
 *    and as series (uploadd's http-json form; its drain goal is a
 *    million in under 2 minutes);
 *  - how long building the rollups of the 90 days from the minutes takes
 *    (what the first start after the update to them does).
 * The database goes in $BENCH_DIR or /tmp (it must be a real disk, not
 * tmpfs, for write_bytes to mean anything) and is removed at the end. */
#include "store.h"

#include <sqlite3.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DAY_MIN 1440
#define DAYS 90
#define T0 INT64_C(1788220800) /* a day boundary, 90 days before 2026-11-24 */

static double s_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int64_t s_io(const char *key)
{
	FILE *f = fopen("/proc/self/io", "r");
	char line[128];
	int64_t v = -1;
	size_t kl = strlen(key);
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, key, kl) && line[kl] == ':')
			v = strtoll(line + kl + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

/* One minute of all 24 sources, with every field a real hub stores. */
/* A blank record of the minute: kind, source, time, which values it has. */
static struct record *s_blank(struct record *x, enum reading_kind kind, const char *n, int64_t ts, uint64_t mask)
{
	memset(x, 0, sizeof *x);
	x->kind = kind;
	snprintf(x->n, sizeof x->n, "%s", n);
	x->ts = ts;
	x->count = 60;
	x->mask = mask;
	return x;
}

static size_t s_minute(struct record *r, int64_t ts, int64_t m)
{
	size_t k = 0, nf;
	const struct reading_field *f = record_fields(READING_METER, &nf);
	char n[24];
	for (int i = 1; i <= 8; i++) {
		snprintf(n, sizeof n, "%d", i);
		struct record *x = s_blank(&r[k++], READING_METER, n, ts, (UINT64_C(1) << nf) - 1);
		for (size_t j = 0; j < nf; j++)
			x->v[j] = f[j].width == 8 ? 1e6 * i + (double)m * (1.7 + j) + 0.001 * (double)(m % 997)
						  : 230.0 + 40 * sin((double)m / 300 + (double)j) + i;
	}
	for (int i = 1; i <= 8; i++) {
		snprintf(n, sizeof n, "%d", i);
		struct record *x = s_blank(&r[k++], READING_PULSE, n, ts, 3);
		snprintf(x->unit, sizeof x->unit, "m3");
		x->v[0] = (double)(m * i / 3);
		x->v[1] = x->v[0] * 0.01;
	}
	for (int i = 1; i <= 8; i++) {
		snprintf(n, sizeof n, "28-0316a2799a%02x", i);
		struct record *x = s_blank(&r[k++], READING_TEMP, n, ts, 1);
		x->v[0] = 20 + 5 * sin((double)m / 700 + i);
	}
	return k;
}

static int64_t s_file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	char dir[512];
	const char *base = getenv("BENCH_DIR") ? getenv("BENCH_DIR") : "/tmp";
	snprintf(dir, sizeof dir, "%s/bench_store.XXXXXX", base);
	if (!mkdtemp(dir)) {
		perror("bench_store: mkdtemp");
		return 1;
	}
	char err[1024], db[600], wal[600];
	snprintf(db, sizeof db, "%s/" STORE_FILE, dir);
	snprintf(wal, sizeof wal, "%s/" STORE_FILE "-wal", dir);
	struct store *st = store_open(dir, NULL, NULL, err, sizeof err);
	if (!st) {
		fprintf(stderr, "bench_store: %s\n", err);
		return 1;
	}
	static struct record r[24 * 60];

	/* 90 days, an hour per transaction (how a backlog is written) */
	double t = s_now();
	for (int64_t m = 0; m < (int64_t)DAYS * DAY_MIN;) {
		size_t n = 0;
		for (int k = 0; k < 60; k++, m++)
			n += s_minute(r + n, T0 + 60 * m, m);
		if (store_write(st, r, n, err, sizeof err) < 0) {
			fprintf(stderr, "bench_store: %s\n", err);
			return 1;
		}
	}
	double bulk = s_now() - t;
	int64_t rows = store_rows(st);
	printf("generate 90 days (8 meters + 8 pulses + 8 probes): %" PRId64 " records in %.1f s (%.0f records/s, an "
	       "hour per transaction)\n",
	       rows, bulk, (double)rows / bulk);
	store_close(&st);
	st = store_open(dir, NULL, NULL, err, sizeof err);
	int64_t size = s_file_size(db), walsize = s_file_size(wal);
	printf("database size for 90 days: %.1f MB (+ WAL %.1f MB); %.0f bytes per record (goal: under 1024 MB)\n",
	       size / 1048576.0, walsize / 1048576.0, (double)size / (double)rows);

	/* history of one meter: 24 h at minute resolution (the minutes), 7
	 * and 30 days by the hour and 90 days by the day (the rollups), each
	 * ending at a different place of the last days, the first run from a
	 * cold store */
	static const struct {
		const char *what, *tz;
		int64_t days, step;
		double goal_ms;
	} hist[] = {
		{ "24 h at minute resolution", "UTC", 1, 60, 20 },
		{ "7 days at hour resolution", "UTC", 7, 3600, 50 },
		{ "30 days at hour resolution", "UTC", 30, 3600, 50 },
		{ "90 days at day resolution", "UTC", 89, 86400, 50 },
		{ "90 days at day resolution, Europe/Paris days", "Europe/Paris", 89, 86400, 50 },
		{ "90 days at day resolution, Asia/Kolkata days (+5:30)", "Asia/Kolkata", 89, 86400, 50 },
	};
	for (size_t k = 0; k < sizeof hist / sizeof hist[0]; k++) {
		double worst = 0, sum = 0;
		int runs = 20;
		size_t points = 0;
		for (int i = 0; i < runs; i++) {
			int64_t to = T0 + (int64_t)DAYS * 86400 - (int64_t)i * 3600 - 17 * 60;
			t = s_now();
			json_t *h = store_history(st, READING_METER, "3", "P", to - hist[k].days * 86400, to, hist[k].step,
						  hist[k].tz, err, sizeof err);
			double dt = s_now() - t;
			if (!h) {
				fprintf(stderr, "bench_store: %s\n", err);
				return 1;
			}
			points = json_array_size(json_object_get(h, "points"));
			json_decref(h);
			sum += dt;
			if (dt > worst)
				worst = dt;
		}
		printf("history, %s of one meter (%zu points): %.2f ms mean, %.2f ms worst of %d (goal: under %.0f "
		       "ms)\n",
		       hist[k].what, points, 1000 * sum / runs, 1000 * worst, runs, hist[k].goal_ms);
	}

	static const char *const forms[] = { "records", "series" };
	for (int form = 0; form < 2; form++) {
		char consumer[32];
		snprintf(consumer, sizeof consumer, "bench:%s", forms[form]);
		int64_t after = 0, got = 0;
		t = s_now();
		while (got < 100000) {
			json_t *b = store_batch(st, consumer, after, 1000, form == 1, "02:00:00:00:00:01", err, sizeof err);
			if (!b) {
				fprintf(stderr, "bench_store: %s\n", err);
				return 1;
			}
			json_t *recs = json_object_get(b, "records");
			size_t n = form ? (size_t)json_integer_value(json_object_get(b, "count")) : json_array_size(recs);
			after = form ? (int64_t)json_integer_value(json_object_get(b, "last"))
				     : (int64_t)json_integer_value(json_object_get(json_array_get(recs, n - 1), "id"));
			got += (int64_t)n;
			json_decref(b);
		}
		double secs = s_now() - t;
		printf("backlog read in batches of 1000 as %s: %.0f records/s (a million in %.0f s)\n", forms[form],
		       (double)got / secs, 1e6 * secs / (double)got);
	}

	/* steady state: day 91, a minute per fsynced transaction, hourly
	 * retention removing day 1's hours */
	int64_t wb0 = s_io("write_bytes"), wc0 = s_io("wchar");
	t = s_now();
	int64_t m0 = (int64_t)DAYS * DAY_MIN;
	for (int64_t m = m0; m < m0 + DAY_MIN; m++) {
		size_t n = s_minute(r, T0 + 60 * m, m);
		if (store_write(st, r, n, err, sizeof err) < 0) {
			fprintf(stderr, "bench_store: %s\n", err);
			return 1;
		}
		if ((m + 1) % 60 == 0 &&
		    store_retain(st, T0 + 60 * (m + 1), DAYS, INT64_MAX / 2, false, err, sizeof err) < 0) {
			fprintf(stderr, "bench_store: %s\n", err);
			return 1;
		}
	}
	double day = s_now() - t;
	int64_t wb = s_io("write_bytes") - wb0, wc = s_io("wchar") - wc0;
	printf("insert rate, one fsynced transaction per minute of 24 records: %.0f minutes/s (%.0f records/s)\n",
	       DAY_MIN / day, DAY_MIN * 24 / day);
	printf("written to the card per day in steady state (WAL, checkpoints, retention): %.1f MB to the device "
	       "(write_bytes), %.1f MB through write() (goal: under 50 MB)\n",
	       wb / 1048576.0, wc / 1048576.0);
	printf("rows after the steady-state day: %" PRId64 " (retention keeps %d days)\n", store_rows(st), DAYS);
	store_close(&st);

	/* a store from before the rollups: built from the minutes at open */
	sqlite3 *sdb = NULL;
	if (sqlite3_open(db, &sdb) != SQLITE_OK ||
	    sqlite3_exec(sdb, "DELETE FROM rollups; DELETE FROM meta WHERE key = 'rollup_upto'", NULL, NULL, NULL) !=
		    SQLITE_OK) {
		fprintf(stderr, "bench_store: %s\n", sqlite3_errmsg(sdb));
		return 1;
	}
	sqlite3_close(sdb);
	t = s_now();
	st = store_open(dir, NULL, NULL, err, sizeof err);
	if (!st) {
		fprintf(stderr, "bench_store: %s\n", err);
		return 1;
	}
	printf("rollups of the 90 days built from the minutes at open: %.1f s\n", s_now() - t);
	store_close(&st);

	/* damage found on a full store: the salvage copies every record
	 * while storaged answers nothing (docs/STORE.md, Damage) */
	struct store_salvage sv;
	t = s_now();
	st = store_open(dir, "bench: damage assumed", &sv, err, sizeof err);
	if (!st) {
		fprintf(stderr, "bench_store: %s\n", err);
		return 1;
	}
	double salvage = s_now() - t;
	printf("salvage of the 90-day store: %" PRId64 " records copied in %.1f s (%.0f records/s), %" PRId64 " lost\n",
	       sv.salvaged, salvage, (double)sv.salvaged / salvage, sv.lost);
	store_close(&st);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (getenv("BENCH_KEEP"))
		printf("kept %s\n", dir);
	else if (system(cmd) != 0)
		fprintf(stderr, "bench_store: could not remove %s\n", dir);
	return 0;
}
