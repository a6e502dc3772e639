/* store: see store.h and docs/STORE.md (On disk).
 *
 * Layout decisions, measured in bench/storaged/bench_store.c:
 *  - one row per source-minute, values in a compact blob (record.h), so a
 *    meter-minute is ~300 bytes and 90 days of 24 sources fit in ~0.5 GB;
 *  - the unique index is (ts, sid), not (sid, ts): each minute's rows then
 *    land on the last leaf of the index instead of 24 leaves spread over
 *    it, which keeps a minute's commit to a few pages (bytes written per
 *    day) while still serving a one-source time range (history);
 *  - ids are chosen here (max stored or the reset floor, + 1), not by
 *    AUTOINCREMENT, whose sqlite_sequence page would be rewritten by every
 *    commit;
 *  - counters that change rarely (dropped, id floor) live in meta; the
 *    row count is kept in memory from one count at open. */
#include "store.h"

#include "clock.h"
#include "history.h"
#include "log.h"
#include "msg.h"
#include "regular_file.h"
#include "rollup.h"
#include "zone.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define SOURCES_MAX 256
#define OWNER_PREFIX "upload:"
#define FLAG_RESTAMPED 0x1
/* ids are reserved in the file IDS_FILE next to the database, a block at
 * a time, before a commit uses them: the highest id ever issued survives
 * damage to the database (salvage continues past it) at one small write
 * every IDS_BLOCK records (~7 hours of 24 sources) */
#define IDS_FILE "store.ids"
#define IDS_BLOCK 10000
#define SALVAGE_CHUNK 5000

struct source {
	enum reading_kind kind;
	char n[READING_N_MAX];
	int64_t sid;
};

struct consumer {
	char name[STORE_CONSUMER_NAME_MAX + 1];
	int64_t cursor;
	int64_t served; /* newest id handed out since start (or the newest stored) */
	bool owned;     /* a configured upload target's (store_set_owners) */
	int64_t used_s; /* last batch or ack (or open), monotonic s */
};

struct store {
	sqlite3 *db;
	char dir[4096], path[4200];
	int64_t ids_reserved; /* ids up to this one may have been issued */
	enum store_error last;
	int64_t next_id;
	int64_t rows;
	int64_t dropped;
	int64_t lost; /* records lost to damage (salvage) */
	struct source src[SOURCES_MAX];
	size_t nsrc;
	struct consumer cons[STORE_CONSUMERS_MAX];
	size_t ncons;
	char owners[STORE_OWNED_MAX][STORE_CONSUMER_NAME_MAX + 1];
	int nowners; /* -1 until set: every consumer owned */
	int64_t refused_no_room; /* new guests refused: no cursor free */
	/* the rollups hold every period that begins before this (a multiple
	 * of ROLLUP_PERIOD); the minutes from it on are read as minutes */
	int64_t rollup_upto;
	/* rows of periods before rollup_from are stale (age retention removed
	 * minutes of them) and never read; rollup_trimmed: where the rows
	 * still in the table begin (removed a day at a time) */
	int64_t rollup_from, rollup_trimmed;
	sqlite3_stmt *ins, *find, *get, *rins;
};

static enum store_error s_open_error;

enum store_error store_open_error(void)
{
	return s_open_error;
}

const char *store_error_name(enum store_error e)
{
	switch (e) {
	case STORE_OK: return "ok";
	case STORE_FULL: return "card full";
	case STORE_READONLY: return "card read-only";
	case STORE_IOERR: return "card I/O error";
	case STORE_CORRUPT: return "database corrupt";
	case STORE_OTHER: return "database error";
	}
	return "?";
}

static enum store_error s_classify(sqlite3 *db, int rc)
{
	int sys = db ? sqlite3_system_errno(db) : 0;
	if (sys == ENOSPC || sys == EDQUOT)
		return STORE_FULL;
	if (sys == EROFS || sys == EACCES || sys == EPERM)
		return STORE_READONLY;
	switch (rc & 0xff) {
	case SQLITE_FULL: return STORE_FULL;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN: return STORE_READONLY;
	case SQLITE_IOERR: return STORE_IOERR;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: return STORE_CORRUPT;
	}
	return STORE_OTHER;
}

/* Records the failure of rc and writes "what: sqlite's reason". */
static int s_fail(struct store *st, int rc, const char *what, char *err, size_t errlen)
{
	st->last = s_classify(st->db, rc);
	int sys = sqlite3_system_errno(st->db);
	snprintf(err, errlen, "%s: %s: %s%s%s", st->path, what, sqlite3_errmsg(st->db), sys ? ": " : "",
		 sys ? strerror(sys) : "");
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int s_exec(struct store *st, const char *sql, char *err, size_t errlen)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : s_fail(st, rc, sql, err, errlen);
}

/* One integer from a query with up to two integer parameters; -1 on error
 * (with err), else 0 and *out (def when no row or NULL). */
static int s_int(struct store *st, const char *sql, int64_t a, int64_t b, int64_t def, int64_t *out, char *err,
		 size_t errlen)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return s_fail(st, rc, sql, err, errlen);
	if (sqlite3_bind_parameter_count(s) >= 1)
		sqlite3_bind_int64(s, 1, a);
	if (sqlite3_bind_parameter_count(s) >= 2)
		sqlite3_bind_int64(s, 2, b);
	rc = sqlite3_step(s);
	*out = def;
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return s_fail(st, rc, sql, err, errlen);
	return 0;
}

/* Runs sql, an INSERT OR REPLACE of (text, integer): 0, or -1 with why. */
static int s_put_text_int(struct store *st, const char *sql, const char *text, int64_t value, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return s_fail(st, rc, sql, err, errlen);
	sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, value);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : s_fail(st, rc, sql, err, errlen);
}

/* sql prepared with its first two ? bound to the range [lo, hi) and its
 * third to sid, when not 0; NULL after s_fail. */
static sqlite3_stmt *s_range_query(struct store *st, const char *sql, int64_t lo, int64_t hi, int64_t sid, char *err,
				   size_t errlen)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		s_fail(st, rc, sql, err, errlen);
		return NULL;
	}
	sqlite3_bind_int64(s, 1, lo);
	sqlite3_bind_int64(s, 2, hi);
	if (sid)
		sqlite3_bind_int64(s, 3, sid);
	return s;
}

