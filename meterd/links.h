/* links: the values other daemons add to a meter's reading.  meterd
 * subscribes to pulsed's pulse/<n> and tempd's temp/<id> (docs/BUS.md);
 * a meter's Pulse is the count of pulse input n where n is its ct_input
 * (the manual's rule), its T the T of the probe in its temp_sensor.  A value
 * that is not fresh (common/reading_cache.h: two of its publisher's periods
 * and a second old by the time it arrived here), or never received because
 * the daemon does not run, is absent, never zero. */
#ifndef METERD_LINKS_H
#define METERD_LINKS_H

#include "reading.h"

#include <jansson.h>

#include <stdint.h>

#define LINKS_PROBES 64

struct links;

/* Connects to pulsed and tempd in rundir (they need not be running). */
struct links *links_new(void *zctx, const char *rundir);
void links_destroy(struct links **l);
/* The SUB socket, for the daemon's poll. */
void *links_socket(struct links *l);
/* Takes every waiting message; now_ms on the monotonic clock. */
void links_receive(struct links *l, int64_t now_ms);
/* Takes one decoded bus message (what links_receive does with each): a
 * pulse/<n> count or a temp/<id> value, checked by msg.h's getters.  0
 * when taken or not for meterd, -1 with a reason when refused.  Exposed
 * for tests and fuzzing. */
int links_take(struct links *l, const char *topic, const json_t *o, int64_t now_ms, char *err, size_t errlen);
/* tempd's temps.interval_s: how long a probe's T stays fresh. */
void links_set_probe_interval(struct links *l, int interval_s);
/* Sets r's Pulse and T when fresh. temp_sensor may be NULL. */
void links_fill(const struct links *l, struct meter_reading *r, int ct_input, const char *temp_sensor, int64_t now_ms);

#endif
