/* bench_edge_path: how fast pulsed's one edge path goes: text lines split
 * and parsed by edge_reader, then debounced.  A dry contact gives at most a
 * few pulses a second per input; the figure says how far above that the
 * file source and the parser are (and what a flood of bounce costs). */
#include "debounce.h"
#include "edge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct state {
	struct debounce db[EDGE_INPUTS];
	unsigned long pulses, edges;
};

static void s_edge(void *ud, const struct pulse_edge *e)
{
	struct state *s = ud;
	s->edges++;
	if (debounce_edge(&s->db[e->input - 1], e->ts_ns, e->level, NULL) > 0)
		s->pulses++;
}

static void s_bad(void *ud, unsigned long line, const char *why)
{
	(void)ud;
	fprintf(stderr, "bench_edge_path: line %lu: %s\n", line, why);
	exit(1);
}

static double s_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	enum { PULSES = 500000 };
	/* each pulse: closing with 2 bounces, 150 ms closed, one bounce at opening */
	size_t cap = (size_t)PULSES * 6 * 32, len = 0;
	char *text = malloc(cap);
	if (!text)
		return 1;
	long long t = 1000000000LL;
	for (int k = 0; k < PULSES; k++) {
		int n = k % EDGE_INPUTS + 1;
		long long s = t + (long long)(k / EDGE_INPUTS) * 1000000000LL;
		const long long at[] = { s, s + 500000, s + 1000000, s + 151000000, s + 152000000, s + 153000000 };
		for (int i = 0; i < 6; i++)
			len += (size_t)snprintf(text + len, cap - len, "%lld %d %d\n", at[i], n, i % 2 == 0);
	}
	struct state st = { 0 };
	for (int i = 0; i < EDGE_INPUTS; i++)
		debounce_init(&st.db[i], 100, 20, false);
	struct edge_reader r;
	edge_reader_init(&r, s_edge, s_bad, &st);
	double t0 = s_now();
	for (size_t off = 0; off < len; off += 65536) /* as the file source reads */
		edge_reader_feed(&r, text + off, off + 65536 > len ? len - off : 65536);
	edge_reader_finish(&r);
	double dt = s_now() - t0;
	printf("edge path (parse + debounce): %lu edges, %lu pulses counted (expected %d) in %.3f s\n", st.edges,
	       st.pulses, PULSES, dt);
	printf("  %.2f M edges/s, %.0f ns per edge, %.1f MB/s of edge text\n", (double)st.edges / dt / 1e6,
	       dt / (double)st.edges * 1e9, (double)len / dt / 1e6);
	free(text);
	return st.pulses == PULSES ? 0 : 1;
}
