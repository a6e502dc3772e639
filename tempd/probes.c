/* probes: see probes.h. */
#include "probes.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void probes_init(struct probes *ps, const char *root)
{
	memset(ps, 0, sizeof *ps);
	snprintf(ps->root, sizeof ps->root, "%s", root);
}

static int s_find(const struct probes *ps, const char *id)
{
	for (int i = 0; i < ps->n; i++)
		if (!strcmp(ps->p[i].id, id))
			return i;
	return -1;
}

void probes_configure(struct probes *ps, const char *root, const char *const *ids)
{
	struct probes old = *ps;
	bool root_changed = strcmp(root, ps->root) != 0;
	probes_init(ps, root);
	for (int k = 0; ids[k] && ps->n < PROBES_MAX; k++) {
		if (s_find(ps, ids[k]) >= 0)
			continue;
		int j = s_find(&old, ids[k]);
		struct probe *p = &ps->p[ps->n++];
		if (j >= 0 && !root_changed)
			*p = old.p[j];
		else
			*p = (struct probe){ .state = PROBE_MISSING, .fault = "not found on the bus" };
		snprintf(p->id, sizeof p->id, "%s", ids[k]);
		p->family = w1_family(p->id);
		p->configured = true;
	}
	/* found probes keep their place and first_seen while room remains */
	for (int j = 0; j < old.n && !root_changed && ps->n < PROBES_MAX; j++)
		if (s_find(ps, old.p[j].id) < 0 && old.p[j].first_seen > 0) {
			ps->p[ps->n] = old.p[j];
			ps->p[ps->n++].configured = false;
		}
}

static int s_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int probes_scan(struct probes *ps, double now)
{
	DIR *dir = opendir(ps->root);
	if (!dir) {
		snprintf(ps->root_fault, sizeof ps->root_fault, "cannot list %s: %s (is the w1-therm driver loaded?)",
			 ps->root, strerror(errno));
		for (int i = 0; i < ps->n; i++)
			ps->p[i].present = false;
	} else {
		ps->root_fault[0] = '\0';
		char names[64][W1_ID_LEN + 1];
		int nn = 0;
		struct dirent *de;
		while ((de = readdir(dir)) && nn < 64)
			if (w1_family(de->d_name))
				snprintf(names[nn++], sizeof names[0], "%s", de->d_name);
		closedir(dir);
		qsort(names, (size_t)nn, sizeof names[0], s_cmp);
		for (int i = 0; i < ps->n; i++)
			ps->p[i].present = false;
		ps->nignored = 0;
		for (int k = 0; k < nn; k++) {
			int i = s_find(ps, names[k]);
			if (i < 0 && ps->n < PROBES_MAX) {
				i = ps->n++;
				ps->p[i] = (struct probe){ .state = PROBE_NEW };
				snprintf(ps->p[i].id, sizeof ps->p[i].id, "%s", names[k]);
				ps->p[i].family = w1_family(names[k]);
			}
			if (i < 0) {
				if (ps->nignored < PROBES_IGNORED_MAX)
					snprintf(ps->ignored[ps->nignored++], W1_ID_LEN + 1, "%s", names[k]);
				continue;
			}
			ps->p[i].present = true;
			if (ps->p[i].first_seen == 0)
				ps->p[i].first_seen = now;
		}
	}
	int fresh = 0;
	for (int i = 0; i < ps->n; i++) {
		struct probe *p = &ps->p[i];
		if (!p->present && p->state != PROBE_VANISHED && p->state != PROBE_MISSING) {
			p->state = p->first_seen > 0 ? PROBE_VANISHED : PROBE_MISSING;
			snprintf(p->fault, sizeof p->fault, "%s", p->first_seen > 0 ? "probe vanished from the bus" : "not found on the bus");
		}
		if (p->present && (p->state == PROBE_VANISHED || p->state == PROBE_MISSING)) {
			p->state = PROBE_NEW; /* back, or there at last: waits for its first read */
			p->fault[0] = '\0';
		}
		if (p->present && !p->announced)
			fresh++;
	}
	return fresh;
}

/* Reads a small sysfs file whole: 0, or -1 with errno. */
static ssize_t s_slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return (ssize_t)got;
}

static void s_fault(struct probe *p, enum probe_state st, const char *why)
{
	p->state = st;
	p->faults++;
	snprintf(p->fault, sizeof p->fault, "%s", why);
}

void probes_read(struct probes *ps, int i)
{
	struct probe *p = &ps->p[i];
	char path[512], buf[512], why[160];
	long milli;
	bool slave = true;
	p->reads++;
	snprintf(path, sizeof path, "%s/%s/w1_slave", ps->root, p->id);
	ssize_t n = s_slurp(path, buf, sizeof buf);
	if (n < 0 && errno == ENOENT) {
		slave = false;
		snprintf(path, sizeof path, "%s/%s/temperature", ps->root, p->id);
		n = s_slurp(path, buf, sizeof buf);
	}
	if (n < 0) {
		char msg[sizeof path + 64];
		snprintf(msg, sizeof msg, "%s: %s", path, strerror(errno));
		bool gone = errno == ENOENT || errno == ENODEV || errno == ENXIO;
		if (gone)
			p->present = false;
		s_fault(p, gone ? PROBE_VANISHED : PROBE_FAULT, gone ? "probe vanished from the bus" : msg);
		return;
	}
	int rc = slave ? w1_parse_slave(p->id, buf, (size_t)n, &milli, why, sizeof why)
		       : w1_parse_temperature(buf, (size_t)n, &milli, why, sizeof why);
	if (rc < 0) {
		s_fault(p, PROBE_FAULT, why);
		return;
	}
	p->state = PROBE_OK;
	p->fault[0] = '\0';
	p->T = milli / 1000.0;
}

const char *probes_state_name(enum probe_state s)
{
	static const char *const names[] = { "new", "ok", "fault", "vanished", "missing" };
	return names[s];
}

json_t *probes_reading_json(const struct probe *p)
{
	return json_pack("{s:s,s:f}", "id", p->id, "T", round(p->T * 1000) / 1000);
}

json_t *probes_found_json(const struct probe *p)
{
	return json_pack("{s:s,s:I}", "id", p->id, "first_seen", (json_int_t)p->first_seen);
}

json_t *probes_status_json(const struct probes *ps)
{
	json_t *arr = json_array();
	for (int i = 0; i < ps->n; i++) {
		const struct probe *p = &ps->p[i];
		json_t *o = json_pack("{s:s,s:s,s:b,s:s,s:I,s:I}", "id", p->id, "family", p->family ? p->family : "?",
				      "configured", p->configured, "state", probes_state_name(p->state), "reads",
				      (json_int_t)p->reads, "faults", (json_int_t)p->faults);
		if (p->first_seen > 0)
			json_object_set_new(o, "first_seen", json_integer((json_int_t)p->first_seen));
		if (p->state == PROBE_OK)
			json_object_set_new(o, "T", json_real(round(p->T * 1000) / 1000));
		else if (p->fault[0])
			json_object_set_new(o, "fault", json_string(p->fault));
		json_array_append_new(arr, o);
	}
	return arr;
}
