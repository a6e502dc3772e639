/* edge: see edge.h. */
#include "edge.h"

#include <stdio.h>
#include <string.h>

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)

static bool s_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One field of digits: its value, or -1 when not digits or too large. */
static int s_field(const char **p, const char *end, uint64_t max, uint64_t *v)
{
	while (*p < end && s_blank(**p))
		(*p)++;
	const char *start = *p;
	uint64_t x = 0;
	while (*p < end && **p >= '0' && **p <= '9') {
		uint64_t d = (uint64_t)(**p - '0');
		if (x > (max - d) / 10)
			return -2;
		x = x * 10 + d;
		(*p)++;
	}
	if (*p == start || (*p < end && !s_blank(**p)))
		return -1;
	*v = x;
	return 0;
}

int edge_line_parse(const char *s, size_t len, struct pulse_edge *e, char *why, size_t whylen)
{
	if (len && s[len - 1] == '\r')
		len--;
	const char *p = s, *end = s + len;
	while (p < end && s_blank(*p))
		p++;
	if (p == end || *p == '#')
		return 0;
	uint64_t ts, input, level;
	int rc = s_field(&p, end, INT64_MAX, &ts);
	if (rc == -2)
		return WHY("timestamp larger than a 64-bit nanosecond count");
	if (rc < 0)
		return WHY("timestamp is not a whole number of nanoseconds");
	if (p == end)
		return WHY("missing input number and level");
	if (s_field(&p, end, 1000, &input) < 0 || input < 1 || input > EDGE_INPUTS)
		return WHY("input must be 1 to %d", EDGE_INPUTS);
	if (p == end)
		return WHY("missing level (0 or 1)");
	if (s_field(&p, end, 1000, &level) < 0 || level > 1)
		return WHY("level must be 0 (open) or 1 (closed)");
	while (p < end && s_blank(*p))
		p++;
	if (p != end)
		return WHY("unexpected text after the level");
	*e = (struct pulse_edge){ .ts_ns = (int64_t)ts, .input = (int)input, .level = (int)level };
	return 1;
}

void edge_reader_init(struct edge_reader *r, edge_fn on_edge, edge_bad_fn on_bad, void *ud)
{
	*r = (struct edge_reader){ .line = 1, .on_edge = on_edge, .on_bad = on_bad, .ud = ud };
}

static void s_line_done(struct edge_reader *r)
{
	char why[128];
	struct pulse_edge e;
	if (r->overlong) {
		snprintf(why, sizeof why, "line longer than %d bytes", EDGE_LINE_MAX);
		r->on_bad(r->ud, r->line, why);
	} else if (memchr(r->buf, '\0', r->len)) {
		r->on_bad(r->ud, r->line, "NUL byte in the line");
	} else {
		int rc = edge_line_parse(r->buf, r->len, &e, why, sizeof why);
		if (rc > 0)
			r->on_edge(r->ud, &e);
		else if (rc < 0)
			r->on_bad(r->ud, r->line, why);
	}
	r->len = 0;
	r->overlong = false;
	r->line++;
}

void edge_reader_feed(struct edge_reader *r, const char *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (data[i] == '\n')
			s_line_done(r);
		else if (r->len < EDGE_LINE_MAX)
			r->buf[r->len++] = data[i];
		else
			r->overlong = true;
	}
}

void edge_reader_finish(struct edge_reader *r)
{
	if (r->len || r->overlong)
		s_line_done(r);
}
