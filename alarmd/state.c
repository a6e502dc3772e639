/* state: see state.h. */
#include "state.h"

#include "atomic_file.h"
#include "log.h"
#include "regular_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const s_watch[] = {
	[WATCH_READING] = "reading",         [WATCH_UPLOAD_BACKLOG] = "upload-backlog",
	[WATCH_METER_SILENT] = "meter-silent", [WATCH_PROBE_SILENT] = "probe-silent",
	[WATCH_WIRING] = "wiring",           [WATCH_DISK_FULL] = "disk-full",
	[WATCH_CLOCK] = "clock",             [WATCH_RESTARTS] = "restarts",
};
#define WATCHES (sizeof s_watch / sizeof s_watch[0])

json_t *state_json(const struct alarm_rule *rules, size_t n, const json_t *owed, const json_t *deliveries,
		   double now_wall, int64_t now_mono)
{
	json_t *raised = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct alarm_rule *r = &rules[i];
		if (!r->r.raised)
			continue;
		json_t *emails = json_array();
		for (size_t k = 0; k < r->nemails; k++)
			json_array_append_new(emails, json_string(r->emails[k]));
		json_array_append_new(
			raised,
			json_pack("{s:s,s:s,s:s,s:i,s:i,s:s,s:s,s:s,s:o,s:s,s:f,s:i,s:s,s:f,s:b,s:f,s:f,s:I}", "id",
				  r->id, "watch", s_watch[r->watch], "name", r->name, "meter", r->meter, "phase",
				  r->phase, "quantity", r->quantity, "probe", r->probe, "daemon", r->daemon, "emails",
				  emails, "webhook", r->webhook, "value", r->r.value, "value_phase", r->value_phase,
				  "detail", r->detail, "limit", r->r.limit, "high", r->r.high, "raised_ts",
				  r->raised_ts, "last_sent_ts", now_wall - (double)(now_mono - r->r.last_sent_ms) / 1000,
				  "events", (json_int_t)r->r.events));
	}
	json_t *log = owed ? json_incref((json_t *)owed) : json_array();
	json_t *outbox = deliveries ? json_incref((json_t *)deliveries) : json_array();
	return json_pack("{s:i,s:f,s:o,s:o,s:o}", "version", ALARMD_STATE_VERSION, "saved", now_wall, "raised", raised,
			 "log", log, "outbox", outbox);
}

static bool s_text(const json_t *o, const char *key, char *buf, size_t len)
{
	const char *v = json_string_value(json_object_get(o, key));
	if (!v || strlen(v) >= len)
		return false;
	memcpy(buf, v, strlen(v) + 1);
	return true;
}

/* Monotonic ms of a wall-clock time ts seen from now; never after now. */
static int64_t s_mono(double ts, double now_wall, int64_t now_mono)
{
	double ago = now_wall - ts;
	return now_mono - (ago > 0 ? (int64_t)(ago * 1000) : 0);
}

size_t state_rules(const json_t *doc, struct alarm_rule *rules, size_t max, double now_wall, int64_t now_mono)
{
	size_t n = 0, i;
	const json_t *o;
	json_array_foreach(json_object_get(doc, "raised"), i, o) {
		if (n >= max)
			break;
		struct alarm_rule *r = &rules[n];
		memset(r, 0, sizeof *r);
		const char *watch = json_string_value(json_object_get(o, "watch"));
		size_t w = 0;
		while (watch && w < WATCHES && (!s_watch[w] || strcmp(s_watch[w], watch)))
			w++;
		const json_t *emails = json_object_get(o, "emails");
		if (!watch || w == WATCHES || !s_text(o, "id", r->id, sizeof r->id) ||
		    !s_text(o, "name", r->name, sizeof r->name) || !s_text(o, "quantity", r->quantity, sizeof r->quantity) ||
		    !s_text(o, "probe", r->probe, sizeof r->probe) || !s_text(o, "daemon", r->daemon, sizeof r->daemon) ||
		    !s_text(o, "webhook", r->webhook, sizeof r->webhook) ||
		    !s_text(o, "detail", r->detail, sizeof r->detail) || !json_is_array(emails) ||
		    json_array_size(emails) > sizeof r->emails / sizeof r->emails[0] ||
		    !json_is_number(json_object_get(o, "raised_ts")) ||
		    !json_is_number(json_object_get(o, "last_sent_ts"))) {
			log_warn("state: raised alarm %zu is not sound: not restored", i);
			continue;
		}
		size_t k;
		const json_t *e;
		json_array_foreach(emails, k, e)
			if (json_is_string(e) && strlen(json_string_value(e)) < sizeof r->emails[0])
				snprintf(r->emails[r->nemails++], sizeof r->emails[0], "%s", json_string_value(e));
		r->watch = (enum watch)w;
		r->meter = (int)json_integer_value(json_object_get(o, "meter"));
		r->phase = (int)json_integer_value(json_object_get(o, "phase"));
		r->value_phase = (int)json_integer_value(json_object_get(o, "value_phase"));
		r->enabled = true;
		struct rule_limits none = { 0 };
		rule_init(&r->r, &none);
		r->r.raised = true;
		r->raised_ts = json_number_value(json_object_get(o, "raised_ts"));
		r->r.raised_ms = s_mono(r->raised_ts, now_wall, now_mono);
		r->r.last_sent_ms = s_mono(json_number_value(json_object_get(o, "last_sent_ts")), now_wall, now_mono);
		r->r.value = json_number_value(json_object_get(o, "value"));
		r->r.limit = json_number_value(json_object_get(o, "limit"));
		r->r.high = json_is_true(json_object_get(o, "high"));
		r->r.events = (unsigned)json_integer_value(json_object_get(o, "events"));
		r->value = r->r.value;
		r->watched_ms = now_mono;
		n++;
	}
	return n;
}

json_t *state_load(const char *path, char *err, size_t errlen)
{
	json_error_t je;
	size_t len;
	/* only a regular file: a FIFO there would stop alarmd at its start */
	char *text = regular_file_read(path, ALARMD_STATE_MAX, &len, err, errlen);
	if (!text) {
		if (errno == ENOENT)
			err[0] = '\0';
		return NULL;
	}
	json_t *doc = json_loadb(text, len, 0, &je);
	free(text);
	if (!json_is_object(doc) || json_integer_value(json_object_get(doc, "version")) != ALARMD_STATE_VERSION) {
		snprintf(err, errlen, "%s: %s", path, doc ? "not a version 1 alarmd state" : je.text);
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int state_save(const char *path, const json_t *doc, char *err, size_t errlen)
{
	char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(17));
	if (!text) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = atomic_file_write(path, text, strlen(text), 0600, err, errlen);
	free(text);
	return rc;
}
