/* source: see source.h.  Picks the source a spec names. */
#include "source.h"

#include "source_iio.h"
#include "source_replay.h"
#include "source_sim.h"

#include <stdio.h>
#include <string.h>

struct source *source_open(const char *spec, const struct config *cfg, char *err, size_t errlen)
{
	if (!strcmp(spec, "sim"))
		return source_sim_new(cfg, err, errlen);
	if (!strcmp(spec, "iio"))
		return source_iio_new(cfg, err, errlen);
	if (!strncmp(spec, "replay:", 7) && spec[7])
		return source_replay_new(spec + 7, err, errlen);
	snprintf(err, errlen, "unknown source \"%s\" (iio, sim or replay:FILE)", spec);
	return NULL;
}

void source_destroy(struct source **s)
{
	if (*s)
		(*s)->ops->destroy(*s);
	*s = NULL;
}

size_t source_due(double rate_hz, long long start_ns, long long now_ns, unsigned long long *done, size_t max)
{
	double total = (double)(now_ns - start_ns) / 1e9 * rate_hz;
	if (total <= (double)*done)
		return 0;
	/* after a stall, skip what was missed rather than burst through it */
	if (total - (double)*done > SOURCE_MAX_LAG_S * rate_hz)
		*done = (unsigned long long)(total - rate_hz / 10);
	double due = total - (double)*done;
	return due > (double)max ? max : (size_t)due;
}
