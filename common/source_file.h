/* source_file: edges from a file or a FIFO (pulse_input.source
 * "file:PATH", panel.button "file:PATH"), in edge.h's line form, read
 * incrementally from the poll loop so a FIFO can be fed while the daemon runs.
 *
 * A FIFO is opened read-write: the daemon then holds a writer itself, so a
 * feeder closing its end is not an end of file (which would make poll
 * report the descriptor readable forever) and the next feeder just writes.
 * A regular file is read to its end, then re-read from where it stopped on
 * each call of source_file_read (once a second), so appended lines count. */
#ifndef COMMON_SOURCE_FILE_H
#define COMMON_SOURCE_FILE_H

#include "edge.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct source_file;

/* Opens path; NULL with a reason naming it. */
struct source_file *source_file_open(const char *path, edge_fn on_edge, void *ud, char *err, size_t errlen);
void source_file_destroy(struct source_file **sf);
/* The descriptor to poll: only for a FIFO; -1 for a regular file. */
int source_file_fd(const struct source_file *sf);
/* Reads what is there now (never blocks) and hands every edge on; with
 * at_end, a last line without '\n' counts too (for --once).  Bad lines are
 * logged and counted.  -1 with a reason when the read itself failed. */
int source_file_read(struct source_file *sf, bool at_end, char *err, size_t errlen);
uint64_t source_file_bad_lines(const struct source_file *sf);
/* "PATH:LINE: reason" of the last bad line, "" when none. */
const char *source_file_last_bad(const struct source_file *sf);

#endif
