/* api_history: GET /api/history (docs/API.md): one series of one source
 * from storaged's "history" command, as JSON or as a CSV download.  The
 * points are storaged's, passed on unchanged: the CSV writes each number
 * as the JSON answer does, so the two never differ.  What this adds is
 * the request's shape (a range ending now, moved back to its first
 * bucket's start in the zone; the resolution a range wants), the field's
 * label and the hub's time zone (interface.timezone) as the default. */
#include "api.h"

#include "config_keys.h"
#include "ctl.h"
#include "form.h"
#include "msg.h"
#include "paths.h"
#include "reading_schema.h"
#include "zone.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define S_ASK_MS 900            /* every answer within a second (docs/API.md) */
#define S_RANGE_MAX (366 * 86400) /* from/to: a year and a day */

struct query {
	enum reading_kind kind;
	char n[READING_N_MAX];
	const struct reading_field *f;
	int64_t from, to, step;
	const char *resolution;
	char tz[80];
	bool csv;
};

/* Answers 400 naming field; -1. */
static int s_refuse(struct api *a, const char *field, const char *msg)
{
	api_error(a, 400, msg, field, NULL);
	return -1;
}

/* A query parameter into out; 0 absent, 1 present, -1 after answering 400. */
static int s_param(struct api *a, const char *name, char *out, size_t outlen)
{
	const char *q = a->w.req.query;
	int rc = form_get(q, strlen(q), name, out, outlen);
	if (rc < 0) {
		char msg[128];
		snprintf(msg, sizeof msg, "%s: badly encoded or longer than %zu characters", name, outlen - 1);
		return s_refuse(a, name, msg);
	}
	return rc;
}

/* Unix seconds from a parameter; -1 after answering 400. */
static int s_time(struct api *a, const char *name, const char *text, int64_t *out)
{
	char *end;
	long long v = strtoll(text, &end, 10);
	if (!*text || *end || v < 0 || v > (long long)MSG_TS_MAX) {
		char msg[128];
		snprintf(msg, sizeof msg, "%s: \"%.20s\" is not Unix seconds", name, text);
		return s_refuse(a, name, msg);
	}
	*out = v;
	return 0;
}

