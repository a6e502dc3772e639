/* health: see health.h. */
#include "health.h"

#include <stdio.h>
#include <string.h>

static double s_num(const json_t *o, const char *key, double dflt)
{
	const json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : dflt;
}

double health_upload_backlog(const json_t *st, double now_s, double since[HEALTH_TARGETS],
			     char names[HEALTH_TARGETS][65], char *detail, size_t len)
{
	double worst = 0;
	detail[0] = '\0';
	const json_t *targets = json_object_get(st, "targets");
	size_t n = json_is_array(targets) ? json_array_size(targets) : 0;
	for (size_t i = 0; i < HEALTH_TARGETS; i++) {
		const json_t *t = i < n ? json_array_get(targets, i) : NULL;
		const char *name = json_string_value(json_object_get(t, "name"));
		if (!name || strcmp(names[i], name)) {
			/* another target in this place: its own history */
			snprintf(names[i], 65, "%s", name ? name : "");
			since[i] = 0;
		}
		if (!t || !json_is_true(json_object_get(t, "enabled"))) {
			since[i] = 0;
			continue;
		}
		double backlog = s_num(t, "backlog", 0) + s_num(t, "in_flight", 0);
		if (backlog <= 0) {
			since[i] = 0;
			continue;
		}
		if (since[i] == 0)
			since[i] = now_s;
		double last = s_num(t, "last_success", 0);
		double age = now_s - (last > 0 ? last : since[i]);
		if (age > worst || !detail[0]) {
			worst = age > worst ? age : worst;
			snprintf(detail, len, "Upload target \"%s\": %.0f records not delivered%s", name, backlog,
				 last > 0 ? "" : " (none delivered yet)");
		}
	}
	return worst;
}

/* The verdicts of docs/METERING.md ("Wiring check") that say something is
 * wired wrong; ok, idle, judging and unknown do not. */
static bool s_wiring_fault(const char *verdict)
{
	static const char *const faults[] = { "wrong_phase", "reversed", "no_ct", "no_voltage", "rotation_reversed" };
	for (size_t i = 0; verdict && i < sizeof faults / sizeof faults[0]; i++)
		if (!strcmp(verdict, faults[i]))
			return true;
	return false;
}

int health_wiring(const json_t *st, int meter, char *detail, size_t len)
{
	int count = 0;
	detail[0] = '\0';
	/* "wiring" has every verdict; an older meterd has only "reversed_ct" */
	const json_t *wiring = json_object_get(st, "wiring");
	const json_t *list = json_is_array(wiring) ? wiring : json_object_get(st, "reversed_ct");
	size_t i;
	const json_t *e;
	json_array_foreach(list, i, e) {
		if (s_num(e, "meter", 0) != meter)
			continue;
		const char *verdict = json_string_value(json_object_get(e, "verdict"));
		if (list == wiring && !s_wiring_fault(verdict))
			continue;
		if (!count++) {
			const char *why = json_string_value(json_object_get(e, "why"));
			snprintf(detail, len, "Phase %.0f: %s%s%s", s_num(e, "phase", 0), verdict ? verdict : "reversed",
				 why ? ": " : "", why ? why : "");
		}
	}
	return count;
}

bool health_disk(const json_t *st, double *pct, char *detail, size_t len)
{
	detail[0] = '\0';
	const char *fault = json_string_value(json_object_get(st, "fault"));
	if (fault) {
		*pct = 100;
		snprintf(detail, len, "SD card store: %s", fault);
		return true;
	}
	double bytes = s_num(st, "bytes", -1), max_mb = s_num(st, "max_mb", 0);
	if (bytes < 0 || max_mb <= 0)
		return false;
	*pct = bytes * 100.0 / (max_mb * 1024 * 1024);
	snprintf(detail, len, "SD card store: %.0f MB of %.0f MB used", bytes / (1024 * 1024), max_mb);
	return true;
}

double health_silent_s(int64_t last_ms, int64_t watched_ms, int64_t now_ms)
{
	int64_t since = last_ms > watched_ms ? last_ms : watched_ms;
	return now_ms > since ? (double)(now_ms - since) / 1000.0 : 0;
}

int health_starts_seen(struct health_starts *s, int pid, double uptime_s, double now_s, double window_s)
{
	if (pid > 0 && pid != s->pid) {
		if (s->n == HEALTH_STARTS_MAX) {
			memmove(s->at, s->at + 1, (s->n - 1) * sizeof s->at[0]);
			s->n--;
		}
		s->at[s->n++] = now_s - (uptime_s > 0 ? uptime_s : 0);
		s->pid = pid;
	}
	size_t old = 0;
	while (old < s->n && s->at[old] < now_s - window_s)
		old++;
	memmove(s->at, s->at + old, (s->n - old) * sizeof s->at[0]);
	s->n -= old;
	return (int)s->n;
}