static int s_meta_set(struct store *st, const char *key, int64_t value, char *err, size_t errlen)
{
	return s_put_text_int(st, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", key, value, err, errlen);
}

/* Schema migrations, applied in order from the file's user_version; each
 * one in its own transaction with its row in "migrations".  A release
 * that changes the schema appends one here, never edits one. */
static const struct {
	int version;
	const char *what;
	const char *sql;
} s_migrations[] = {
	{ 1, "minute records, sources, consumer cursors, set-aside records",
	  "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
	  "CREATE TABLE sources(sid INTEGER PRIMARY KEY, kind INTEGER NOT NULL, n TEXT NOT NULL, UNIQUE(kind, n));"
	  "CREATE TABLE records(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, sid INTEGER NOT NULL,"
	  " flags INTEGER NOT NULL, count INTEGER NOT NULL, vals BLOB NOT NULL);"
	  "CREATE UNIQUE INDEX records_minute ON records(ts, sid);"
	  "CREATE TABLE consumers(name TEXT PRIMARY KEY, cursor INTEGER NOT NULL) WITHOUT ROWID;"
	  "CREATE TABLE set_aside(consumer TEXT NOT NULL, id INTEGER NOT NULL, reason TEXT NOT NULL,"
	  " at INTEGER NOT NULL, ts INTEGER NOT NULL, sid INTEGER NOT NULL, flags INTEGER NOT NULL,"
	  " count INTEGER NOT NULL, vals BLOB NOT NULL, PRIMARY KEY(consumer, id));" },
	/* id: s_rollup_id, one source's rollups together in time order, so
	 * 90 days of one are one short range scan (rollup.h; built from the
	 * minutes at the next open: s_rollup_catch_up) */
	{ 2, "quarter-hour and hour rollups of the minutes for history",
	  "CREATE TABLE rollups(id INTEGER PRIMARY KEY, count INTEGER NOT NULL, last_ts INTEGER NOT NULL,"
	  " vals BLOB NOT NULL);" },
	{ 3, "alarm log",
	  "CREATE TABLE alarm_log(seq INTEGER PRIMARY KEY, ts REAL NOT NULL, alarm TEXT NOT NULL,"
	  " event TEXT NOT NULL, body TEXT NOT NULL, UNIQUE(alarm, event, ts));"
	  "CREATE INDEX alarm_log_ts ON alarm_log(ts);" },
};

static int s_migrate(struct store *st, char *err, size_t errlen)
{
	int64_t version;
	if (s_int(st, "PRAGMA user_version", 0, 0, 0, &version, err, errlen) < 0)
		return -1;
	if (version > STORE_SCHEMA_VERSION) {
		st->last = STORE_OTHER;
		snprintf(err, errlen, "%s: schema version %" PRId64 " is newer than this storaged's (%d)", st->path,
			 version, STORE_SCHEMA_VERSION);
		return -1;
	}
	if (version == 0 && s_exec(st, "CREATE TABLE IF NOT EXISTS migrations(version INTEGER PRIMARY KEY,"
				      " applied INTEGER NOT NULL, what TEXT NOT NULL)",
				   err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < sizeof s_migrations / sizeof s_migrations[0]; i++) {
		if (s_migrations[i].version <= version)
			continue;
		char sql[256];
		if (s_exec(st, "BEGIN IMMEDIATE", err, errlen) < 0 || s_exec(st, s_migrations[i].sql, err, errlen) < 0)
			return -1;
		sqlite3_stmt *s;
		const char *ins = "INSERT INTO migrations(version, applied, what) VALUES (?, ?, ?)";
		int rc = sqlite3_prepare_v2(st->db, ins, -1, &s, NULL);
		if (rc != SQLITE_OK)
			return s_fail(st, rc, ins, err, errlen);
		sqlite3_bind_int(s, 1, s_migrations[i].version);
		sqlite3_bind_int64(s, 2, (int64_t)time(NULL));
		sqlite3_bind_text(s, 3, s_migrations[i].what, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return s_fail(st, rc, ins, err, errlen);
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", s_migrations[i].version);
		if (s_exec(st, sql, err, errlen) < 0 || s_exec(st, "COMMIT", err, errlen) < 0)
			return -1;
		log_info("%s: schema migrated to version %d (%s)", st->path, s_migrations[i].version,
			 s_migrations[i].what);
	}
	return 0;
}

static int s_prepare(struct store *st, sqlite3_stmt **s, const char *sql, char *err, size_t errlen)
{
	int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s, NULL);
	return rc == SQLITE_OK ? 0 : s_fail(st, rc, sql, err, errlen);
}

static bool s_owned(const struct store *st, const char *name)
{
	if (st->nowners < 0)
		return true;
	for (int i = 0; i < st->nowners; i++)
		if (!strcmp(st->owners[i], name))
			return true;
	return false;
}

static int s_load(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	const char *sql = "SELECT sid, kind, n FROM sources";
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return s_fail(st, rc, sql, err, errlen);
	st->nsrc = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && st->nsrc < SOURCES_MAX) {
		struct source *src = &st->src[st->nsrc++];
		src->sid = sqlite3_column_int64(s, 0);
		src->kind = sqlite3_column_int(s, 1);
		snprintf(src->n, sizeof src->n, "%s", (const char *)sqlite3_column_text(s, 2));
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return s_fail(st, rc, sql, err, errlen);
	int64_t max_id, floor_id;
	if (s_int(st, "SELECT max(id) FROM records", 0, 0, 0, &max_id, err, errlen) < 0 ||
	    s_int(st, "SELECT value FROM meta WHERE key = 'id_floor'", 0, 0, 0, &floor_id, err, errlen) < 0 ||
	    s_int(st, "SELECT value FROM meta WHERE key = 'dropped_unuploaded'", 0, 0, 0, &st->dropped, err,
		  errlen) < 0 ||
	    s_int(st, "SELECT value FROM meta WHERE key = 'lost_to_damage'", 0, 0, 0, &st->lost, err, errlen) < 0 ||
	    s_int(st, "SELECT value FROM meta WHERE key = 'rollup_upto'", 0, 0, 0, &st->rollup_upto, err, errlen) < 0 ||
	    s_int(st, "SELECT value FROM meta WHERE key = 'rollup_from'", 0, 0, 0, &st->rollup_from, err, errlen) < 0 ||
	    s_int(st, "SELECT value FROM meta WHERE key = 'rollup_trimmed'", 0, 0, 0, &st->rollup_trimmed, err,
		  errlen) < 0 ||
	    s_int(st, "SELECT count(*) FROM records", 0, 0, 0, &st->rows, err, errlen) < 0)
		return -1;
	st->next_id = (max_id > floor_id ? max_id : floor_id) + 1;
	sql = "SELECT name, cursor FROM consumers";
	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return s_fail(st, rc, sql, err, errlen);
	st->ncons = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && st->ncons < STORE_CONSUMERS_MAX) {
		struct consumer *c = &st->cons[st->ncons++];
		snprintf(c->name, sizeof c->name, "%s", (const char *)sqlite3_column_text(s, 0));
		c->cursor = sqlite3_column_int64(s, 1);
		c->served = max_id > c->cursor ? max_id : c->cursor;
		c->owned = s_owned(st, c->name);
		c->used_s = clock_mono_ms() / 1000;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return s_fail(st, rc, sql, err, errlen);
	return 0;
}

static void s_close_db(struct store *st)
{
	sqlite3_finalize(st->ins);
	sqlite3_finalize(st->find);
	sqlite3_finalize(st->get);
	sqlite3_finalize(st->rins);
	st->ins = st->find = st->get = st->rins = NULL;
	sqlite3_close_v2(st->db);
	st->db = NULL;
}

/* 0 ready; -1 with err and st->last set. */
static int s_open_db(struct store *st, char *err, size_t errlen)
{
	int rc = sqlite3_open_v2(st->path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		if (!st->db)
			return snprintf(err, errlen, "%s: out of memory", st->path), st->last = STORE_OTHER, -1;
		return s_fail(st, rc, "cannot open", err, errlen);
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 2000);
	int64_t dummy;
	char mode[16] = "";
	sqlite3_stmt *s;
	/* 1 KiB pages: a minute's commit rewrites whole pages (the last leaf,
	 * the index leaf, their parents), and with 4 KiB ones that cost ~45 MB
	 * of card writes a day against ~28 MB (bench_store); effective only on
	 * a new file, before WAL, so an existing store keeps its page size */
	if (s_exec(st, "PRAGMA page_size=1024", err, errlen) < 0)
		return -1;
	/* WAL with synchronous=FULL: each commit is fsynced to the WAL, so a
	 * minute reported as stored survives a power cut */
	rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
		snprintf(mode, sizeof mode, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_OK)
		return s_fail(st, rc, "PRAGMA journal_mode=WAL", err, errlen);
	if (strcmp(mode, "wal")) {
		st->last = STORE_READONLY;
		snprintf(err, errlen, "%s: cannot switch to WAL mode (journal mode \"%s\")", st->path, mode);
		return -1;
	}
	if (s_exec(st, "PRAGMA synchronous=FULL", err, errlen) < 0 ||
	    s_exec(st, "PRAGMA journal_size_limit=4194304", err, errlen) < 0 ||
	    s_exec(st, "PRAGMA cache_size=-4000", err, errlen) < 0 ||
	    /* Debian builds SQLite to zero every deleted row: retention would
	     * write each page of old minutes twice more (WAL, checkpoint) just
	     * to blank it; FAST blanks only what costs no extra write */
	    s_exec(st, "PRAGMA secure_delete=FAST", err, errlen) < 0 ||
	    s_int(st, "SELECT count(*) FROM sqlite_master", 0, 0, 0, &dummy, err, errlen) < 0 ||
	    s_migrate(st, err, errlen) < 0 || s_load(st, err, errlen) < 0)
		return -1;
	if (s_prepare(st, &st->ins, "INSERT INTO records(id, ts, sid, flags, count, vals) VALUES (?,?,?,?,?,?)", err,
		      errlen) < 0 ||
	    s_prepare(st, &st->find, "SELECT id FROM records WHERE ts = ? AND sid = ?", err,
		      errlen) < 0 ||
	    s_prepare(st, &st->get,
		      "SELECT r.id, s.kind, s.n, r.ts, r.flags, r.count, r.vals FROM records r"
		      " JOIN sources s ON s.sid = r.sid WHERE r.id > ? ORDER BY r.id LIMIT ?",
		      err, errlen) < 0 ||
	    s_prepare(st, &st->rins, "INSERT OR REPLACE INTO rollups(id, count, last_ts, vals) VALUES (?,?,?,?)", err,
		      errlen) < 0)
		return -1;
	st->last = STORE_OK;
	return 0;
}

/* ---- rollups (docs/STORE.md, History) ----
 *
 * Each source's rows lie apart (by source), so every change to them
 * dirties a leaf and its parents per source: the card's writes decide how
 * often they change (bench_store's write_bytes; 35.9 MB a day without
 * rollups).  Rewriting a row every minute would about double them;
 * writing every quarter hour and trimming them with the hourly retention
 * cost 14 MB a day more, hourly 9.5 MB.  So rows are written a quarter of
 * a day at a time, once those hours are closed: in the transaction of the
 * first minute stored after them, since no later minute is stamped into
 * them (Time); the hours still open are read as minutes, so an answer
 * never misses a stored minute.  Age retention marks the rows it made
 * stale (rollup_from; the period it cut into is then read as minutes)
 * and removes them a day at a time. */
#define ROLLUP_CLOSE (6 * 3600)
#define ROLLUP_TRIM_S 86400

/* Where the rollups may reach with newest stored: the start of its
 * quarter of a day (UTC). */
static int64_t s_rollup_closed(int64_t newest)
{
	return newest - ((newest % ROLLUP_CLOSE) + ROLLUP_CLOSE) % ROLLUP_CLOSE;
}

/* The rollups come in two lengths: quarter hours, which make the hours
 * and days of any zone, and whole hours, which make the rest from a
 * quarter of the rows (all but the hour a day begins within, in a zone
 * half an hour off UTC): 90 days by the day of one source read 2,160 rows
 * and not 8,640, and the pages SQLite reads are what such an answer costs
 * (perf: most of its time in pread).
 * A row's id keeps one source's rows together in time order, quarter
 * hours (bit 31 clear) before hours (bit 31 set). */
#define ROLLUP_HOUR 3600
#define ROLLUP_HOURS_BIT (INT64_C(1) << 31)

static int64_t s_rollup_id(int64_t sid, int64_t ts, int64_t length)
{
	return (sid << 32) | (length == ROLLUP_HOUR ? ROLLUP_HOURS_BIT | ts / ROLLUP_HOUR : ts / ROLLUP_PERIOD);
}

/* The start of ts's hour (UTC) */
static int64_t s_hour(int64_t ts)
{
	return ts - ((ts % ROLLUP_HOUR) + ROLLUP_HOUR) % ROLLUP_HOUR;
}

static int s_rollup_put(struct store *st, int64_t id, const struct rollup *ro, char *err, size_t errlen)
{
	uint8_t blob[ROLLUP_BLOB_MAX];
	size_t len = rollup_encode(ro, blob);
	sqlite3_reset(st->rins);
	sqlite3_bind_int64(st->rins, 1, id);
	sqlite3_bind_int64(st->rins, 2, ro->count);
	sqlite3_bind_int64(st->rins, 3, ro->last_ts);
	sqlite3_bind_blob(st->rins, 4, blob, (int)len, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st->rins);
	sqlite3_reset(st->rins);
	return rc == SQLITE_DONE ? 0 : s_fail(st, rc, "rollup insert", err, errlen);
}

/* Runs sql with two integer parameters to its end; -1 on error. */
static int s_run2(struct store *st, const char *sql, int64_t a, int64_t b, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return s_fail(st, rc, sql, err, errlen);
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : s_fail(st, rc, sql, err, errlen);
}

/* Removes every source's rows of [lo, hi) (whole hours), in the
 * caller's transaction. */
static int s_rollup_delete(struct store *st, int64_t lo, int64_t hi, char *err, size_t errlen)
{
	const char *sql = "DELETE FROM rollups WHERE id >= ? AND id < ?";
	for (size_t i = 0; i < st->nsrc; i++) {
		int64_t sid = st->src[i].sid;
		if (s_run2(st, sql, s_rollup_id(sid, lo, ROLLUP_PERIOD), s_rollup_id(sid, hi, ROLLUP_PERIOD), err,
			   errlen) < 0 ||
		    s_run2(st, sql, s_rollup_id(sid, lo, ROLLUP_HOUR), s_rollup_id(sid, hi, ROLLUP_HOUR), err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* Makes the rollups of the hours [lo, hi) (widened to whole hours; hi at
 * most rollup_upto once done) anew from their minutes, in the caller's
 * transaction: their rows go, and each source with minutes there gets a
 * row per quarter hour and per hour.  A minute that does not decode is
 * left out, as the minutes' own answers leave it out. */
static int s_rollup_build(struct store *st, int64_t lo, int64_t hi, char *err, size_t errlen)
{
	lo = s_hour(lo);
	hi = s_hour(hi + ROLLUP_HOUR - 1);
	if (lo >= hi)
		return 0;
	if (lo < st->rollup_upto && s_rollup_delete(st, lo, hi, err, errlen) < 0)
		return -1;
	/* a source's quarter hour, and its hour the quarters are merged into */
	struct rollup *acc = calloc(2 * SOURCES_MAX, sizeof *acc), *hacc = acc + SOURCES_MAX;
	bool used[SOURCES_MAX] = { false }, hused[SOURCES_MAX] = { false };
	if (!acc) {
		st->last = STORE_OTHER;
		snprintf(err, errlen, "out of memory for the rollups");
		return -1;
	}
	sqlite3_stmt *s = s_range_query(st, "SELECT ts, sid, count, vals FROM records WHERE ts >= ? AND ts < ? ORDER BY ts, sid",
				      lo, hi, 0, err, errlen);
	if (!s) {
		free(acc);
		return -1;
	}
	int rc;
	int64_t period = INT64_MIN;
	bool failed = false;
	for (;;) {
		rc = sqlite3_step(s);
		int64_t ts = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : INT64_MAX;
		if (period != INT64_MIN && rollup_period(ts) != period) {
			for (size_t i = 0; i < st->nsrc && !failed; i++)
				if (used[i]) {
					int64_t id = s_rollup_id(st->src[i].sid, period, ROLLUP_PERIOD);
					failed = s_rollup_put(st, id, &acc[i], err, errlen) < 0;
					if (!hused[i])
						rollup_init(&hacc[i], acc[i].kind);
					rollup_merge(&hacc[i], &acc[i]);
					used[i] = false;
					hused[i] = true;
				}
		}
		if (period != INT64_MIN && s_hour(ts) != s_hour(period)) {
			for (size_t i = 0; i < st->nsrc && !failed; i++)
				if (hused[i]) {
					int64_t id = s_rollup_id(st->src[i].sid, s_hour(period), ROLLUP_HOUR);
					failed = s_rollup_put(st, id, &hacc[i], err, errlen) < 0;
					hused[i] = false;
				}
		}
		if (rc != SQLITE_ROW || failed)
			break;
		period = rollup_period(ts);
		int64_t sid = sqlite3_column_int64(s, 1);
		size_t i = 0;
		while (i < st->nsrc && st->src[i].sid != sid)
			i++;
		struct record r = { .kind = i < st->nsrc ? st->src[i].kind : 0, .ts = ts,
				    .count = sqlite3_column_int(s, 2) };
		char why[160];
		if (!r.kind || record_decode(&r, sqlite3_column_blob(s, 3), (size_t)sqlite3_column_bytes(s, 3), why,
					     sizeof why) < 0)
			continue;
		if (!used[i])
			rollup_init(&acc[i], r.kind);
		used[i] = true;
		rollup_add(&acc[i], &r);
	}
	sqlite3_finalize(s);
	free(acc);
	if (failed)
		return -1;
	return rc == SQLITE_DONE ? 0 : s_fail(st, rc, "rollup build", err, errlen);
}

/* Closes the hours before the one of newest (a stored minute), in the
 * caller's transaction; st->rollup_upto moves only once it commits. */
static int s_rollup_advance(struct store *st, int64_t newest, int64_t *upto, char *err, size_t errlen)
{
	int64_t to = s_rollup_closed(newest);
	*upto = st->rollup_upto;
	if (to <= st->rollup_upto)
		return 0;
	int64_t oldest;
	if (s_int(st, "SELECT min(ts) FROM records WHERE ts >= ?", st->rollup_upto, 0, to, &oldest, err, errlen) < 0)
		return -1;
	int64_t from = s_hour(oldest) > st->rollup_upto ? s_hour(oldest) : st->rollup_upto;
	if (s_rollup_build(st, from < to ? from : to, to, err, errlen) < 0 ||
	    s_meta_set(st, "rollup_upto", to, err, errlen) < 0)
		return -1;
	*upto = to;
	return 0;
}

/* Builds the rollups a store lacks from its minutes: every one after a
 * migration from a store without them or a salvage (which copies only
 * minutes), the periods closed since after a crash.  A day a transaction,
 * so a 90-day store is built in steps that survive a stop. */
static int s_rollup_catch_up(struct store *st, char *err, size_t errlen)
{
	int64_t newest, oldest;
	if (s_int(st, "SELECT max(ts) FROM records", 0, 0, 0, &newest, err, errlen) < 0 ||
	    s_int(st, "SELECT min(ts) FROM records WHERE ts >= ?", st->rollup_upto, 0, newest, &oldest, err, errlen) < 0)
		return -1;
	int64_t to = s_rollup_closed(newest), at = rollup_period(oldest);
	if (to <= st->rollup_upto)
		return 0;
	if (to - at > 86400)
		log_info("%s: building the rollups of %.1f days of minutes", st->path, (double)(to - at) / 86400);
	while (st->rollup_upto < to) {
		int64_t step = at + 86400 < to ? at + 86400 : to, upto;
		if (s_exec(st, "BEGIN IMMEDIATE", err, errlen) < 0 || s_rollup_advance(st, step, &upto, err, errlen) < 0 ||
		    s_exec(st, "COMMIT", err, errlen) < 0)
			return -1;
		st->rollup_upto = upto;
		at = step;
	}
	return 0;
}

/* Removes every source's rollup rows before upto (a quarter hour: the
 * hour it falls in goes whole), in the caller's transaction. */
static int s_rollup_trim(struct store *st, int64_t upto, char *err, size_t errlen)
{
	const char *sql = "DELETE FROM rollups WHERE id >= ? AND id < ?";
	for (size_t i = 0; i < st->nsrc; i++) {
		int64_t sid = st->src[i].sid;
		if (s_run2(st, sql, s_rollup_id(sid, 0, ROLLUP_PERIOD), s_rollup_id(sid, upto, ROLLUP_PERIOD), err,
			   errlen) < 0 ||
		    s_run2(st, sql, s_rollup_id(sid, 0, ROLLUP_HOUR),
			   s_rollup_id(sid, s_hour(upto + ROLLUP_HOUR - 1), ROLLUP_HOUR), err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* Makes the rollups of the hours holding [lo_ts, hi_ts] anew (after
 * minutes there were removed or stored late), in the caller's
 * transaction; only closed hours have rows. */
static int s_rollup_redo(struct store *st, int64_t lo_ts, int64_t hi_ts, char *err, size_t errlen)
{
	int64_t hi = s_hour(hi_ts) + ROLLUP_HOUR;
	return s_rollup_build(st, lo_ts, hi < st->rollup_upto ? hi : st->rollup_upto, err, errlen);
}

/* Renames the file and its -wal and -shm aside; the new name into out. */
static void s_move_aside(const char *path, char *out, size_t outlen)
{
	char dst[4200 + 64];
	snprintf(out, outlen, "%s.corrupt-%lld", path, (long long)time(NULL));
	for (int i = 2; access(out, F_OK) == 0 && i < 100; i++) /* twice in one second */
		snprintf(out, outlen, "%s.corrupt-%lld.%d", path, (long long)time(NULL), i);
	const char *suffix[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		char src[4200];
		snprintf(src, sizeof src, "%s%s", path, suffix[i]);
		snprintf(dst, sizeof dst, "%s%s", out, suffix[i]);
		if (rename(src, dst) < 0 && errno != ENOENT)
			log_error("cannot move %s aside to %s: %s", src, dst, strerror(errno));
	}
}

/* The highest id reserved in IDS_FILE; 0 when there is none. */
static int64_t s_ids_read(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, IDS_FILE);
	/* a regular file only: a FIFO would block storaged's start in open();
	 * anything else there is replaced at the next reservation */
	char why[4300];
	int fd = regular_file_open(path, 0, why, sizeof why);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
	long long v = 0;
	if (!f) {
		if (fd >= 0)
			close(fd);
		else if (errno != ENOENT)
			log_warn("%s", why);
		return 0;
	}
	if (fscanf(f, "%lld", &v) != 1 || v < 0)
		v = 0;
	fclose(f);
	return v;
}

/* Reserves ids up to upto + IDS_BLOCK in IDS_FILE (written whole, fsynced,
 * renamed over the old one). */
static int s_ids_reserve(struct store *st, int64_t upto, char *err, size_t errlen)
{
	char path[4200], tmp[4300];
	snprintf(path, sizeof path, "%s/%s", st->dir, IDS_FILE);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int64_t v = upto + IDS_BLOCK;
	FILE *f = fopen(tmp, "w");
	bool ok = f && fprintf(f, "%lld\n", (long long)v) > 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
	int e = errno;
	if (f && fclose(f) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (ok && rename(tmp, path) < 0) {
		ok = false;
		e = errno;
	}
	int dfd = ok ? open(st->dir, O_RDONLY | O_DIRECTORY) : -1;
	if (dfd >= 0) { /* the rename itself survives a power cut */
		if (fsync(dfd) < 0) {
			ok = false;
			e = errno;
		}
		close(dfd);
	}
	if (!ok) {
		unlink(tmp);
		st->last = e == ENOSPC || e == EDQUOT ? STORE_FULL
			   : e == EROFS || e == EACCES || e == EPERM ? STORE_READONLY
								  : STORE_IOERR;
		snprintf(err, errlen, "%s: cannot reserve ids: %s", path, strerror(e));
		return -1;
	}
	st->ids_reserved = v;
	return 0;
}

/* An integer from the damaged database, or def when it cannot be read:
 * salvage takes what it can.  *ok (may be NULL): it could. */
static int64_t s_old_int(sqlite3 *old, const char *sql, int64_t a, int64_t def, bool *ok)
{
	sqlite3_stmt *s;
	int64_t v = def;
	int rc = sqlite3_prepare_v2(old, sql, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		if (sqlite3_bind_parameter_count(s) >= 1)
			sqlite3_bind_int64(s, 1, a);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
			v = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (ok)
		*ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
	return v;
}

/* Whether the first record after id x can be read: its id, 0 when none
 * is after x, -1 when the pages on the way are damaged. */
static int64_t s_old_probe(sqlite3 *old, int64_t x)
{
	bool ok;
	int64_t id = s_old_int(old, "SELECT id FROM records WHERE id > ? ORDER BY id LIMIT 1", x, 0, &ok);
	return ok ? id : -1;
}

/* The first readable record after a damaged stretch that begins after id
 * last: 0 when none (up to limit).  Probes forward in doubling steps past
 * the damage, then narrows down to the first id it can reach. */
static int64_t s_old_next(sqlite3 *old, int64_t last, int64_t limit)
{
	int64_t bad = last, step = 1, good;
	for (;;) {
		good = last + step;
		if (good > limit)
			return 0;
		if (s_old_probe(old, good) >= 0)
			break;
		bad = good;
		step *= 2;
	}
	while (good - bad > 1) {
		int64_t mid = bad + (good - bad) / 2;
		if (s_old_probe(old, mid) >= 0)
			good = mid;
		else
			bad = mid;
	}
	return s_old_probe(old, good);
}

/* Copies the rows of a small table from the damaged database as far as
 * they can be read; -1 only when the new database cannot be written. */
static int s_copy_rows(struct store *st, sqlite3 *old, const char *select, const char *insert, bool *whole, char *err,
		       size_t errlen)
{
	sqlite3_stmt *from, *to;
	*whole = false;
	if (sqlite3_prepare_v2(old, select, -1, &from, NULL) != SQLITE_OK) {
		sqlite3_finalize(from);
		return 0;
	}
	int rc = sqlite3_prepare_v2(st->db, insert, -1, &to, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(from);
		return s_fail(st, rc, insert, err, errlen);
	}
	while ((rc = sqlite3_step(from)) == SQLITE_ROW) {
		sqlite3_reset(to);
		for (int c = 0; c < sqlite3_column_count(from); c++)
			sqlite3_bind_value(to, c + 1, sqlite3_column_value(from, c));
		int irc = sqlite3_step(to);
		if (irc != SQLITE_DONE) {
			s_fail(st, irc, insert, err, errlen);
			sqlite3_finalize(to);
			sqlite3_finalize(from);
			return -1;
		}
	}
	*whole = rc == SQLITE_DONE;
	sqlite3_finalize(to);
	sqlite3_finalize(from);
	return 0;
}

/* Copies what can be read from the damaged file (aside) into the new,
 * empty database: sources, consumers and their cursors, set-aside
 * records, counters, and every readable record with its id; counts what
 * is lost.  -1 only when the new database cannot be written. */
static int s_salvage(struct store *st, const char *aside, struct store_salvage *sv, char *err, size_t errlen)
{
	sv->lost = sv->lost_unuploaded = -1; /* not known unless counted */
	sqlite3 *old = NULL;
	bool readable = sqlite3_open_v2(aside, &old, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK, ok, idx_ok = false;
	if (readable) /* its schema, or nothing */
		s_old_int(old, "SELECT count(*) FROM sqlite_master", 0, 0, &readable);
	int64_t hwm = s_ids_read(st->dir), old_dropped = 0, old_lost = 0, old_floor = 0, ts_floor = 0;
	int64_t idx_total = 0, idx_unup = 0, idx_max = 0, copied = 0, copied_unup = 0, gap = 0, gap_unup = 0;
	int64_t max_id = 0, max_cursor = 0, minc = 0;
	bool cons_ok = false, whole;
	if (readable) {
		old_dropped = s_old_int(old, "SELECT value FROM meta WHERE key = 'dropped_unuploaded'", 0, 0, NULL);
		old_lost = s_old_int(old, "SELECT value FROM meta WHERE key = 'lost_to_damage'", 0, 0, NULL);
		old_floor = s_old_int(old, "SELECT value FROM meta WHERE key = 'id_floor'", 0, 0, NULL);
		ts_floor = s_old_int(old, "SELECT value FROM meta WHERE key = 'ts_floor'", 0, 0, NULL);
		int64_t ts = s_old_int(old, "SELECT max(ts) FROM records INDEXED BY records_minute", 0, 0, NULL);
		ts_floor = ts > ts_floor ? ts : ts_floor;
		if (s_exec(st, "BEGIN IMMEDIATE", err, errlen) < 0 ||
		    s_copy_rows(st, old, "SELECT sid, kind, n FROM sources", "INSERT INTO sources VALUES (?, ?, ?)",
				&whole, err, errlen) < 0 ||
		    s_copy_rows(st, old, "SELECT name, cursor FROM consumers", "INSERT INTO consumers VALUES (?, ?)",
				&cons_ok, err, errlen) < 0 ||
		    s_copy_rows(st, old, "SELECT * FROM set_aside", "INSERT INTO set_aside VALUES (?,?,?,?,?,?,?,?,?)",
				&whole, err, errlen) < 0 ||
		    s_copy_rows(st, old, "SELECT seq, ts, alarm, event, body FROM alarm_log",
				"INSERT INTO alarm_log VALUES (?, ?, ?, ?, ?)", &whole, err, errlen) < 0 ||
		    s_exec(st, "COMMIT", err, errlen) < 0) {
			sqlite3_close_v2(old);
			return -1;
		}
		/* records no consumer has acknowledged are "unuploaded"; with
		 * the cursors unreadable, every one is */
		minc = s_old_int(st->db, "SELECT min(cursor) FROM consumers", 0, INT64_MAX, NULL);
		if (!cons_ok)
			minc = 0;
		max_cursor = s_old_int(st->db, "SELECT max(cursor) FROM consumers", 0, 0, NULL);
		/* the minute index holds every record's id apart from the
		 * table's pages: what was there, when it is sound */
		idx_total = s_old_int(old, "SELECT count(*) FROM records INDEXED BY records_minute", 0, 0, &idx_ok);
		idx_unup = s_old_int(old, "SELECT count(*) FROM records INDEXED BY records_minute WHERE id > ?", minc, 0,
				     &ok);
		idx_ok = idx_ok && ok;
		idx_max = s_old_int(old, "SELECT max(id) FROM records INDEXED BY records_minute", 0, 0, NULL);
	}
	if (s_load(st, err, errlen) < 0) {
		sqlite3_close_v2(old);
		return -1;
	}
	int64_t limit = hwm > idx_max ? hwm : idx_max, last = 0;
	limit = limit > old_floor ? limit : old_floor;
	bool done = !readable;
	if (!done && s_exec(st, "BEGIN IMMEDIATE", err, errlen) < 0) {
		sqlite3_close_v2(old);
		return -1;
	}
	while (!done) {
		sqlite3_stmt *s;
		const char *sql = "SELECT id, ts, sid, flags, count, vals FROM records WHERE id > ? ORDER BY id";
		int rc = sqlite3_prepare_v2(old, sql, -1, &s, NULL);
		if (rc != SQLITE_OK) {
			sqlite3_finalize(s);
			break;
		}
		sqlite3_bind_int64(s, 1, last);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(s, 0), sid = sqlite3_column_int64(s, 2);
			last = id;
			/* a row that reads but does not decode is as lost */
			struct record r = { .kind = 0 };
			for (size_t i = 0; i < st->nsrc; i++)
				if (st->src[i].sid == sid)
					r.kind = st->src[i].kind;
			char why[128];
			if (!r.kind || record_decode(&r, sqlite3_column_blob(s, 5), (size_t)sqlite3_column_bytes(s, 5),
						     why, sizeof why) < 0) {
				gap++;
				gap_unup += id > minc;
				continue;
			}
			sqlite3_reset(st->ins);
			for (int c = 0; c < 6; c++)
				sqlite3_bind_value(st->ins, c + 1, sqlite3_column_value(s, c));
			int irc = sqlite3_step(st->ins);
			if (irc != SQLITE_DONE) {
				s_fail(st, irc, "salvage: insert", err, errlen);
				sqlite3_reset(st->ins);
				sqlite3_finalize(s);
				sqlite3_close_v2(old);
				return -1;
			}
			sqlite3_reset(st->ins);
			copied++;
			copied_unup += id > minc;
			max_id = id;
			if (copied % SALVAGE_CHUNK == 0 &&
			    (s_exec(st, "COMMIT", err, errlen) < 0 || s_exec(st, "BEGIN IMMEDIATE", err, errlen) < 0)) {
				sqlite3_finalize(s);
				sqlite3_close_v2(old);
				return -1;
			}
		}
		sqlite3_finalize(s);
		if (rc == SQLITE_DONE)
			break;
		/* a damaged stretch after `last`: on past it */
		int64_t next = s_old_next(old, last, limit);
		if (next <= 0)
			break;
		gap += next - last - 1;
		if (minc < next - 1) /* ids last+1 .. next-1 above minc */
			gap_unup += next - 1 - (last > minc ? last : minc);
		last = next - 1;
	}
	sqlite3_close_v2(old);
	if (readable && s_exec(st, "COMMIT", err, errlen) < 0)
		return -1;
	sv->salvaged = copied;
	if (readable) {
		sv->lost = idx_ok ? (idx_total > copied ? idx_total - copied : 0) : gap;
		sv->lost_unuploaded = idx_ok ? (idx_unup > copied_unup ? idx_unup - copied_unup : 0) : gap_unup;
	}
	/* ids go on past every one ever issued */
	int64_t floor_id = hwm;
	int64_t cand[] = { old_floor, idx_max, max_id, max_cursor, st->next_id - 1 };
	for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
		floor_id = cand[i] > floor_id ? cand[i] : floor_id;
	int64_t lost = sv->lost > 0 ? sv->lost : 0, lost_unup = sv->lost_unuploaded > 0 ? sv->lost_unuploaded : 0;
	if (s_exec(st, "BEGIN IMMEDIATE", err, errlen) < 0 || s_meta_set(st, "id_floor", floor_id, err, errlen) < 0 ||
	    s_meta_set(st, "ts_floor", ts_floor, err, errlen) < 0 ||
	    s_meta_set(st, "dropped_unuploaded", old_dropped + lost_unup, err, errlen) < 0 ||
	    s_meta_set(st, "lost_to_damage", old_lost + lost, err, errlen) < 0 || s_exec(st, "COMMIT", err, errlen) < 0)
		return -1;
	return s_load(st, err, errlen);
}

struct store *store_open(const char *dir, const char *damage, struct store_salvage *sv, char *err, size_t errlen)
{
	struct store_salvage scratch;
	if (!sv)
		sv = &scratch;
	memset(sv, 0, sizeof *sv);
	struct store *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, errlen, "out of memory");
		s_open_error = STORE_OTHER;
		return NULL;
	}
	snprintf(st->dir, sizeof st->dir, "%s", dir);
	st->nowners = -1;
	snprintf(st->path, sizeof st->path, "%s/%s", dir, STORE_FILE);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		s_open_error = errno == ENOSPC ? STORE_FULL : errno == EROFS || errno == EACCES ? STORE_READONLY
												: STORE_IOERR;
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		free(st);
		return NULL;
	}
	if (damage) { /* (err may be damage) */
		st->last = STORE_CORRUPT;
		snprintf(sv->why, sizeof sv->why, "%s", damage);
		snprintf(err, errlen, "%s", sv->why);
	}
	if (damage || s_open_db(st, err, errlen) < 0) {
		struct statvfs vfs;
		if (st->last != STORE_CORRUPT && statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
			/* SQLite's own words for this are misleading ("unable to
			 * open database file: No such file or directory") */
			st->last = STORE_READONLY;
			snprintf(err, errlen, "%s: the card is mounted read-only", dir);
		}
		if (st->last != STORE_CORRUPT) {
			s_open_error = st->last;
			s_close_db(st);
			free(st);
			return NULL;
		}
		/* damaged: keep the file for inspection, salvage what it holds
		 * into a new one and go on storing (docs/STORE.md, Damage) */
		s_close_db(st);
		if (!damage)
			snprintf(sv->why, sizeof sv->why, "%s", err);
		s_move_aside(st->path, sv->moved_aside, sizeof sv->moved_aside);
		if (s_open_db(st, err, errlen) < 0 || s_salvage(st, sv->moved_aside, sv, err, errlen) < 0) {
			s_open_error = st->last;
			s_close_db(st);
			free(st);
			return NULL;
		}
		char lost[96] = "the damaged file could not be read at all";
		if (sv->lost >= 0)
			snprintf(lost, sizeof lost, "%" PRId64 " lost (%" PRId64 " not yet uploaded)", sv->lost,
				 sv->lost_unuploaded);
		log_error("%s; moved it aside to %s and started a new database: %" PRId64 " records salvaged, %s; ids go "
			  "on from %" PRId64,
			  sv->why, sv->moved_aside, sv->salvaged, lost, st->next_id);
	}
	/* (answers stay whole without them: the minutes after rollup_upto
	 * are read as minutes) */
	if (s_rollup_catch_up(st, err, errlen) < 0) {
		log_warn("%s", err);
		st->last = STORE_OK;
	}
	/* (a card that cannot take it now still serves: the first write
	 * that needs new ids tries again, and fails as writes do) */
	st->ids_reserved = s_ids_read(dir);
	char why[512];
	if (st->ids_reserved < st->next_id && s_ids_reserve(st, st->next_id - 1, why, sizeof why) < 0) {
		log_warn("%s", why);
		st->last = STORE_OK;
	}
	s_open_error = STORE_OK;
	return st;
}

void store_close(struct store **pst)
{
	struct store *st = *pst;
	if (!st)
		return;
	s_close_db(st);
	free(st);
	*pst = NULL;
}

enum store_error store_error_class(const struct store *st)
{
	return st->last;
}

int64_t store_rows(const struct store *st)
{
	return st->rows;
}

int64_t store_dropped(const struct store *st)
{
	return st->dropped;
}

/* The sid of a source, adding it (inside the caller's transaction). */
static int64_t s_sid(struct store *st, enum reading_kind kind, const char *n, bool *added, char *err, size_t errlen)
{
	for (size_t i = 0; i < st->nsrc; i++)
		if (st->src[i].kind == kind && !strcmp(st->src[i].n, n))
			return st->src[i].sid;
	if (st->nsrc == SOURCES_MAX) {
		st->last = STORE_OTHER;
		snprintf(err, errlen, "more than %d sources", SOURCES_MAX);
		return -1;
	}
	sqlite3_stmt *s;
	const char *sql = "INSERT INTO sources(kind, n) VALUES (?, ?)";
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return s_fail(st, rc, sql, err, errlen);
	sqlite3_bind_int(s, 1, kind);
	sqlite3_bind_text(s, 2, n, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return s_fail(st, rc, sql, err, errlen);
	struct source *src = &st->src[st->nsrc++];
	src->kind = kind;
	snprintf(src->n, sizeof src->n, "%s", n);
	src->sid = sqlite3_last_insert_rowid(st->db);
	*added = true;
	return src->sid;
}

/* The sid of an existing source, or 0. */
static int64_t s_find_sid(const struct store *st, enum reading_kind kind, const char *n)
{
	for (size_t i = 0; i < st->nsrc; i++)
		if (st->src[i].kind == kind && !strcmp(st->src[i].n, n))
			return st->src[i].sid;
	return 0;
}

static int s_insert(struct store *st, const struct record *r, int64_t sid, char *err, size_t errlen)
{
	uint8_t blob[RECORD_BLOB_MAX];
	size_t len = record_encode(r, blob);
	sqlite3_reset(st->ins);
	sqlite3_bind_int64(st->ins, 1, r->id);
	sqlite3_bind_int64(st->ins, 2, r->ts);
	sqlite3_bind_int64(st->ins, 3, sid);
	sqlite3_bind_int(st->ins, 4, r->restamped ? FLAG_RESTAMPED : 0);
	sqlite3_bind_int(st->ins, 5, r->count);
	sqlite3_bind_blob(st->ins, 6, blob, (int)len, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st->ins);
	sqlite3_reset(st->ins);
	return rc == SQLITE_DONE ? 0 : s_fail(st, rc, "insert", err, errlen);
}

/* The id of the stored record of (ts, sid) into *id; 1 found, 0 not, -1
 * error. */
static int s_find(struct store *st, int64_t ts, int64_t sid, int64_t *id, char *err, size_t errlen)
{
	sqlite3_reset(st->find);
	sqlite3_bind_int64(st->find, 1, ts);
	sqlite3_bind_int64(st->find, 2, sid);
	int rc = sqlite3_step(st->find);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st->find, 0);
	sqlite3_reset(st->find);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return s_fail(st, rc, "find", err, errlen);
	return rc == SQLITE_ROW;
}


int store_write(struct store *st, struct record *recs, size_t n, char *err, size_t errlen)
{
	if (!n)
		return 0;
	if (s_exec(st, "BEGIN IMMEDIATE", err, errlen) < 0)
		return -1;
	int64_t next = st->next_id, rows = st->rows, refused = 0, lo = INT64_MAX, hi = INT64_MIN, upto;
	size_t nsrc = st->nsrc;
	bool added = false;
	for (size_t i = 0; i < n; i++) {
		struct record *r = &recs[i];
		int64_t sid = s_sid(st, r->kind, r->n, &added, err, errlen);
		if (sid < 0)
			goto fail;
		int64_t old = 0; /* gcc -O2 cannot see s_find sets it whenever it returns 1 */
		int found = s_find(st, r->ts, sid, &old, err, errlen);
		if (found < 0)
			goto fail;
		if (found) {
			/* a committed minute is immutable and one rid carries one
			 * set of values (docs/STORE.md, Time); the timeline stamps
			 * nothing at or before the newest stored minute, so only
			 * a minute stamped before the store could be read gets here */
			log_error("minute %" PRId64 " of %s %s is already stored (record %" PRId64 "); the new one is dropped",
				  r->ts, reading_kind_name(r->kind), r->n, old);
			r->id = 0;
			refused++;
			continue;
		}
		r->id = next++;
		if (s_insert(st, r, sid, err, errlen) < 0)
			goto fail;
		rows++;
		lo = r->ts < lo ? r->ts : lo;
		hi = r->ts > hi ? r->ts : hi;
	}
	/* the rollups in the same transaction: a closed period a minute came
	 * late to made anew, the periods this closes built */
	if (rows > st->rows && ((lo < st->rollup_upto && s_rollup_redo(st, lo, hi, err, errlen) < 0) ||
				s_rollup_advance(st, hi, &upto, err, errlen) < 0))
		goto fail;
	if (refused && s_meta_set(st, "dropped_unuploaded", st->dropped + refused, err, errlen) < 0)
		goto fail;
	if (next - 1 > st->ids_reserved && s_ids_reserve(st, next - 1, err, errlen) < 0)
		goto fail;
	if (s_exec(st, "COMMIT", err, errlen) < 0)
		goto fail;
	st->next_id = next;
	if (rows > st->rows)
		st->rollup_upto = upto;
	st->rows = rows;
	st->dropped += refused;
	return 0;
fail:
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		recs[i].id = 0;
	if (added)
		st->nsrc = nsrc; /* those sources were rolled back too */
	return -1;
}

static int64_t s_min_cursor(const struct store *st)
{
	int64_t m = INT64_MAX; /* nobody to upload to: everything counts as uploaded */
	for (size_t i = 0; i < st->ncons; i++)
		if (st->cons[i].owned && st->cons[i].cursor < m)
			m = st->cons[i].cursor;
	return m;
}

static int64_t s_used_bytes(struct store *st)
{
	int64_t pages = 0, free_pages = 0, size = 0;
	char err[256];
	if (s_int(st, "PRAGMA page_count", 0, 0, 0, &pages, err, sizeof err) < 0 ||
	    s_int(st, "PRAGMA freelist_count", 0, 0, 0, &free_pages, err, sizeof err) < 0 ||
	    s_int(st, "PRAGMA page_size", 0, 0, 4096, &size, err, sizeof err) < 0)
		return 0;
	return (pages - free_pages) * size;
}

bool store_near_full(struct store *st, int64_t max_bytes)
{
	return s_used_bytes(st) > max_bytes - max_bytes / 64;
}

static int s_add_dropped(struct store *st, int64_t n, char *err, size_t errlen)
{
	if (n <= 0)
		return 0;
	if (s_meta_set(st, "dropped_unuploaded", st->dropped + n, err, errlen) < 0)
		return -1;
	st->dropped += n;
	return 0;
}

int store_count_dropped(struct store *st, int64_t n, char *err, size_t errlen)
{
	return s_add_dropped(st, n, err, errlen);
}

#define RETAIN_CHUNK 5000

/* Runs a DELETE with one integer parameter; the rows it removed, or -1. */
static int64_t s_delete(struct store *st, const char *sql, int64_t a, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return s_fail(st, rc, sql, err, errlen);
	sqlite3_bind_int64(s, 1, a);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return s_fail(st, rc, sql, err, errlen);
	return sqlite3_changes64(st->db);
}

int store_retain(struct store *st, int64_t now, int retention_days, int64_t max_bytes, bool uploaded_only, char *err,
		 size_t errlen)
{
	int64_t minc = s_min_cursor(st);
	int64_t cutoff = now - (int64_t)retention_days * 86400, unup;
	if (s_exec(st, "BEGIN IMMEDIATE", err, errlen) < 0 ||
	    s_int(st, "SELECT count(*) FROM records WHERE ts < ? AND id > ?", cutoff, minc, 0, &unup, err, errlen) < 0)
		return -1;
	/* records set aside go with their minutes, and the rollups of those
	 * minutes are stale from now on: the period the cutoff cuts into is
	 * read as minutes, the rows before it a day at a time removed */
	int64_t gone = s_delete(st, "DELETE FROM records WHERE ts < ?", cutoff, err, errlen);
	int64_t from = rollup_period(cutoff + ROLLUP_PERIOD - 1);
	bool stale = gone > 0 && from > st->rollup_from, trim = stale && from - st->rollup_trimmed >= ROLLUP_TRIM_S;
	if (gone < 0 || s_delete(st, "DELETE FROM set_aside WHERE ts < ?", cutoff, err, errlen) < 0 ||
	    s_delete(st, "DELETE FROM alarm_log WHERE ts < ?", cutoff, err, errlen) < 0 ||
	    (stale && s_meta_set(st, "rollup_from", from, err, errlen) < 0) ||
	    (trim && (s_rollup_trim(st, from, err, errlen) < 0 || s_meta_set(st, "rollup_trimmed", from, err, errlen) < 0)))
		return -1;
	int64_t dropped = st->dropped;
	if ((unup && s_add_dropped(st, unup, err, errlen) < 0) || s_exec(st, "COMMIT", err, errlen) < 0) {
		st->dropped = dropped;
		return -1;
	}
	if (stale)
		st->rollup_from = from;
	if (trim)
		st->rollup_trimmed = from;
	st->rows -= gone;
	if (gone)
		log_info("retention: removed %" PRId64 " records older than %d days (%" PRId64 " not uploaded)", gone,
			 retention_days, unup);
	/* then size: oldest first, uploaded before unuploaded */
	for (int round = 0; round < 100000 && st->rows > 0; round++) {
		if (s_used_bytes(st) <= max_bytes - max_bytes / 32)
			break;
		int64_t oldest, cut;
		if (s_int(st, "SELECT min(id) FROM records", 0, 0, 0, &oldest, err, errlen) < 0 ||
		    s_int(st, "SELECT id FROM records WHERE id >= ? ORDER BY id LIMIT 1 OFFSET ?", oldest,
			  RETAIN_CHUNK - 1, INT64_MAX, &cut, err, errlen) < 0)
			return -1;
		if (oldest <= minc && minc < cut)
			cut = minc; /* the uploaded ones first */
		if (uploaded_only && oldest > minc)
			break;
		int64_t lo_ts, hi_ts;
		if (s_exec(st, "BEGIN IMMEDIATE", err, errlen) < 0 ||
		    s_int(st, "SELECT count(*) FROM records WHERE id <= ? AND id > ?", cut, minc, 0, &unup, err,
			  errlen) < 0 ||
		    s_int(st, "SELECT min(ts) FROM records WHERE id <= ?", cut, 0, 0, &lo_ts, err, errlen) < 0 ||
		    s_int(st, "SELECT max(ts) FROM records WHERE id <= ?", cut, 0, 0, &hi_ts, err, errlen) < 0)
			return -1;
		if ((gone = s_delete(st, "DELETE FROM records WHERE id <= ?", cut, err, errlen)) < 0 ||
		    (gone && s_rollup_redo(st, lo_ts, hi_ts, err, errlen) < 0))
			return -1;
		dropped = st->dropped;
		if ((unup && s_add_dropped(st, unup, err, errlen) < 0) || s_exec(st, "COMMIT", err, errlen) < 0) {
			st->dropped = dropped;
			return -1;
		}
		st->rows -= gone;
		if (unup)
			log_warn("retention: card limit reached: removed %" PRId64 " records not yet uploaded", unup);
	}
	return 0;
}

static bool s_consumer_valid(const char *name, char *err, size_t errlen)
{
	size_t len = name ? strlen(name) : 0;
	if (len < 1 || len > STORE_CONSUMER_NAME_MAX) {
		snprintf(err, errlen, "consumer: a name of 1..%d characters is needed", STORE_CONSUMER_NAME_MAX);
		return false;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) {
			snprintf(err, errlen, "consumer: control characters are not allowed in a name");
			return false;
		}
	return true;
}

static struct consumer *s_consumer(struct store *st, const char *name)
{
	for (size_t i = 0; i < st->ncons; i++)
		if (!strcmp(st->cons[i].name, name))
			return &st->cons[i];
	return NULL;
}

static int s_set_cursor(struct store *st, const char *name, int64_t cursor, char *err, size_t errlen)
{
	return s_put_text_int(st, "INSERT OR REPLACE INTO consumers(name, cursor) VALUES (?, ?)", name, cursor, err,
			      errlen);
}

/* The consumer of a request that needs an existing cursor; NULL with a
 * reason naming it. */
static struct consumer *s_known_consumer(struct store *st, const char *name, char *err, size_t errlen)
{
	if (!s_consumer_valid(name, err, errlen))
		return NULL;
	struct consumer *c = s_consumer(st, name);
	if (!c)
		snprintf(err, errlen, "consumer: \"%s\" has no cursor (it never asked for a batch, or it was removed)",
			 name);
	return c;
}

static size_t s_guests(const struct store *st)
{
	size_t n = 0;
	for (size_t i = 0; i < st->ncons; i++)
		n += !st->cons[i].owned;
	return n;
}

/* Removes a consumer's cursor (table and memory). */
static int s_remove(struct store *st, struct consumer *c, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	const char *sql = "DELETE FROM consumers WHERE name = ?";
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return s_fail(st, rc, sql, err, errlen);
	sqlite3_bind_text(s, 1, c->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return s_fail(st, rc, sql, err, errlen);
	*c = st->cons[--st->ncons];
	return 0;
}

/* A new consumer, its cursor before the oldest record, by the rule of
 * docs/STORE.md (Consumers): upload:<name> only for a configured target;
 * other readers (guests) while fewer than STORE_GUESTS_MAX; a target
 * always has room, taken from the guest least recently used if needed. */
static struct consumer *s_add_consumer(struct store *st, const char *name, char *err, size_t errlen)
{
	bool owned = s_owned(st, name);
	if (!owned && !strncmp(name, OWNER_PREFIX, strlen(OWNER_PREFIX))) {
		snprintf(err, errlen, "consumer: \"%s\": the config has no upload target \"%s\" (upload[]); "
			 OWNER_PREFIX "<name> is for configured targets", name, name + strlen(OWNER_PREFIX));
		return NULL;
	}
	if (!owned && s_guests(st) >= STORE_GUESTS_MAX) {
		st->refused_no_room++;
		snprintf(err, errlen, "consumer: all %d cursors for readers other than upload targets are in use; "
			 "remove one (remove-consumer) or wait until one unused for %d h expires",
			 STORE_GUESTS_MAX, STORE_GUEST_IDLE_S / 3600);
		return NULL;
	}
	if (st->ncons == STORE_CONSUMERS_MAX) {
		struct consumer *lru = NULL;
		for (size_t i = 0; i < st->ncons; i++)
			if (!st->cons[i].owned && (!lru || st->cons[i].used_s < lru->used_s))
				lru = &st->cons[i];
		if (!lru) {
			snprintf(err, errlen, "consumer: already %d consumers; no room for \"%s\"", STORE_CONSUMERS_MAX, name);
			return NULL;
		}
		char gone[STORE_CONSUMER_NAME_MAX + 1];
		snprintf(gone, sizeof gone, "%s", lru->name);
		if (s_remove(st, lru, err, errlen) < 0)
			return NULL;
		log_warn("cursors full: removed \"%s\" (no upload target owns it) to make room for \"%s\"", gone, name);
	}
	int64_t oldest;
	if (s_int(st, "SELECT min(id) FROM records", 0, 0, st->next_id, &oldest, err, errlen) < 0 ||
	    s_set_cursor(st, name, oldest - 1, err, errlen) < 0)
		return NULL;
	struct consumer *c = &st->cons[st->ncons++];
	*c = (struct consumer){ .cursor = oldest - 1, .served = oldest - 1, .owned = owned };
	snprintf(c->name, sizeof c->name, "%s", name);
	log_info("new consumer \"%s\" starts after record %" PRId64, name, c->cursor);
	return c;
}

void store_set_owners(struct store *st, const char *const *names, size_t n)
{
	st->nowners = 0;
	for (size_t i = 0; i < n && i < STORE_OWNED_MAX; i++)
		snprintf(st->owners[st->nowners++], sizeof st->owners[0], "%s", names[i]);
	for (size_t i = 0; i < st->ncons; i++)
		st->cons[i].owned = s_owned(st, st->cons[i].name);
}

json_t *store_remove_consumer(struct store *st, const char *name, char *err, size_t errlen)
{
	struct consumer *c = s_known_consumer(st, name, err, errlen);
	if (!c)
		return NULL;
	bool owned = c->owned;
	if (s_remove(st, c, err, errlen) < 0)
		return NULL;
	log_warn("cursor of \"%s\" removed on request%s", name,
		 owned ? "; its upload target starts again from the oldest record" : "");
	return json_pack("{s:s}", "removed", name);
}

int store_expire_consumers(struct store *st, int64_t now_s, char *err, size_t errlen)
{
	int n = 0;
	for (size_t i = 0; i < st->ncons;) {
		struct consumer *c = &st->cons[i];
		if (c->owned || now_s - c->used_s < STORE_GUEST_IDLE_S) {
			i++;
			continue;
		}
		char gone[STORE_CONSUMER_NAME_MAX + 1];
		snprintf(gone, sizeof gone, "%s", c->name);
		if (s_remove(st, c, err, errlen) < 0)
			return -1;
		log_info("cursor of \"%s\" expired: no upload target owns it and it was unused for %d h", gone,
			 STORE_GUEST_IDLE_S / 3600);
		n++;
	}
	return n;
}

json_t *store_consumers(struct store *st)
{
	char err[256];
	int64_t now = clock_mono_ms() / 1000;
	json_t *cons = json_object();
	for (size_t i = 0; i < st->ncons; i++) {
		const struct consumer *c = &st->cons[i];
		int64_t pending = 0;
		s_int(st, "SELECT count(*) FROM records WHERE id > ?", c->cursor, 0, 0, &pending, err, sizeof err);
		json_object_set_new(cons, c->name,
				    json_pack("{s:I,s:I,s:b,s:I}", "cursor", (json_int_t)c->cursor, "pending",
					      (json_int_t)pending, "owned", c->owned, "idle_s", (json_int_t)(now - c->used_s)));
	}
	size_t guests = s_guests(st);
	json_t *o = json_pack("{s:o,s:i,s:I,s:i,s:I}", "consumers", cons, "consumers_max", STORE_CONSUMERS_MAX, "guests",
			      (json_int_t)guests, "guests_max", STORE_GUESTS_MAX, "guests_refused",
			      (json_int_t)st->refused_no_room);
	if (guests >= STORE_GUESTS_MAX)
		json_object_set_new(o, "consumers_full",
				    json_sprintf("all %d cursors for readers other than upload targets are in use: new "
						 "ones are refused until one is removed or expires",
						 STORE_GUESTS_MAX));
	return o;
}

/* Reads one row of the "get" shape (id, kind, n, ts, flags, count, vals). */
static int s_row(sqlite3_stmt *s, struct record *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	r->kind = sqlite3_column_int(s, 1);
	snprintf(r->n, sizeof r->n, "%s", (const char *)sqlite3_column_text(s, 2));
	r->ts = sqlite3_column_int64(s, 3);
	r->restamped = sqlite3_column_int(s, 4) & FLAG_RESTAMPED;
	r->count = sqlite3_column_int(s, 5);
	if (record_check_row(r, err, errlen) < 0)
		return -1;
	return record_decode(r, sqlite3_column_blob(s, 6), (size_t)sqlite3_column_bytes(s, 6), err, errlen);
}

json_t *store_batch(struct store *st, const char *consumer, int64_t after, int max, bool series, const char *mac,
		    char *err, size_t errlen)
{
	if (!s_consumer_valid(consumer, err, errlen))
		return NULL;
	if (max < 1 || max > STORE_BATCH_MAX) {
		snprintf(err, errlen, "max: %d is not 1..%d", max, STORE_BATCH_MAX);
		return NULL;
	}
	struct consumer *c = s_consumer(st, consumer);
	if (!c && !(c = s_add_consumer(st, consumer, err, errlen)))
		return NULL;
	c->used_s = clock_mono_ms() / 1000;
	json_t *records = series ? NULL : json_array();
	struct columns *cols = series ? columns_new() : NULL;
	if (series && !cols) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	sqlite3_reset(st->get);
	sqlite3_bind_int64(st->get, 1, after > c->cursor ? after : c->cursor);
	sqlite3_bind_int(st->get, 2, max + 1);
	int rc = SQLITE_DONE, got = 0;
	int64_t last = 0;
	bool more = false, failed = false;
	while (!failed && (rc = sqlite3_step(st->get)) == SQLITE_ROW) {
		if (got == max) {
			more = true;
			break;
		}
		struct record r;
		if (s_row(st->get, &r, err, errlen) < 0) {
			st->last = STORE_CORRUPT;
			failed = true;
			break;
		}
		if (cols) {
			struct columns_row row;
			const char *names[RECORD_FIELDS_MAX];
			double vals[RECORD_FIELDS_MAX];
			char why[160];
			record_to_row(&r, &row, names, vals);
			if (columns_add(cols, &row, why, sizeof why) < 0) {
				/* the consumer asks again in records, one by one */
				snprintf(err, errlen, "record %" PRId64 " cannot be sent as series: %s", r.id, why);
				failed = true;
				break;
			}
		} else {
			json_array_append_new(records, record_to_json(&r, mac));
		}
		if (r.id > c->served)
			c->served = r.id;
		last = r.id;
		got++;
	}
	sqlite3_reset(st->get);
	json_t *answer = NULL;
	if (!failed && rc != SQLITE_ROW && rc != SQLITE_DONE)
		s_fail(st, rc, "batch", err, errlen);
	else if (!failed && records)
		answer = json_pack("{s:O,s:b}", "records", records, "more", more);
	else if (!failed && !(answer = json_pack("{s:o,s:i,s:I,s:b}", "series", columns_series(cols), "count", got,
						 "last", (json_int_t)last, "more", more)))
		snprintf(err, errlen, "out of memory");
	json_decref(records);
	columns_free(&cols);
	return answer;
}

json_t *store_ack(struct store *st, const char *consumer, int64_t upto, char *err, size_t errlen)
{
	struct consumer *c = s_known_consumer(st, consumer, err, errlen);
	if (!c)
		return NULL;
	if (upto < 0 || upto > c->served) {
		snprintf(err, errlen, "upto: record %" PRId64 " was never served to \"%s\" (newest served: %" PRId64 ")",
			 upto, consumer, c->served);
		return NULL;
	}
	c->used_s = clock_mono_ms() / 1000;
	if (upto > c->cursor) {
		if (s_set_cursor(st, consumer, upto, err, errlen) < 0)
			return NULL;
		c->cursor = upto;
	}
	return json_pack("{s:I}", "cursor", (json_int_t)c->cursor);
}

json_t *store_set_aside(struct store *st, const char *consumer, const json_t *ids, const char *reason, char *err,
			size_t errlen)
{
	struct consumer *c = s_known_consumer(st, consumer, err, errlen);
	if (!c)
		return NULL;
	if (!c->owned) {
		/* what a target's receiver refused; other readers would only
		 * grow the table (docs/STORE.md, Consumers) */
		snprintf(err, errlen, "consumer: \"%s\" is not an upload target's; only those set records aside", consumer);
		return NULL;
	}
	if (!json_is_array(ids) || json_array_size(ids) < 1 || json_array_size(ids) > STORE_BATCH_MAX) {
		snprintf(err, errlen, "ids: an array of 1..%d record ids is needed", STORE_BATCH_MAX);
		return NULL;
	}
	if (!reason || !reason[0] || strlen(reason) > 500) {
		snprintf(err, errlen, "reason: a text of 1..500 characters is needed");
		return NULL;
	}
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > c->served) {
			snprintf(err, errlen, "ids[%zu]: not the id of a record served to \"%s\"", i, consumer);
			return NULL;
		}
	}
	if (s_exec(st, "BEGIN IMMEDIATE", err, errlen) < 0)
		return NULL;
	sqlite3_stmt *s;
	const char *sql = "INSERT OR REPLACE INTO set_aside(consumer, id, reason, at, ts, sid, flags, count, vals)"
			  " SELECT ?, id, ?, ?, ts, sid, flags, count, vals FROM records WHERE id = ?";
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		s_fail(st, rc, sql, err, errlen);
		return NULL;
	}
	json_array_foreach(ids, i, v)
	{
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, consumer, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, reason, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, (int64_t)time(NULL));
		sqlite3_bind_int64(s, 4, json_integer_value(v));
		rc = sqlite3_step(s);
		if (rc != SQLITE_DONE) {
			sqlite3_finalize(s);
			s_fail(st, rc, "set-aside", err, errlen);
			return NULL;
		}
		if (sqlite3_changes(st->db) == 0) {
			sqlite3_finalize(s);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			snprintf(err, errlen, "ids[%zu]: record %" JSON_INTEGER_FORMAT " is no longer in the store", i,
				 json_integer_value(v));
			return NULL;
		}
	}
	sqlite3_finalize(s);
	if (s_exec(st, "COMMIT", err, errlen) < 0)
		return NULL;
	log_warn("%zu records set aside for \"%s\": %s", json_array_size(ids), consumer, reason);
	return json_pack("{s:I}", "set_aside", (json_int_t)json_array_size(ids));
}

/* Feeds the source's minutes in [lo, hi) to h; -1 on error. */
static int s_history_minutes(struct store *st, struct history *h, int64_t sid, int64_t lo, int64_t hi, char *err,
			     size_t errlen)
{
	if (lo >= hi)
		return 0;
	sqlite3_stmt *s = s_range_query(st, "SELECT ts, count, vals FROM records WHERE ts >= ? AND ts < ? AND sid = ? ORDER BY ts",
				      lo, hi, sid, err, errlen);
	if (!s)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct record r = { .kind = h->kind, .ts = sqlite3_column_int64(s, 0), .count = sqlite3_column_int(s, 1) };
		char why[160];
		if (record_decode(&r, sqlite3_column_blob(s, 2), (size_t)sqlite3_column_bytes(s, 2), why, sizeof why) < 0)
			continue; /* one bad record does not hide the others */
		r.mask &= UINT64_C(1) << h->field; /* the answer's field only: no other is folded */
		struct rollup part;
		rollup_init(&part, h->kind);
		rollup_add(&part, &r);
		history_feed(h, r.ts, &part);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : s_fail(st, rc, "history", err, errlen);
}

/* Feeds the source's rollups of length (ROLLUP_PERIOD or ROLLUP_HOUR)
 * over [lo, hi) to h, or with newest_only, only the newest of them that
 * has h's field to history_prev (the value at the end of the last minute
 * before hi); -1 on error. */
static int s_history_rollups(struct store *st, struct history *h, int64_t sid, int64_t lo, int64_t hi, int64_t length,
			     bool newest_only, bool *found, char *err, size_t errlen)
{
	if (lo >= hi)
		return 0;
	sqlite3_stmt *s;
	const char *sql = newest_only ? "SELECT id, count, last_ts, vals FROM rollups WHERE id >= ? AND id < ?"
					" ORDER BY id DESC"
				      : "SELECT id, count, last_ts, vals FROM rollups WHERE id >= ? AND id < ? ORDER BY id";
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return s_fail(st, rc, sql, err, errlen);
	sqlite3_bind_int64(s, 1, s_rollup_id(sid, lo, length));
	sqlite3_bind_int64(s, 2, s_rollup_id(sid, hi, length));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t ts = (sqlite3_column_int64(s, 0) & (ROLLUP_HOURS_BIT - 1)) * length;
		/* an hour a bucket begins within (a day of a zone half an hour
		 * off UTC begins in one hour of 24): its quarter hours */
		if (!newest_only && length == ROLLUP_HOUR && history_splits(h, ts, ROLLUP_HOUR)) {
			if (s_history_rollups(st, h, sid, ts, ts + ROLLUP_HOUR, ROLLUP_PERIOD, false, found, err, errlen) < 0) {
				sqlite3_finalize(s);
				return -1;
			}
			continue;
		}
		struct rollup ro;
		rollup_init(&ro, h->kind);
		ro.count = sqlite3_column_int(s, 1);
		ro.last_ts = sqlite3_column_int64(s, 2);
		char why[160];
		if (rollup_decode(&ro, sqlite3_column_blob(s, 3), (size_t)sqlite3_column_bytes(s, 3),
				  UINT64_C(1) << h->field, why, sizeof why) < 0) {
			/* a rollup that does not decode is damage, as a page that
			 * does not read: salvaged, and the rollups built anew */
			long long id = sqlite3_column_int64(s, 0);
			sqlite3_finalize(s);
			st->last = STORE_CORRUPT;
			snprintf(err, errlen, "%s: rollup %lld: %s", st->path, id, why);
			return -1;
		}
		if (!newest_only) {
			history_feed(h, ts, &ro);
		} else if (ro.mask & (UINT64_C(1) << h->field)) {
			history_prev(h, ro.v[h->field]);
			*found = true;
			break;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : s_fail(st, rc, "history", err, errlen);
}

/* The newest stored minute of the source in [lo, hi) that has h's field
 * to history_prev; *found says whether there was one; -1 on error. */
static int s_history_prev_minute(struct store *st, struct history *h, int64_t sid, int64_t lo, int64_t hi, bool *found,
				 char *err, size_t errlen)
{
	if (lo >= hi)
		return 0;
	sqlite3_stmt *s = s_range_query(
		st, "SELECT ts, count, vals FROM records WHERE ts >= ? AND ts < ? AND sid = ? ORDER BY ts DESC", lo, hi, sid,
		err, errlen);
	if (!s)
		return -1;
	int rc = SQLITE_ROW;
	while (!*found && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct record r = { .kind = h->kind };
		char why[160];
		if (record_decode(&r, sqlite3_column_blob(s, 2), (size_t)sqlite3_column_bytes(s, 2), why, sizeof why) == 0 &&
		    (r.mask & (UINT64_C(1) << h->field))) {
			history_prev(h, r.v[h->field]);
			*found = true;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : s_fail(st, rc, "history", err, errlen);
}

/* A register's value at the end of the newest stored minute before ts,
 * when there is one, to h (the first bucket's delta): the minutes after
 * the rollups, then the newest rollup that has the field (whose last
 * value is its newest minute's), then the minutes before the rollups
 * (what is left of the period retention cut into). */
static int s_history_prev(struct store *st, struct history *h, int64_t sid, int64_t ts, char *err, size_t errlen)
{
	int64_t split = rollup_period(ts) < st->rollup_upto ? rollup_period(ts) : st->rollup_upto;
	int64_t from = st->rollup_from < split ? st->rollup_from : split;
	bool found = false;
	if (s_history_prev_minute(st, h, sid, split, ts, &found, err, errlen) < 0 ||
	    (!found && s_history_rollups(st, h, sid, from, split, ROLLUP_PERIOD, true, &found, err, errlen) < 0) ||
	    (!found && s_history_prev_minute(st, h, sid, 0, from, &found, err, errlen) < 0))
		return -1;
	return 0;
}

json_t *store_history(struct store *st, enum reading_kind kind, const char *n, const char *field, int64_t from,
		      int64_t to, int64_t step, const char *tz, char *err, size_t errlen)
{
	struct history h;
	if (history_begin(&h, kind, field, step, tz, err, errlen) < 0)
		return NULL;
	if (from >= to) {
		snprintf(err, errlen, "from: %" PRId64 " is not before to (%" PRId64 ")", from, to);
		return history_end(&h, true);
	}
	if ((to - from) / step > STORE_HISTORY_POINTS_MAX) {
		snprintf(err, errlen, "to: more than %d points at this resolution; ask for a shorter range",
			 STORE_HISTORY_POINTS_MAX);
		return history_end(&h, true);
	}
	int64_t sid = s_find_sid(st, kind, n);
	/* hours and days: the whole periods the rollups hold, the minutes
	 * around them (a range's ragged ends, the open period) */
	int64_t a = rollup_period(from + ROLLUP_PERIOD - 1), b = rollup_period(to);
	a = a > st->rollup_from ? a : st->rollup_from;
	b = b < st->rollup_upto ? b : st->rollup_upto;
	bool rollups = step > 60 && a < b, found;
	/* whole hours in the middle, quarter hours around them and in an hour
	 * a bucket begins within; by the hour in a zone whose hours are not
	 * UTC's, every hour would be one: quarter hours throughout */
	int64_t ah = s_hour(a + ROLLUP_HOUR - 1), bh = s_hour(b);
	if (!rollups || ah >= bh || (step == ROLLUP_HOUR && !zone_whole_hours(from, to)))
		ah = bh = b;
	if (sid && ((h.f->agg == READING_LAST && s_history_prev(st, &h, sid, from, err, errlen) < 0) ||
		    (!rollups && s_history_minutes(st, &h, sid, from, to, err, errlen) < 0) ||
		    (rollups && (s_history_minutes(st, &h, sid, from, a, err, errlen) < 0 ||
				 s_history_rollups(st, &h, sid, a, ah, ROLLUP_PERIOD, false, &found, err, errlen) < 0 ||
				 s_history_rollups(st, &h, sid, ah, bh, ROLLUP_HOUR, false, &found, err, errlen) < 0 ||
				 s_history_rollups(st, &h, sid, bh, b, ROLLUP_PERIOD, false, &found, err, errlen) < 0 ||
				 s_history_minutes(st, &h, sid, b, to, err, errlen) < 0))))
		return history_end(&h, true);
	json_t *res = history_end(&h, false);
	if (!res)
		snprintf(err, errlen, "out of memory");
	return res;
}

/* Appends to a growing buffer; false when out of memory. */
struct sbuf {
	char *p;
	size_t len, cap;
};

static bool s_append(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool s_append(struct sbuf *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int w = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (w < 0)
			return false;
		if (b->p && b->len + (size_t)w < b->cap) {
			b->len += (size_t)w;
			return true;
		}
		size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)w;
		char *p = realloc(b->p, cap);
		if (!p)
			return false;
		b->p = p;
		b->cap = cap;
	}
}

json_t *store_export(struct store *st, enum reading_kind kind, const char *n, int64_t from, int64_t to, const char *mac,
		     char *err, size_t errlen)
{
	if (from >= to) {
		snprintf(err, errlen, "from: %" PRId64 " is not before to (%" PRId64 ")", from, to);
		return NULL;
	}
	if (to - from > STORE_EXPORT_RANGE_MAX) {
		snprintf(err, errlen, "to: at most %d days in one export", STORE_EXPORT_RANGE_MAX / 86400);
		return NULL;
	}
	size_t nf;
	const struct reading_field *f = record_fields(kind, &nf);
	struct sbuf b = { 0 };
	bool ok = s_append(&b, "rid,ts,utc,time,count");
	for (size_t i = 0; i < nf; i++)
		ok = ok && s_append(&b, ",%s", f[i].name);
	ok = ok && s_append(&b, "%s\r\n", kind == READING_PULSE ? ",unit" : "");
	int64_t sid = s_find_sid(st, kind, n);
	sqlite3_stmt *s = NULL;
	int rc = SQLITE_DONE;
	if (sid) {
		const char *sql = "SELECT r.id, s.kind, s.n, r.ts, r.flags, r.count, r.vals FROM records r"
				  " JOIN sources s ON s.sid = r.sid WHERE r.ts >= ? AND r.ts < ? AND r.sid = ?"
				  " ORDER BY r.ts";
		if (!(s = s_range_query(st, sql, from, to, sid, err, errlen))) {
			free(b.p);
			return NULL;
		}
		while (ok && (rc = sqlite3_step(s)) == SQLITE_ROW) {
			struct record r;
			char why[256], rid[128], utc[32];
			if (s_row(s, &r, why, sizeof why) < 0)
				continue;
			record_rid(&r, mac, rid, sizeof rid);
			time_t t = (time_t)r.ts;
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(utc, sizeof utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
			ok = s_append(&b, "%s,%lld,%s,%s,%d", rid, (long long)r.ts, utc,
				      r.restamped ? "restamped" : "synced", r.count);
			for (size_t i = 0; ok && i < nf; i++) {
				if (!(r.mask & (UINT64_C(1) << i)))
					ok = s_append(&b, ",");
				else
					ok = s_append(&b, f[i].width == 4 ? ",%.7g" : ",%.15g", r.v[i]);
			}
			if (ok && kind == READING_PULSE)
				ok = s_append(&b, ",%s", r.unit);
			ok = ok && s_append(&b, "\r\n");
		}
		sqlite3_finalize(s);
	}
	if (!ok) {
		free(b.p);
		snprintf(err, errlen, "out of memory building the CSV");
		return NULL;
	}
	if (rc != SQLITE_DONE) {
		free(b.p);
		s_fail(st, rc, "export", err, errlen);
		return NULL;
	}
	json_t *res = json_pack("{s:s%}", "csv", b.p, b.len);
	free(b.p);
	return res;
}

int store_reset(struct store *st, char *err, size_t errlen)
{
	if (s_exec(st, "BEGIN IMMEDIATE", err, errlen) < 0 ||
	    s_meta_set(st, "id_floor", st->next_id - 1, err, errlen) < 0 ||
	    s_meta_set(st, "ts_floor", store_newest_ts(st), err, errlen) < 0 ||
	    s_exec(st, "DELETE FROM records; DELETE FROM set_aside; DELETE FROM rollups", err, errlen) < 0 ||
	    s_exec(st, "COMMIT", err, errlen) < 0)
		return -1;
	log_warn("data reset: %" PRId64 " records deleted; ids continue from %" PRId64, st->rows, st->next_id);
	st->rows = 0;
	return 0;
}

int64_t store_newest_ts(struct store *st)
{
	int64_t ts, floor_ts;
	char err[256];
	if (s_int(st, "SELECT max(ts) FROM records", 0, 0, 0, &ts, err, sizeof err) < 0 ||
	    s_int(st, "SELECT value FROM meta WHERE key = 'ts_floor'", 0, 0, 0, &floor_ts, err, sizeof err) < 0)
		return 0;
	return ts > floor_ts ? ts : floor_ts;
}

json_t *store_stats(struct store *st)
{
	char err[256];
	int64_t oldest = 0, newest = 0, set_aside = 0, pages = 0, size = 4096;
	s_int(st, "SELECT min(ts) FROM records", 0, 0, 0, &oldest, err, sizeof err);
	s_int(st, "SELECT max(ts) FROM records", 0, 0, 0, &newest, err, sizeof err);
	s_int(st, "SELECT count(*) FROM set_aside", 0, 0, 0, &set_aside, err, sizeof err);
	int64_t alarm_log = 0;
	s_int(st, "SELECT count(*) FROM alarm_log", 0, 0, 0, &alarm_log, err, sizeof err);
	s_int(st, "PRAGMA page_count", 0, 0, 0, &pages, err, sizeof err);
	s_int(st, "PRAGMA page_size", 0, 0, 4096, &size, err, sizeof err);
	json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:i}", "rows", (json_int_t)st->rows, "bytes",
			      (json_int_t)(pages * size), "used_bytes", (json_int_t)s_used_bytes(st),
			      "dropped_unuploaded", (json_int_t)st->dropped, "set_aside", (json_int_t)set_aside,
			      "schema_version", STORE_SCHEMA_VERSION);
	json_t *cons = store_consumers(st);
	json_object_update(o, cons);
	json_decref(cons);
	json_object_set_new(o, "oldest", oldest ? json_integer(oldest) : json_null());
	json_object_set_new(o, "newest", newest ? json_integer(newest) : json_null());
	json_object_set_new(o, "next_id", json_integer(st->next_id));
	json_object_set_new(o, "lost_to_damage", json_integer(st->lost));
	json_object_set_new(o, "alarm_log", json_integer(alarm_log));
	return o;
}

/* ---- the alarm log ---- */

static const char *const s_alarm_events[] = { "raised", "reminded", "recovered", "removed", NULL };

/* Whether e is an event alarmd sends (docs/BUS.md alarm/<id>); else why. */
static bool s_alarm_event_valid(const json_t *e, size_t i, char *err, size_t errlen)
{
	const char *id = json_string_value(json_object_get(e, "id"));
	const char *ev = json_string_value(json_object_get(e, "event"));
	const json_t *ts = json_object_get(e, "ts");
	if (!json_is_object(e)) {
		snprintf(err, errlen, "events[%zu]: must be an object", i);
		return false;
	}
	if (!id || !id[0] || strlen(id) > STORE_ALARM_ID_MAX) {
		snprintf(err, errlen, "events[%zu].id: must be text of 1 to %d characters", i, STORE_ALARM_ID_MAX);
		return false;
	}
	bool known = false;
	for (const char *const *k = s_alarm_events; ev && *k; k++)
		known |= !strcmp(ev, *k);
	if (!known) {
		snprintf(err, errlen, "events[%zu].event: \"%.40s\" is not raised, reminded, recovered or removed", i,
			 ev ? ev : "(missing)");
		return false;
	}
	if (!json_is_number(ts) || !(json_number_value(ts) > 0)) {
		snprintf(err, errlen, "events[%zu].ts: must be a Unix time in seconds", i);
		return false;
	}
	return true;
}

json_t *store_alarm_log_add(struct store *st, const json_t *events, char *err, size_t errlen)
{
	if (!json_is_array(events) || !json_array_size(events) || json_array_size(events) > STORE_ALARM_LOG_BATCH) {
		snprintf(err, errlen, "events: must be a list of 1 to %d alarm events", STORE_ALARM_LOG_BATCH);
		return NULL;
	}
	char *body[STORE_ALARM_LOG_BATCH] = { 0 };
	size_t i, n = json_array_size(events);
	const json_t *e;
	json_t *res = NULL;
	json_array_foreach(events, i, e) {
		if (!s_alarm_event_valid(e, i, err, errlen))
			goto out;
		if (!(body[i] = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17)))) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		if (strlen(body[i]) > STORE_ALARM_EVENT_MAX) {
			snprintf(err, errlen, "events[%zu]: %zu bytes, more than %d", i, strlen(body[i]),
				 STORE_ALARM_EVENT_MAX);
			goto out;
		}
	}
	const char *sql = "INSERT OR IGNORE INTO alarm_log(ts, alarm, event, body) VALUES (?, ?, ?, ?)";
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		s_fail(st, rc, sql, err, errlen);
		goto out;
	}
	int64_t added = 0;
	if (s_exec(st, "BEGIN IMMEDIATE", err, errlen) < 0) {
		sqlite3_finalize(s);
		goto out;
	}
	for (i = 0; i < n; i++) {
		e = json_array_get(events, i);
		sqlite3_reset(s);
		sqlite3_bind_double(s, 1, json_number_value(json_object_get(e, "ts")));
		sqlite3_bind_text(s, 2, json_string_value(json_object_get(e, "id")), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, json_string_value(json_object_get(e, "event")), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, body[i], -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(s)) != SQLITE_DONE) {
			sqlite3_finalize(s);
			s_fail(st, rc, sql, err, errlen);
			goto out;
		}
		added += sqlite3_changes(st->db);
	}
	sqlite3_finalize(s);
	/* bounded: the oldest go first */
	if (s_delete(st, "DELETE FROM alarm_log WHERE seq <= (SELECT max(seq) FROM alarm_log) - ?", STORE_ALARM_LOG_MAX,
		     err, errlen) < 0 ||
	    s_exec(st, "COMMIT", err, errlen) < 0)
		goto out;
	res = json_pack("{s:I}", "added", (json_int_t)added);
out:
	for (i = 0; i < n; i++)
		free(body[i]);
	return res;
}

json_t *store_alarm_log(struct store *st, int64_t before, int max, char *err, size_t errlen)
{
	const char *sql = "SELECT seq, body FROM alarm_log WHERE seq < ? ORDER BY seq DESC LIMIT ?";
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		s_fail(st, rc, sql, err, errlen);
		return NULL;
	}
	sqlite3_bind_int64(s, 1, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int(s, 2, max + 1);
	json_t *log = json_array();
	bool more = false;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((int)json_array_size(log) == max) {
			more = true;
			continue;
		}
		json_t *e = json_loads((const char *)sqlite3_column_text(s, 1), 0, NULL);
		if (!json_is_object(e)) { /* never written so: only damage gives it */
			json_decref(e);
			continue;
		}
		json_object_set_new(e, "seq", json_integer(sqlite3_column_int64(s, 0)));
		json_array_insert_new(log, 0, e); /* oldest first */
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		json_decref(log);
		s_fail(st, rc, sql, err, errlen);
		return NULL;
	}
	return json_pack("{s:o,s:b}", "log", log, "more", more);
}
