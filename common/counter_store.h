/* counter_store: a JSON document of counters that only ever grow (energy
 * registers, pulse counts), kept so that neither a crash nor a power cut
 * makes one go backwards.  Two copies of <name>, both atomically replaced:
 *  - in $ENISCOPE_RUNDIR (tmpfs), written at every save without fsync: a
 *    crash or kill -9 of the daemon loses nothing and costs the SD card
 *    nothing;
 *  - in $ENISCOPE_DATA (the SD card), written and fsynced on a durable save
 *    (every few seconds and at exit): a power cut loses at most that period.
 * At open the two copies are merged number by number, keeping the larger,
 * so whichever copy is newer wins for every counter.  A copy that cannot
 * be parsed, or is not a regular file (a FIFO would block the read), is
 * moved aside (<path>.corrupt) and reported, never silently overwritten.
 * meterd (registers) and pulsed (pulse counts) both use it.
 *
 * What may be shown: only what the SD card copy holds
 * (counter_store_durable).  A power cut wipes the tmpfs copy, so a counter
 * shown beyond the card's copy would go backwards after it; a daemon that
 * shows the card's values, saved every few seconds, shows counters that
 * never go backwards, power cuts included, at the price of that lag. */
#ifndef HUB_COUNTER_STORE_H
#define HUB_COUNTER_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The files of the two users, named here so that the reset
 * (eniscopectl/cmd_reset.c) erases exactly what they keep. */
#define COUNTER_STORE_METERD "meterd-registers.json"
#define COUNTER_STORE_PULSED "pulsed-counts.json"

struct counter_store;

/* Opens <datadir>/<name> and <rundir>/<name> (creating the directories)
 * and sets *doc to their merge (a new reference; an empty object when
 * neither exists).  NULL only when out of memory.  *warning is "" or says
 * which copy was unreadable and where it was moved.  When the merge is
 * ahead of the card copy, the next durable save writes it even untouched:
 * save durably before showing anything. */
struct counter_store *counter_store_open(const char *name, const char *datadir, const char *rundir, json_t **doc,
					 char *warning, size_t warnlen);
void counter_store_destroy(struct counter_store **cs);

/* Says the counters changed: both copies need writing. */
void counter_store_touch(struct counter_store *cs);

/* Writes doc to the rundir copy, and with durable also to the SD card copy
 * (fsynced), each only if counter_store_touch was called since that copy
 * was last written.  Reals keep 17 digits so a counter reads back exactly.
 * 0, or -1 with a reason naming the file. */
int counter_store_save(struct counter_store *cs, json_t *doc, bool durable, char *err, size_t errlen);

/* The document the SD card copy holds: as loaded at open (an empty object
 * when there was none), then as written by each durable save.  Borrowed:
 * valid until the next save or counter_store_destroy. */
const json_t *counter_store_durable(const struct counter_store *cs);

/* The merge rule, exposed for tests: numbers in b larger than those at the
 * same place in a replace them (a number out of 0..MSG_VALUE_MAX is
 * damage: it loses to any good one); keys and array elements only in b are
 * added; everything else in a stays. */
void counter_store_merge_max(json_t *a, const json_t *b);

#endif
