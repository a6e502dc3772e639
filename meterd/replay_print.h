/* replay_print: `meterd --replay FILE -c CONFIG`.  Runs a replay file
 * (source_replay.h) through the engine as fast as it can and prints, for
 * every whole second of signal, one JSON line per enabled meter: the object
 * meterd would publish on meter/<n>/rt, with "ts" the seconds of signal
 * since the file's start and "seq" counting the lines.  Registers start at
 * zero and live in memory: nothing on disk is touched. */
#ifndef METERD_REPLAY_PRINT_H
#define METERD_REPLAY_PRINT_H

#include <stdio.h>

/* 0, or 1 after printing why to stderr (bad config, bad file). */
int replay_print(const char *path, const char *conf_path, FILE *out);

#endif
