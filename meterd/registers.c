/* registers: see registers.h. */
#include "registers.h"

#include "atomic_file.h"
#include "msg.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { COPY_VOLATILE, COPY_DURABLE, COPIES };

struct registers {
	struct energy phase[REGISTERS_METERS][3], sys[REGISTERS_METERS];
	char path[COPIES][4096];
	bool dirty[COPIES];
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

/* Keeps the larger of what e has and what o says, register by register. */
static void s_energy_merge(struct energy *e, json_t *o)
{
	for (int i = 0; i < 5; i++) {
		double v = json_number_value(json_object_get(o, s_names[i]));
		if (v > *s_field(e, i))
			*s_field(e, i) = v;
	}
}

static void s_load(struct registers *regs, const char *path, char *warning, size_t warnlen)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	if (!doc) {
		if (access(path, F_OK) == 0) {
			char aside[4200];
			snprintf(aside, sizeof aside, "%s.corrupt", path);
			rename(path, aside);
			snprintf(warning, warnlen, "%s: unreadable (%s), moved to %s", path, jerr.text, aside);
		}
		return;
	}
	json_t *meters = json_object_get(doc, "meters");
	for (int m = 0; m < REGISTERS_METERS; m++) {
		char key[4];
		snprintf(key, sizeof key, "%d", m + 1);
		json_t *mo = json_object_get(meters, key);
		for (int p = 0; p < 3; p++)
			s_energy_merge(&regs->phase[m][p], json_array_get(json_object_get(mo, "phase"), (size_t)p));
		s_energy_merge(&regs->sys[m], json_object_get(mo, "sys"));
	}
	json_decref(doc);
}

struct registers *registers_open(const char *datadir, const char *rundir, char *warning, size_t warnlen)
{
	struct registers *regs = calloc(1, sizeof *regs);
	if (!regs)
		return NULL;
	warning[0] = '\0';
	if (!datadir || !rundir)
		return regs; /* in memory only (meterd --replay) */
	mkdir(datadir, 0755);
	mkdir(rundir, 0755);
	snprintf(regs->path[COPY_VOLATILE], sizeof regs->path[0], "%s/meterd-registers.json", rundir);
	snprintf(regs->path[COPY_DURABLE], sizeof regs->path[0], "%s/meterd-registers.json", datadir);
	for (int copy = 0; copy < COPIES; copy++)
		s_load(regs, regs->path[copy], warning, warnlen);
	return regs;
}

void registers_destroy(struct registers **regsp)
{
	free(*regsp);
	*regsp = NULL;
}

static void s_add(struct energy *e, double p, double q, double s, double hours)
{
	if (p >= 0)
		e->E += p * hours;
	else
		e->Ex += -p * hours;
	if (q >= 0)
		e->RE += q * hours;
	else
		e->REx += -q * hours;
	e->AE += s * hours;
}

void registers_accumulate(struct registers *regs, int meter, struct meter_reading *r, double dt_s)
{
	int m = meter - 1;
	double hours = dt_s / 3600.0;
	for (int p = 0; p < 3; p++) {
		s_add(&regs->phase[m][p], r->P[p], r->Q[p], r->S[p], hours);
		r->phase_energy[p] = regs->phase[m][p];
	}
	s_add(&regs->sys[m], r->Psys, r->Qsys, r->Ssys, hours);
	r->sys_energy = regs->sys[m];
	regs->dirty[COPY_VOLATILE] = regs->dirty[COPY_DURABLE] = true;
}

int registers_save(struct registers *regs, bool durable, char *err, size_t errlen)
{
	int copy = durable ? COPY_DURABLE : COPY_VOLATILE;
	if (!regs->dirty[copy] || !regs->path[copy][0])
		return 0;
	json_t *meters = json_object();
	for (int m = 0; m < REGISTERS_METERS; m++) {
		json_t *phases = json_array();
		for (int p = 0; p < 3; p++)
			json_array_append_new(phases, s_energy_json(&regs->phase[m][p]));
		char key[4];
		snprintf(key, sizeof key, "%d", m + 1);
		json_object_set_new(meters, key, json_pack("{s:o,s:o}", "phase", phases, "sys", s_energy_json(&regs->sys[m])));
	}
	json_t *doc = json_pack("{s:i,s:o}", "version", 1, "meters", meters);
	/* 17 digits: a register must read back exactly as it was */
	char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(17));
	json_decref(doc);
	int rc = text ? atomic_file_write_flags(regs->path[copy], text, strlen(text), 0644,
						   durable ? 0 : ATOMIC_FILE_NO_SYNC, err, errlen) : -1;
	free(text);
	if (rc == 0)
		regs->dirty[copy] = false;
	return rc;
}
