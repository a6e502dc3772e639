/* probes: the table of up to PROBES_MAX thermometers tempd reads, kept
 * from the w1 root directory by a scan each read interval (so a probe
 * plugged in while tempd runs is found without a restart) and from the
 * probes the config names (meters[].temp_sensor).
 *
 * Invariants:
 *  - a probe's T is only ever the result of its last read; a read that
 *    fails, or a probe that vanished, clears it: nothing stale is shown;
 *  - configured probes take places first; the rest go to probes in the
 *    order they were found; any beyond PROBES_MAX are listed as ignored;
 *  - a probe keeps its first_seen for the life of the daemon, so unplugging
 *    and replugging it does not make it "new" again. */
#ifndef TEMPD_PROBES_H
#define TEMPD_PROBES_H

#include "w1.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROBES_MAX 8
#define PROBES_IGNORED_MAX 32

enum probe_state { PROBE_NEW, PROBE_OK, PROBE_FAULT, PROBE_VANISHED, PROBE_MISSING };

struct probe {
	char id[W1_ID_LEN + 1];
	const char *family;
	bool configured;
	bool present;    /* in the directory at the last scan */
	bool announced;  /* temp/found sent */
	double first_seen; /* Unix s, 0 when never seen */
	enum probe_state state;
	char fault[200];
	double T;        /* valid when state == PROBE_OK */
	uint64_t reads, faults;
};

struct probes {
	char root[256];
	struct probe p[PROBES_MAX];
	int n;
	char ignored[PROBES_IGNORED_MAX][W1_ID_LEN + 1];
	int nignored;
	char root_fault[320]; /* the root directory cannot be listed: why */
};

void probes_init(struct probes *ps, const char *root);
/* Sets the configured ids (NULL-terminated list, at most PROBES_MAX):
 * they go first in the table; found probes keep what places remain. */
void probes_configure(struct probes *ps, const char *root, const char *const *ids);
/* Lists the root: marks present/vanished, adds new probes (first_seen =
 * now).  Returns how many probes are new (not yet announced). */
int probes_scan(struct probes *ps, double now);
/* Reads probe i's file (w1_slave, else temperature): on success state OK
 * and T; otherwise state FAULT or VANISHED with the reason. */
void probes_read(struct probes *ps, int i);

/* temp/<id> payload of an OK probe, temp/found payload, status entry. */
json_t *probes_reading_json(const struct probe *p);
json_t *probes_found_json(const struct probe *p);
json_t *probes_status_json(const struct probes *ps);
const char *probes_state_name(enum probe_state s);

#endif