/* Reads and checks the request into q; -1 after answering 400. */
static int s_query(struct api *a, struct query *q)
{
	char kind[16] = "meter", field[16] = "", range[8] = "", from[24] = "", to[24] = "", res[16] = "",
	     format[8] = "json";
	if (s_param(a, "kind", kind, sizeof kind) < 0 || s_param(a, "n", q->n, sizeof q->n) < 0 ||
	    s_param(a, "field", field, sizeof field) < 0 || s_param(a, "range", range, sizeof range) < 0 ||
	    s_param(a, "from", from, sizeof from) < 0 || s_param(a, "to", to, sizeof to) < 0 ||
	    s_param(a, "resolution", res, sizeof res) < 0 || s_param(a, "tz", q->tz, sizeof q->tz) < 0 ||
	    s_param(a, "format", format, sizeof format) < 0)
		return -1;
	char msg[160];
	q->kind = reading_kind_parse(kind);
	if (!q->kind)
		return s_refuse(a, "kind", "kind: must be meter, pulse or temp");
	if (!reading_n_valid(q->kind, q->n, msg, sizeof msg))
		return s_refuse(a, "n", msg);
	q->f = reading_field(q->kind, field);
	if (!q->f || q->f->store < 0) {
		snprintf(msg, sizeof msg, "field: a %s keeps no field \"%s\" (docs/STORE.md, Records)", kind, field);
		return s_refuse(a, "field", msg);
	}
	if (strcmp(format, "json") && strcmp(format, "csv"))
		return s_refuse(a, "format", "format: must be json or csv");
	q->csv = !strcmp(format, "csv");
	static const struct {
		const char *name;
		int64_t seconds;
		const char *resolution;
	} ranges[] = { { "24h", 86400, "minute" }, { "7d", 7 * 86400, "hour" }, { "30d", 30 * 86400, "hour" },
		       { "90d", 90 * 86400, "day" } };
	int64_t span = 0;
	const char *want = NULL;
	if (*from || *to) {
		if (*range)
			return s_refuse(a, "range", "range: give a range or from and to, not both");
		q->to = a->w.now;
		if (!*from)
			return s_refuse(a, "from", "from: needed with to");
		if (s_time(a, "from", from, &q->from) < 0 || (*to && s_time(a, "to", to, &q->to) < 0))
			return -1;
		if (q->from >= q->to || q->to - q->from > S_RANGE_MAX)
			return s_refuse(a, "to", "to: must be after from, by at most 366 days");
		span = q->to - q->from;
		want = span <= 2 * 86400 ? "minute" : span <= 31 * 86400 ? "hour" : "day";
	} else {
		for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
			if (!strcmp(*range ? range : "24h", ranges[i].name)) {
				span = ranges[i].seconds;
				want = ranges[i].resolution;
			}
		if (!want)
			return s_refuse(a, "range", "range: must be 24h, 7d, 30d or 90d");
		q->to = a->w.now;
		q->from = q->to - span;
	}
	q->resolution = *res ? res : want;
	q->step = !strcmp(q->resolution, "minute") ? 60 : !strcmp(q->resolution, "hour") ? 3600
						      : !strcmp(q->resolution, "day") ? 86400 : 0;
	if (!q->step)
		return s_refuse(a, "resolution", "resolution: must be minute, hour or day");
	/* (the resolution names a static string from here on) */
	q->resolution = q->step == 60 ? "minute" : q->step == 3600 ? "hour" : "day";
	if (!*q->tz) {
		struct config *cfg = config_load(paths_config(), NULL);
		const char *tz = cfg ? cfg_interface_timezone(cfg) : NULL;
		snprintf(q->tz, sizeof q->tz, "%s", tz && *tz ? tz : "UTC");
		config_destroy(&cfg);
	}
	if (!zone_known(q->tz)) {
		snprintf(msg, sizeof msg, "tz: \"%.64s\" is not a time zone of the zone database (e.g. Europe/London)",
			 q->tz);
		return s_refuse(a, "tz", msg);
	}
	/* the CGI's zone from here on: a range's first bucket whole (back to
	 * its start; from/to are taken as given), the CSV's times */
	struct zone_saved unused;
	zone_use(q->tz, &unused);
	int64_t end;
	if (!*from)
		zone_bucket(q->from, q->step, &q->from, &end);
	return 0;
}

/* A number as the JSON answer writes it (null: an empty cell). */
static void s_csv_number(FILE *out, const json_t *v)
{
	if (json_is_null(v) || !v)
		return;
	char *text = json_dumps(v, MSG_JSON_FLAGS | JSON_ENCODE_ANY);
	if (text)
		fputs(text, out);
	free(text);
}

/* ISO 8601 with the zone's offset at ts: 2026-11-23T14:00:00+01:00. */
static void s_iso(int64_t ts, char *buf, size_t len)
{
	time_t t = (time_t)ts;
	struct tm tm;
	localtime_r(&t, &tm);
	char off[8];
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(off, sizeof off, "%z", &tm); /* +0100 */
	size_t n = strlen(buf);
	snprintf(buf + n, len - n, "%.3s:%.2s", off, off + 3);
}

