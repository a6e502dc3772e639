/* edge: what every contact source produces (pulsed's 8 pulse inputs,
 * paneld's USER button as input 1), and the one text form of it.
 *
 * An edge is a change of one input's contact at a time on CLOCK_MONOTONIC
 * (ns).  The file source and the tests write edges as lines:
 *
 *     <monotonic-ns> <input 1..8> <0|1>      1 = contact closed
 *
 * separated by spaces or tabs; blank lines and lines starting with '#' are
 * skipped.  A bad line is reported (file, line number, reason) and skipped,
 * never half-used. */
#ifndef COMMON_EDGE_H
#define COMMON_EDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EDGE_INPUTS 8
#define EDGE_LINE_MAX 256

struct pulse_edge {
	int64_t ts_ns;
	int input; /* 1..EDGE_INPUTS */
	int level; /* 1 = closed */
};

/* Parses one line (without its newline; a trailing \r is allowed).  1 with
 * *e set, 0 for a blank or comment line, -1 with a reason. */
int edge_line_parse(const char *s, size_t len, struct pulse_edge *e, char *why, size_t whylen);

typedef void (*edge_fn)(void *ud, const struct pulse_edge *e);
typedef void (*edge_bad_fn)(void *ud, unsigned long line, const char *why);

/* Splits a byte stream into lines, as it arrives in pieces of any size. */
struct edge_reader {
	char buf[EDGE_LINE_MAX + 1];
	size_t len;
	unsigned long line; /* number of the line being assembled, from 1 */
	bool overlong;      /* the current line passed EDGE_LINE_MAX: skip to '\n' */
	edge_fn on_edge;
	edge_bad_fn on_bad;
	void *ud;
};

void edge_reader_init(struct edge_reader *r, edge_fn on_edge, edge_bad_fn on_bad, void *ud);
void edge_reader_feed(struct edge_reader *r, const char *data, size_t n);
/* End of a regular file: a last line without '\n' is still a line. */
void edge_reader_finish(struct edge_reader *r);

#endif
