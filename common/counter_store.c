/* counter_store: see counter_store.h. */
#include "counter_store.h"

#include "atomic_file.h"
#include "msg.h"
#include "regular_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { COPY_VOLATILE, COPY_DURABLE, COPIES };

struct counter_store {
	char path[COPIES][4096];
	bool dirty[COPIES];
	json_t *durable; /* what the SD card copy holds */
};

/* A counter is a number 0..MSG_VALUE_MAX (msg.h's getter checks it): a
 * copy whose number is beyond that (damage that still parses, 1e300) never
 * wins the merge over a good one, however large. */
static bool s_counter(const json_t *v)
{
	double x;
	char why[8];
	return msg_real(v, "", 0, MSG_VALUE_MAX, &x, why, sizeof why) == 0;
}

static bool s_bigger(const json_t *b, const json_t *a)
{
	if (s_counter(a) != s_counter(b))
		return s_counter(b);
	if (json_is_integer(a) && json_is_integer(b))
		return json_integer_value(b) > json_integer_value(a);
	return json_number_value(b) > json_number_value(a);
}

void counter_store_merge_max(json_t *a, const json_t *b)
{
	if (json_is_object(a) && json_is_object(b)) {
		const char *key;
		json_t *bv;
		json_object_foreach((json_t *)b, key, bv) {
			json_t *av = json_object_get(a, key);
			if (!av)
				json_object_set(a, key, bv);
			else if (json_is_number(av) && json_is_number(bv)) {
				if (s_bigger(bv, av))
					json_object_set(a, key, bv);
			} else
				counter_store_merge_max(av, bv);
		}
	} else if (json_is_array(a) && json_is_array(b)) {
		for (size_t i = 0; i < json_array_size(b); i++) {
			json_t *av = json_array_get(a, i), *bv = json_array_get(b, i);
			if (!av)
				json_array_append(a, bv);
			else if (json_is_number(av) && json_is_number(bv)) {
				if (s_bigger(bv, av))
					json_array_set(a, i, bv);
			} else
				counter_store_merge_max(av, bv);
		}
	}
}

/* Counters of 8 meters and 8 inputs take a few KiB; more is not a counter
 * file. */
#define COUNTER_FILE_MAX (1024 * 1024)

/* Merges the copy at path into doc; returns it (a new reference), or NULL
 * when there is none or it is unreadable (then moved aside). */
static json_t *s_load(const char *path, json_t *doc, char *warning, size_t warnlen)
{
	char why[512];
	size_t len;
	/* only a regular file: a FIFO in its place would block the daemon's
	 * start in open() until someone wrote to it */
	char *text = regular_file_read(path, COUNTER_FILE_MAX, &len, why, sizeof why);
	if (!text && errno == ENOENT)
		return NULL;
	bool read = text != NULL;
	json_error_t jerr;
	json_t *copy = read ? json_loadb(text, len, 0, &jerr) : NULL;
	free(text);
	if (!copy || !json_is_object(copy)) {
		char aside[4200];
		snprintf(aside, sizeof aside, "%s.corrupt", path);
		rename(path, aside);
		snprintf(warning, warnlen, "%s: unreadable (%s), moved to %s", path,
			 !read ? why : copy ? "not a JSON object" : jerr.text, aside);
		json_decref(copy);
		return NULL;
	}
	counter_store_merge_max(doc, copy);
	return copy;
}

struct counter_store *counter_store_open(const char *name, const char *datadir, const char *rundir, json_t **doc,
					 char *warning, size_t warnlen)
{
	struct counter_store *cs = calloc(1, sizeof *cs);
	*doc = json_object();
	if (!cs || !*doc) {
		free(cs);
		json_decref(*doc);
		*doc = NULL;
		return NULL;
	}
	warning[0] = '\0';
	mkdir(datadir, 0755);
	mkdir(rundir, 0755);
	snprintf(cs->path[COPY_VOLATILE], sizeof cs->path[0], "%s/%s", rundir, name);
	snprintf(cs->path[COPY_DURABLE], sizeof cs->path[0], "%s/%s", datadir, name);
	json_decref(s_load(cs->path[COPY_VOLATILE], *doc, warning, warnlen));
	cs->durable = s_load(cs->path[COPY_DURABLE], *doc, warning, warnlen);
	if (!cs->durable)
		cs->durable = json_object();
	/* the tmpfs copy is ahead (a crash, not a power cut): the card must
	 * catch up before anything newer than it is shown */
	cs->dirty[COPY_DURABLE] = !json_equal(*doc, cs->durable);
	return cs;
}

void counter_store_destroy(struct counter_store **csp)
{
	if (*csp)
		json_decref((*csp)->durable);
	free(*csp);
	*csp = NULL;
}

const json_t *counter_store_durable(const struct counter_store *cs)
{
	return cs->durable;
}

void counter_store_touch(struct counter_store *cs)
{
	cs->dirty[COPY_VOLATILE] = cs->dirty[COPY_DURABLE] = true;
}

int counter_store_save(struct counter_store *cs, json_t *doc, bool durable, char *err, size_t errlen)
{
	int rc = 0;
	for (int copy = 0; copy <= (durable ? COPY_DURABLE : COPY_VOLATILE); copy++) {
		if (!cs->dirty[copy])
			continue;
		/* 17 digits: a register must read back exactly as it was */
		char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(17));
		if (!text) {
			snprintf(err, errlen, "%s: out of memory", cs->path[copy]);
			return -1;
		}
		if (atomic_file_write_flags(cs->path[copy], text, strlen(text), 0644,
					    copy == COPY_DURABLE ? 0 : ATOMIC_FILE_NO_SYNC, err, errlen) == 0) {
			cs->dirty[copy] = false;
			if (copy == COPY_DURABLE) {
				json_decref(cs->durable);
				cs->durable = json_deep_copy(doc);
			}
		} else
			rc = -1;
		free(text);
	}
	return rc;
}
