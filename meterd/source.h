/* source: where the samples come from.  Each source (source_sim.c,
 * source_replay.c, source_iio.c) delivers interleaved frames of the
 * ENGINE_CHANNELS logical channels in volts at its rate; meterd feeds them to
 * the engine.  A source with a descriptor is read when the descriptor is
 * readable; one without (sim, replay) is read on a timer and hands out the
 * frames the monotonic clock says are due, so it runs at the real rate. */
#ifndef METERD_SOURCE_H
#define METERD_SOURCE_H

#include "engine.h"

#include <stdbool.h>
#include <stddef.h>

struct source;

struct source_ops {
	/* Up to max frames available now: the count, 0 when none, -1 with a
	 * reason when the source failed (meterd then reopens it later). */
	long (*read)(struct source *s, float *frames, size_t max, char *err, size_t errlen);
	/* Descriptor to poll, or -1 to be read on the timer; NULL: always
	 * read on the timer (a simulated or replayed source). */
	int (*fd)(struct source *s);
	void (*destroy)(struct source *s);
};

struct source {
	const struct source_ops *ops;
	const char *kind;   /* "sim", "replay", "iio" */
	double rate_hz;
	bool simulated;     /* readings are marked simulated */
};

/* Opens the source named by spec ("sim", "iio", "replay:FILE"): NULL with a
 * reason.  cfg gives the iio and sim settings. */
struct config;
struct source *source_open(const char *spec, const struct config *cfg, char *err, size_t errlen);
void source_destroy(struct source **s);

/* For the paced sources: frames due at now_ns for a source started at
 * start_ns that has delivered *done frames, at most max.  More than
 * SOURCE_MAX_LAG_S behind (the process was stopped), it skips ahead by
 * advancing *done: never a burst of stale signal. */
#define SOURCE_MAX_LAG_S 2.0
size_t source_due(double rate_hz, long long start_ns, long long now_ns, unsigned long long *done, size_t max);

#endif
