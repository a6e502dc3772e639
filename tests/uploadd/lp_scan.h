/* lp_scan: a reference reader of one InfluxDB line-protocol line, written
 * from InfluxDB 1.x's parser rules (a backslash makes the next byte never a
 * delimiter; unescaping then turns only "\," "\=" "\ " back in names and
 * tags, and "\"" "\\" in string fields), for uploadd's escaper tests and
 * fuzz target.  Header-only: tests include it. */
#ifndef TESTS_UPLOADD_LP_SCAN_H
#define TESTS_UPLOADD_LP_SCAN_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define LP_SCAN_MAX 64
#define LP_SCAN_LEN 512

struct lp_line {
	char measurement[LP_SCAN_LEN];
	int ntags, nfields;
	char tag_key[LP_SCAN_MAX][LP_SCAN_LEN], tag_value[LP_SCAN_MAX][LP_SCAN_LEN];
	char field_key[LP_SCAN_MAX][LP_SCAN_LEN], field_value[LP_SCAN_MAX][LP_SCAN_LEN];
	bool field_is_string[LP_SCAN_MAX];
	long long ts;
};

/* Reads a name or tag up to an unescaped byte in stops; unescapes. */
static inline const char *lp_scan_name(const char *p, const char *stops, char *out, bool eq_escapable)
{
	size_t n = 0;
	while (*p && !strchr(stops, *p)) {
		if (*p == '\\' && p[1]) {
			bool un = p[1] == ',' || p[1] == ' ' || (eq_escapable && p[1] == '=');
			if (!un && n < LP_SCAN_LEN - 1)
				out[n++] = '\\';
			if (n < LP_SCAN_LEN - 1)
				out[n++] = p[1];
			p += 2;
			continue;
		}
		if (n < LP_SCAN_LEN - 1)
			out[n++] = *p;
		p++;
	}
	out[n] = '\0';
	return p;
}

/* 0, or -1 when the line does not parse. */
static inline int lp_scan(const char *line, struct lp_line *l)
{
	memset(l, 0, sizeof *l);
	const char *p = lp_scan_name(line, ", \n", l->measurement, false);
	if (!l->measurement[0])
		return -1;
	while (*p == ',') {
		if (l->ntags == LP_SCAN_MAX)
			return -1;
		p = lp_scan_name(p + 1, "=, \n", l->tag_key[l->ntags], true);
		if (*p != '=')
			return -1;
		p = lp_scan_name(p + 1, ", \n", l->tag_value[l->ntags], true);
		if (!l->tag_key[l->ntags][0] || !l->tag_value[l->ntags][0])
			return -1;
		l->ntags++;
	}
	if (*p != ' ')
		return -1;
	do {
		p++;
		if (l->nfields == LP_SCAN_MAX)
			return -1;
		int i = l->nfields;
		p = lp_scan_name(p, "=, \n", l->field_key[i], true);
		if (*p != '=' || !l->field_key[i][0])
			return -1;
		p++;
		size_t n = 0;
		if (*p == '"') {
			l->field_is_string[i] = true;
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				if (n < LP_SCAN_LEN - 1)
					l->field_value[i][n++] = *p;
				p++;
			}
			if (*p != '"')
				return -1;
			p++;
		} else {
			while (*p && *p != ',' && *p != ' ' && *p != '\n')
				if (n < LP_SCAN_LEN - 1)
					l->field_value[i][n++] = *p++;
		}
		l->field_value[i][n] = '\0';
		l->nfields++;
	} while (*p == ',');
	if (*p != ' ')
		return -1;
	char *end;
	l->ts = strtoll(p + 1, &end, 10);
	return (*end == '\n' || *end == '\0') ? 0 : -1;
}

/* What a name or tag reads back as after lineproto_escape: control
 * characters are spaces and backslashes slashes (lineproto.h). */
static inline void lp_expected_name(const char *s, char *out, size_t len)
{
	size_t n = 0;
	for (; *s && n < len - 1; s++)
		out[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? ' ' : *s == '\\' ? '/' : *s;
	out[n] = '\0';
}

static inline void lp_expected_string(const char *s, char *out, size_t len)
{
	size_t n = 0;
	for (; *s && n < len - 1; s++)
		out[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? ' ' : *s;
	out[n] = '\0';
}

#endif
