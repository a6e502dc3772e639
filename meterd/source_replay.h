/* source_replay: recorded waveforms, in the one format other tools write:
 *
 *     # rate=4000
 *     V1,V2,V3,CT1_1,CT1_2,CT1_3
 *     325.1,-162.5,-162.6,0.47,-0.23,-0.24
 *     ...
 *
 * Line 1 gives the samples per second per channel; line 2 names the columns
 * (any subset of V1 V2 V3 CT<k>_<p>, k 1..8, p 1..3, in any order, each at
 * most once); then one row per sample.  V columns are instantaneous
 * phase-to-neutral volts, CT columns volts at the CT secondary.  Channels
 * not in the file read 0.  Empty lines are skipped.  Every error names the
 * file, the line and the reason, and nothing after a bad line is used. */
#ifndef METERD_SOURCE_REPLAY_H
#define METERD_SOURCE_REPLAY_H

#include "source.h"

#include <stdio.h>

struct replay;

/* Opens path and reads its two header lines; NULL with "path:line: reason". */
struct replay *replay_open(const char *path, char *err, size_t errlen);
/* The same over an open stream (taken over, closed by replay_destroy);
 * name is what errors call it. */
struct replay *replay_open_stream(FILE *f, const char *name, char *err, size_t errlen);
void replay_destroy(struct replay **r);
double replay_rate(const struct replay *r);
/* Reads up to max rows into frames (ENGINE_CHANNELS floats each).  The
 * number read, 0 at the end of the file, -1 with "path:line: reason". */
long replay_read(struct replay *r, float *frames, size_t max, char *err, size_t errlen);
/* Back to the first row (the daemon's replay source loops). */
int replay_rewind(struct replay *r, char *err, size_t errlen);

/* The daemon's source "replay:FILE": the file played at its own rate,
 * paced by the monotonic clock, from the start again at its end. */
struct source *source_replay_new(const char *path, char *err, size_t errlen);

#endif