static void s_send_csv(struct api *a, const struct query *q, const json_t *ans)
{
	char *body = NULL, day[16], iso[40];
	size_t len = 0;
	FILE *out = open_memstream(&body, &len);
	if (!out) {
		api_error(a, 500, "out of memory", NULL, NULL);
		return;
	}
	const char *unit = json_string_value(json_object_get(ans, "unit"));
	fprintf(out, "time (%s)", q->tz);
	size_t i;
	json_t *c, *pt;
	json_array_foreach(json_object_get(ans, "columns"), i, c)
	{
		if (i == 0) /* ts: the time column */
			continue;
		fprintf(out, ",%s %s", q->f->name, json_string_value(c));
		if (unit && *unit)
			fprintf(out, " (%s)", unit);
	}
	fputs("\r\n", out);
	json_array_foreach(json_object_get(ans, "points"), i, pt)
	{
		s_iso(json_integer_value(json_array_get(pt, 0)), iso, sizeof iso);
		fputs(iso, out);
		for (size_t k = 1; k < json_array_size(pt); k++) {
			fputc(',', out);
			s_csv_number(out, json_array_get(pt, k));
		}
		fputs("\r\n", out);
	}
	fclose(out);
	time_t t = (time_t)q->to;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(day, sizeof day, "%Y%m%d", &tm);
	/* the probe id and field are checked names: nothing to quote */
	fprintf(stdout,
		"Status: 200 OK\r\nContent-Type: text/csv; charset=utf-8\r\nCache-Control: no-store\r\n"
		"Content-Disposition: attachment; filename=\"%s-%s-%s-%s-%s.csv\"\r\nContent-Length: %zu\r\n\r\n",
		reading_kind_name(q->kind), q->n, q->f->name, q->resolution, day, len);
	fwrite(body, 1, len, stdout);
	free(body);
}

void api_history(struct api *a)
{
	struct query q = { 0 };
	if (s_query(a, &q) < 0)
		return;
	json_t *n = q.kind == READING_TEMP ? json_string(q.n) : json_integer(atoi(q.n));
	json_t *req = json_pack("{s:s,s:s,s:O,s:s,s:I,s:I,s:s,s:s}", "cmd", "history", "kind",
				reading_kind_name(q.kind), "n", n, "field", q.f->name, "from", (json_int_t)q.from, "to",
				(json_int_t)q.to, "resolution", q.resolution, "tz", q.tz);
	char err[256], msg[320];
	void *zctx = zmq_ctx_new();
	json_t *ans = ctl_request(zctx, paths_rundir(), "storaged", req, S_ASK_MS, err, sizeof err);
	zmq_ctx_term(zctx);
	json_decref(req);
	if (!ans) {
		json_decref(n);
		snprintf(msg, sizeof msg, "storaged: %s", err);
		api_error(a, 503, msg, NULL, NULL);
		return;
	}
	if (!json_is_true(json_object_get(ans, "ok"))) {
		/* storaged names the field first: "tz: ...", "field: ..." */
		const char *e = json_string_value(json_object_get(ans, "error"));
		char field[16] = "";
		if (e && strchr(e, ':') && (size_t)(strchr(e, ':') - e) < sizeof field)
			snprintf(field, sizeof field, "%.*s", (int)(strchr(e, ':') - e), e);
		bool named = !strcmp(field, "tz") || !strcmp(field, "from") || !strcmp(field, "to") ||
			     !strcmp(field, "field") || !strcmp(field, "resolution");
		snprintf(msg, sizeof msg, "%s", e ? e : "refused");
		json_decref(n);
		json_decref(ans);
		/* a store that is failing is not the request's fault */
		api_error(a, named ? 400 : 503, msg, named ? field : NULL, NULL);
		return;
	}
	if (q.csv) {
		s_send_csv(a, &q, ans);
		json_decref(n);
		json_decref(ans);
		return;
	}
	json_t *doc = json_pack("{s:s,s:o,s:s,s:s,s:O,s:s,s:s,s:I,s:I,s:O,s:O}", "kind", reading_kind_name(q.kind), "n", n,
				"field", q.f->name, "label", q.f->label, "unit",
				json_object_get(ans, "unit") ? json_object_get(ans, "unit") : json_string(""), "resolution",
				q.resolution, "tz", q.tz, "from", (json_int_t)q.from, "to", (json_int_t)q.to, "columns",
				json_object_get(ans, "columns"), "points", json_object_get(ans, "points"));
	json_decref(ans);
	api_reply(a, 200, doc);
}
