/* notice: see notice.h. */
#include "notice.h"

#include "msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

json_t *notice_json(const struct notice *n)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(n->id));
	json_object_set_new(o, "event", json_string(n->event));
	json_object_set_new(o, "name", json_string(n->name ? n->name : ""));
	if (n->meter > 0)
		json_object_set_new(o, "meter", json_integer(n->meter));
	if (n->meter > 0 && n->quantity)
		json_object_set_new(o, "phase", json_integer(n->phase));
	if (n->quantity)
		json_object_set_new(o, "quantity", json_string(n->quantity));
	if (n->label)
		json_object_set_new(o, "label", json_string(n->label));
	json_object_set_new(o, "value", json_real(n->value));
	json_object_set_new(o, "limit", json_real(n->limit));
	json_object_set_new(o, "limit_kind", json_string(n->high ? "high" : "low"));
	json_object_set_new(o, "unit", json_string(n->unit ? n->unit : ""));
	if (n->detail && n->detail[0])
		json_object_set_new(o, "detail", json_string(n->detail));
	json_object_set_new(o, "ts", json_real(n->ts));
	return o;
}

void notice_subject(const struct notice *n, char *buf, size_t len)
{
	const char *name = n->name && n->name[0] ? n->name : NULL;
	char fallback[NOTICE_ID_MAX + 32];
	if (!name) {
		snprintf(fallback, sizeof fallback, "Eniscope alarm %s", n->id);
		name = fallback;
	}
	const char *pre = !strcmp(n->event, "reminded") ? "Reminder: "
			  : !strcmp(n->event, "recovered") ? "Recovered: "
			  : !strcmp(n->event, "removed")   ? "Rule removed: "
			  : !strcmp(n->event, "test")      ? "Test: "
							   : "";
	snprintf(buf, len, "%s%s", pre, name);
}

/* A growing text. */
struct text {
	char *s;
	size_t len, cap;
	bool oom;
};

static void s_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void s_add(struct text *t, const char *fmt, ...)
{
	if (t->oom)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->oom = true;
			return;
		}
		if (t->s && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = (t->cap ? t->cap * 2 : 1024) + (size_t)n;
		char *s = realloc(t->s, cap);
		if (!s) {
			t->oom = true;
			return;
		}
		t->s = s;
		t->cap = cap;
	}
}

/* RFC 2047 "B" encoded words for a non-ASCII header value, each at most
 * 75 characters (45 bytes of text per word, not splitting a UTF-8
 * character), joined by folding whitespace. */
static void s_add_header_text(struct text *t, const char *v)
{
	bool ascii = true;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		ascii &= *p < 0x80;
	if (ascii) {
		s_add(t, "%s", v);
		return;
	}
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t len = strlen(v), i = 0;
	bool first = true;
	while (i < len) {
		size_t n = len - i < 45 ? len - i : 45;
		while (i + n < len && ((unsigned char)v[i + n] & 0xc0) == 0x80)
			n--; /* do not cut a character */
		char enc[64];
		size_t e = 0;
		for (size_t k = 0; k < n; k += 3) {
			unsigned a = (unsigned char)v[i + k];
			unsigned b = k + 1 < n ? (unsigned char)v[i + k + 1] : 0;
			unsigned c = k + 2 < n ? (unsigned char)v[i + k + 2] : 0;
			enc[e++] = b64[a >> 2];
			enc[e++] = b64[((a & 3) << 4) | (b >> 4)];
			enc[e++] = k + 1 < n ? b64[((b & 15) << 2) | (c >> 6)] : '=';
			enc[e++] = k + 2 < n ? b64[c & 63] : '=';
		}
		enc[e] = '\0';
		s_add(t, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", enc);
		first = false;
		i += n;
	}
}

static void s_add_value(struct text *t, const char *what, double v, const char *unit)
{
	s_add(t, "%s: %.10g%s%s\r\n", what, v, unit && unit[0] ? " " : "", unit ? unit : "");
}

char *notice_mail(const struct notice *n, const char *from, const char *const *to, size_t nto, const char *host)
{
	struct text t = { 0 };
	char subject[256], date[64], when[64];
	notice_subject(n, subject, sizeof subject);
	time_t ts = (time_t)n->ts;
	struct tm tm;
	gmtime_r(&ts, &tm);
	/* RFC 5322 3.3 date-time; the names are English whatever the locale */
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	snprintf(date, sizeof date, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);

	s_add(&t, "Date: %s\r\nFrom: <%s>\r\nTo: ", date, from);
	for (size_t i = 0; i < nto; i++)
		s_add(&t, "%s<%s>", i ? ",\r\n " : "", to[i]);
	s_add(&t, "\r\nSubject: ");
	s_add_header_text(&t, subject);
	static unsigned long counter;
	s_add(&t, "\r\nMessage-ID: <%lld.%ld.%lu.%s@%s>\r\n", (long long)ts, (long)getpid(), ++counter, n->id,
	      host && host[0] ? host : "eniscope");
	s_add(&t, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n");
	s_add(&t, "Auto-Submitted: auto-generated\r\n\r\n");

	const char *name = n->name && n->name[0] ? n->name : n->id;
	if (!strcmp(n->event, "test"))
		s_add(&t, "A test message from the Eniscope hub%s%s at %s: the alarms' e-mail settings work.\r\n",
		      n->site && n->site[0] ? " at " : "", n->site ? n->site : "", when);
	else
		s_add(&t, "Alarm \"%s\" %s%s%s at %s.\r\n\r\n", name, n->event, n->site && n->site[0] ? " at " : "",
		      n->site ? n->site : "", when);
	if (strcmp(n->event, "test")) {
		if (n->meter > 0)
			s_add(&t, "Meter: %d\r\n", n->meter);
		if (n->meter > 0 && n->quantity)
			s_add(&t, n->phase ? "Phase: %d\r\n" : "Phase: all\r\n", n->phase);
		if (n->label)
			s_add_value(&t, n->label, n->value, n->unit);
		s_add_value(&t, n->high ? "High limit" : "Low limit", n->limit, n->unit);
		if (n->detail && n->detail[0])
			s_add(&t, "\r\n%s\r\n", n->detail);
		if (!strcmp(n->event, "recovered"))
			s_add(&t, "\r\nThe value has been back within its limits for the recovery time.\r\n");
		if (!strcmp(n->event, "removed"))
			s_add(&t, "\r\nThe alarm was raised when its rule was removed: it is no longer watched, and no "
				  "recovery message will follow.\r\n");
	}
	if (t.oom) {
		free(t.s);
		return NULL;
	}
	return t.s;
}
