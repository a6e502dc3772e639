/* registers: see registers.h. */
#include "registers.h"

#include "counter_store.h"
#include "msg.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* one meter's registers: each phase's and the system's */
struct meter_energy {
	struct energy phase[3], sys;
};

struct registers {
	struct meter_energy live[REGISTERS_METERS];  /* what has been measured */
	struct meter_energy shown[REGISTERS_METERS]; /* what the SD card holds: what readings carry */
	struct counter_store *store;
};

static const char *const s_names[] = { "E", "Ex", "RE", "REx", "AE" };

static double *s_field(struct energy *e, int i)
{
	double *f[] = { &e->E, &e->Ex, &e->RE, &e->REx, &e->AE };
	return f[i];
}

static json_t *s_energy_json(struct energy *e)
{
	json_t *o = json_object();
	for (int i = 0; i < 5; i++)
		json_object_set_new(o, s_names[i], json_real(*s_field(e, i)));
	return o;
}

/* A register from the card's copy, checked by msg.h's getter: one that is
 * not a number 0..MSG_VALUE_MAX (a damaged file) starts from 0, said in
 * warning (appended), rather than putting a value on the bus that every
 * subscriber refuses.  An absent one is a register not used yet: 0. */
static void s_energy_from(struct energy *e, const json_t *o, const char *where, char *warning, size_t warnlen)
{
	for (int i = 0; i < 5; i++) {
		json_t *v = json_object_get(o, s_names[i]);
		char name[48], why[160];
		snprintf(name, sizeof name, "%s.%s", where, s_names[i]);
		*s_field(e, i) = 0;
		if (v && msg_real(v, name, 0, MSG_VALUE_MAX, s_field(e, i), why, sizeof why) != 0) {
			size_t used = strlen(warning);
			snprintf(warning + used, warnlen - used, "%sregister %s; it starts from 0", used ? "; " : "", why);
		}
	}
}

/* The registers of a meterd-registers.json document (0 where absent or
 * out of range, said in warning). */
static void s_from_doc(struct meter_energy me[REGISTERS_METERS], const json_t *doc, char *warning, size_t warnlen)
{
	const json_t *meters = json_object_get(doc, "meters");
	for (int m = 0; m < REGISTERS_METERS; m++) {
		char key[4], where[40];
		snprintf(key, sizeof key, "%d", m + 1);
		const json_t *mo = json_object_get(meters, key);
		for (int p = 0; p < 3; p++) {
			snprintf(where, sizeof where, "meters.%d.phase[%d]", m + 1, p);
			s_energy_from(&me[m].phase[p], json_array_get(json_object_get(mo, "phase"), (size_t)p), where,
				      warning, warnlen);
		}
		snprintf(where, sizeof where, "meters.%d.sys", m + 1);
		s_energy_from(&me[m].sys, json_object_get(mo, "sys"), where, warning, warnlen);
	}
}

struct registers *registers_open(const char *datadir, const char *rundir, char *warning, size_t warnlen)
{
	struct registers *regs = calloc(1, sizeof *regs);
	if (!regs)
		return NULL;
	warning[0] = '\0';
	if (!datadir || !rundir)
		return regs; /* in memory only (meterd --replay) */
	json_t *doc;
	/* the store merged both copies, register by register, keeping the larger */
	regs->store = counter_store_open(COUNTER_STORE_METERD, datadir, rundir, &doc, warning, warnlen);
	if (!regs->store) {
		free(regs);
		return NULL;
	}
	s_from_doc(regs->live, doc, warning, warnlen);
	json_decref(doc);
	/* a copy only in tmpfs (meterd crashed) goes to the card before it is
	 * shown; if the card refuses, the card's older values are shown */
	char err[512];
	if (registers_save(regs, true, err, sizeof err) < 0 && !warning[0])
		snprintf(warning, warnlen, "%s", err);
	char ignored[512] = ""; /* the card's copy holds what was just checked */
	s_from_doc(regs->shown, counter_store_durable(regs->store), ignored, sizeof ignored);
	return regs;
}

void registers_destroy(struct registers **regsp)
{
	if (*regsp && (*regsp)->store)
		counter_store_destroy(&(*regsp)->store);
	free(*regsp);
	*regsp = NULL;
}

/* Adds the powers for hours; true when a register moved. */
static bool s_add(struct energy *e, double p, double q, double s, double hours)
{
	struct energy before = *e;
	if (p >= 0)
		e->E += p * hours;
	else
		e->Ex += -p * hours;
	if (q >= 0)
		e->RE += q * hours;
	else
		e->REx += -q * hours;
	e->AE += s * hours;
	return memcmp(&before, e, sizeof before) != 0;
}

void registers_accumulate(struct registers *regs, int meter, struct meter_reading *r, double dt_s)
{
	int m = meter - 1;
	double hours = dt_s / 3600.0;
	bool moved = false;
	for (int p = 0; p < 3; p++)
		moved |= s_add(&regs->live[m].phase[p], r->P[p], r->Q[p], r->S[p], hours);
	moved |= s_add(&regs->live[m].sys, r->Psys, r->Qsys, r->Ssys, hours);
	/* without a card copy (--replay) nothing can be lost: show it live */
	const struct meter_energy *shown = regs->store ? &regs->shown[m] : &regs->live[m];
	for (int p = 0; p < 3; p++)
		r->phase_energy[p] = shown->phase[p];
	r->sys_energy = shown->sys;
	/* an idle meter (every phase below the starting current) adds zeros:
	 * then the copies need no rewrite */
	if (regs->store && moved)
		counter_store_touch(regs->store);
}

int registers_save(struct registers *regs, bool durable, char *err, size_t errlen)
{
	if (!regs->store)
		return 0;
	json_t *meters = json_object();
	for (int m = 0; m < REGISTERS_METERS; m++) {
		json_t *phases = json_array();
		for (int p = 0; p < 3; p++)
			json_array_append_new(phases, s_energy_json(&regs->live[m].phase[p]));
		char key[4];
		snprintf(key, sizeof key, "%d", m + 1);
		json_object_set_new(meters, key,
				    json_pack("{s:o,s:o}", "phase", phases, "sys", s_energy_json(&regs->live[m].sys)));
	}
	json_t *doc = json_pack("{s:i,s:o}", "version", 1, "meters", meters);
	int rc = counter_store_save(regs->store, doc, durable, err, errlen);
	json_decref(doc);
	if (durable) {
		char ignored[512] = ""; /* the card's copy holds what was checked at open */
		s_from_doc(regs->shown, counter_store_durable(regs->store), ignored, sizeof ignored);
	}
	return rc;
}
