/* fuzz_edge: the edge line reader (edge.h) on arbitrary bytes, fed in
 * pieces whose sizes come from the input itself.  The corpus replays in
 * every build (tests/fuzz/replay_main.c); libFuzzer with -Dfuzz=true. */
#include "edge.h"

#include <stdint.h>
#include <stdlib.h>

static void s_edge(void *ud, const struct pulse_edge *e)
{
	(void)ud;
	if (e->input < 1 || e->input > EDGE_INPUTS || (e->level != 0 && e->level != 1) || e->ts_ns < 0)
		abort();
}

static void s_bad(void *ud, unsigned long line, const char *why)
{
	(void)ud;
	if (line == 0 || !why[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct edge_reader r;
	edge_reader_init(&r, s_edge, s_bad, NULL);
	size_t off = 0;
	size_t chunk = size ? (size_t)data[0] % 17 + 1 : 1;
	while (off < size) {
		size_t n = off + chunk > size ? size - off : chunk;
		edge_reader_feed(&r, (const char *)data + off, n);
		off += n;
	}
	edge_reader_finish(&r);
	return 0;
}
