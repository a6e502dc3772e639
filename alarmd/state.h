/* state: what alarmd keeps across its restarts, in one JSON file on the
 * card ($ENISCOPE_DATA/alarmd.state, ALARMD_STATE_FILE) replaced
 * atomically (common/atomic_file.h) whenever it changes: each raised
 * alarm (its rule's identity, what its messages say, and when it was
 * raised and last sent) and the events owed to storaged's log
 * (logbook.h).  So after a restart a raised alarm stays raised: no second
 * "raised" message, its reminders keep their schedule, its recovery is
 * still sent, and a rule deleted meanwhile sends "removed".
 *
 * Times are kept as wall-clock seconds and moved onto this boot's
 * monotonic clock when read back, by how long ago they were; a clock
 * that went back (a wrong clock corrected) counts as no time passed, so
 * the reminder waits its whole period again rather than firing at once. */
#ifndef ALARMD_STATE_H
#define ALARMD_STATE_H

#include "alarmd.h"

#include <jansson.h>

#define ALARMD_STATE_FILE "alarmd.state"
#define ALARMD_STATE_VERSION 1

/* The document: {"version","saved","raised":[...],"log":owed}.  Only
 * the raised rules of rules[0..n) are in it. */
json_t *state_json(const struct alarm_rule *rules, size_t n, const json_t *owed, double now_wall, int64_t now_mono);

/* The raised rules of doc into rules[0..max), each raised with its times
 * on the monotonic clock at now_mono (now_wall on the wall clock) and its
 * limits empty (the config's are set when it is applied).  How many;
 * entries that are not sound are skipped (logged). */
size_t state_rules(const json_t *doc, struct alarm_rule *rules, size_t max, double now_wall, int64_t now_mono);

/* Reads path: the document, or NULL when there is none (err "") or it
 * cannot be read (err says why). */
json_t *state_load(const char *path, char *err, size_t errlen);
/* Replaces path with doc atomically; -1 with a reason. */
int state_save(const char *path, const json_t *doc, char *err, size_t errlen);

#endif
