/* state: what alarmd keeps across its restarts, in one JSON file on the
 * card ($ENISCOPE_DATA/alarmd.state, ALARMD_STATE_FILE) replaced
 * atomically (common/atomic_file.h) whenever it changes: each raised
 * alarm (its rule's identity, what its messages say, and when it was
 * raised and last sent), the events owed to storaged's log (logbook.h)
 * and the mails and webhook POSTs not yet delivered (outbox.h).  So after a restart a raised alarm stays raised: no second
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
/* Its largest size: 128 raised alarms, 1,000 events owed and 256
 * deliveries of a few KiB each stay far below. */
#define ALARMD_STATE_MAX (16u << 20)

/* The document: {"version","saved","raised":[...],"log":owed,
 * "outbox":deliveries} (owed: logbook.h's events, deliveries:
 * outbox_owed(); either may be NULL).  Only the raised rules of
 * rules[0..n) are in it. */
json_t *state_json(const struct alarm_rule *rules, size_t n, const json_t *owed, const json_t *deliveries,
		   double now_wall, int64_t now_mono);

/* The raised rules of doc into rules[0..max), each raised with its times
 * on the monotonic clock at now_mono (now_wall on the wall clock) and its
 * limits empty (the config's are set when it is applied).  How many;
 * entries that are not sound are skipped (logged). */
size_t state_rules(const json_t *doc, struct alarm_rule *rules, size_t max, double now_wall, int64_t now_mono);

/* Reads path, only when it is a regular file (common/regular_file.h):
 * the document, or NULL when there is none (err "") or it cannot be read
 * or is not alarmd's (err says why). */
json_t *state_load(const char *path, char *err, size_t errlen);
/* Replaces path with doc atomically; -1 with a reason. */
int state_save(const char *path, const json_t *doc, char *err, size_t errlen);

#endif
