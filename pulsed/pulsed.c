/* pulsed: applying the config (opening the source it names), the edge
 * path every source shares (edge -> debounce -> counter), the once-a-second
 * publication, the persistence of the counts and the status. */
#include "pulsed.h"

#include "clock.h"
#include "config_keys.h"
#include "log.h"
#include "msg.h"
#include "paths.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNTS_FILE COUNTER_STORE_PULSED

static void s_counted(struct pulsed *p, struct input *in, int64_t pulse_ns)
{
	input_pulse(in, pulse_ns, clock_mono_ns(), clock_wall());
	if (p->store)
		counter_store_touch(p->store);
}

/* The one edge path: every source calls this. */
static void s_edge(void *ud, const struct pulse_edge *e)
{
	struct pulsed *p = ud;
	struct input *in = &p->in[e->input - 1];
	p->edges++;
	if (!in->enabled) {
		p->edges_ignored++;
		return;
	}
	int64_t pulse_ns;
	int rc = debounce_edge(&in->db, e->ts_ns, e->level, &pulse_ns);
	if (rc < 0) {
		if (!p->edges_backwards++)
			log_warn("pulse input %d: edge at %lld ns is before the previous one: ignored", e->input,
				 (long long)e->ts_ns);
	} else if (rc > 0)
		s_counted(p, in, pulse_ns);
}

/* The counts shown: as the SD card copy holds them (counter_store.h). */
static void s_show_saved(struct pulsed *p)
{
	const json_t *inputs = json_object_get(counter_store_durable(p->store), "inputs");
	for (int i = 0; i < EDGE_INPUTS; i++) {
		char key[4];
		snprintf(key, sizeof key, "%d", i + 1);
		json_int_t c = json_integer_value(json_object_get(json_object_get(inputs, key), "count"));
		p->in[i].shown = c > 0 ? (uint64_t)c : 0;
	}
}

int pulsed_init(struct pulsed *p, const struct gpio_ops *gpio_ops)
{
	memset(p, 0, sizeof *p);
	p->gpio_ops = gpio_ops;
	char warning[1024];
	json_t *doc;
	p->store = counter_store_open(COUNTS_FILE, paths_datadir(), paths_rundir(), &doc, warning, sizeof warning);
	if (!p->store)
		return -1;
	if (warning[0])
		log_error("%s", warning);
	json_t *inputs = json_object_get(doc, "inputs");
	for (int i = 0; i < EDGE_INPUTS; i++) {
		char key[4];
		snprintf(key, sizeof key, "%d", i + 1);
		/* checked by msg.h's getter: a damaged count starts from 0, said */
		json_t *jc = json_object_get(json_object_get(inputs, key), "count");
		int64_t c = 0;
		char name[32], why[160];
		snprintf(name, sizeof name, "inputs.%s.count", key);
		if (jc && msg_int(jc, name, 0, (int64_t)MSG_VALUE_MAX, &c, why, sizeof why) != 0) {
			log_error("%s: %s; it starts from 0", COUNTS_FILE, why);
			c = 0;
		}
		p->in[i] = (struct input){ .n = i + 1, .counted = (uint64_t)c };
		debounce_init(&p->in[i].db, 100, 20, false); /* the schema's defaults, until the config is applied */
	}
	json_decref(doc);
	s_show_saved(p);
	return 0;
}

static void s_close_source(struct pulsed *p)
{
	if (p->daemon) {
		if (p->file && source_file_fd(p->file) >= 0)
			daemon_unwatch(p->daemon, NULL, source_file_fd(p->file));
		for (int n = 1; p->gpio && n <= EDGE_INPUTS; n++)
			if (source_gpio_fd(p->gpio, n) >= 0)
				daemon_unwatch(p->daemon, NULL, source_gpio_fd(p->gpio, n));
	}
	source_file_destroy(&p->file);
	source_gpio_destroy(&p->gpio);
	p->kind = SOURCE_NONE;
}

void pulsed_fini(struct pulsed *p)
{
	s_close_source(p);
	counter_store_destroy(&p->store);
}

static void s_set_fault(struct pulsed *p, const char *fault)
{
	fault_set(&p->source_fault, p->daemon, "pulse source", fault);
}

/* The watch callbacks may run after a reload in the same poll round closed
 * the source: they check it is still there. */
static void s_file_readable(struct daemon *d, void *ud)
{
	(void)d;
	struct pulsed *p = ud;
	char err[512];
	if (!p->file)
		return;
	if (source_file_read(p->file, false, err, sizeof err) < 0) {
		s_set_fault(p, err);
		s_close_source(p); /* a descriptor that fails stays readable: reopened by the tick */
	}
}

static void s_gpio_readable(struct daemon *d, void *ud)
{
	(void)d;
	struct pulsed_line *l = ud;
	char err[512];
	if (!l->p->gpio || source_gpio_fd(l->p->gpio, l->n) < 0)
		return;
	/* a reopened line may have the old descriptor's number and nothing to
	 * read yet, and the event read blocks: look before reading */
	struct pollfd pfd = { .fd = source_gpio_fd(l->p->gpio, l->n), .events = POLLIN };
	if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & POLLIN))
		return;
	if (source_gpio_read(l->p->gpio, l->n, s_edge, l->p, err, sizeof err) < 0) {
		s_set_fault(l->p, err);
		s_close_source(l->p); /* a line that fails stays readable: reopened by the tick */
	}
}

/* Opens the configured source; a failure is a fault in the status, not a
 * refused config (the device or file may appear later: retried each tick). */
static void s_open_source(struct pulsed *p)
{
	char err[512] = "";
	if (!strcmp(p->source, "sim")) {
		p->kind = SOURCE_SIM;
	} else if (!strncmp(p->source, "file:", 5)) {
		p->file = source_file_open(p->source + 5, s_edge, p, err, sizeof err);
		if (p->file) {
			p->kind = SOURCE_FILE;
			if (p->daemon && source_file_fd(p->file) >= 0 &&
			    daemon_watch_fd(p->daemon, source_file_fd(p->file), s_file_readable, p) < 0) {
				snprintf(err, sizeof err, "%s: cannot watch: %s", p->source + 5, strerror(errno));
				s_close_source(p);
			}
		}
	} else {
		const struct pulsed_gpio_cfg *g = &p->gpio_cfg;
		p->gpio = source_gpio_open(p->gpio_ops, "pulsed", "pulse input", g->chip, g->lines, g->want, g->active_low, err, sizeof err);
		for (int n = 1; p->gpio && n <= EDGE_INPUTS; n++) {
			if (!g->want[n - 1])
				continue;
			/* a contact closed at start is taken as counted: see debounce.h */
			struct debounce *db = &p->in[n - 1].db;
			debounce_init(db, db->min_ns / 1000000, db->min_open_ns / 1000000, source_gpio_closed(p->gpio, n));
			p->gpio_ud[n - 1] = (struct pulsed_line){ p, n };
			if (p->daemon && daemon_watch_fd(p->daemon, source_gpio_fd(p->gpio, n), s_gpio_readable,
							 &p->gpio_ud[n - 1]) < 0) {
				snprintf(err, sizeof err, "pulse input %d: cannot watch its line: %s", n, strerror(errno));
				s_close_source(p);
			}
		}
		if (p->gpio)
			p->kind = SOURCE_GPIO;
	}
	s_set_fault(p, err);
}

int pulsed_apply(struct pulsed *p, const struct config *cfg, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	struct pulsed_gpio_cfg g = { .active_low = cfg_pulse_input_active_low(cfg) };
	snprintf(g.chip, sizeof g.chip, "%s", cfg_pulse_input_gpio_chip(cfg));
	const char *source = cfg_pulse_input_source(cfg);
	int64_t now = clock_mono_ns();
	for (int i = 0; i < EDGE_INPUTS; i++) {
		struct input *in = &p->in[i];
		bool enabled = cfg_pulses_enabled(cfg, i);
		int64_t min_ms = cfg_pulses_min_pulse_ms(cfg, i), min_open_ms = cfg_pulses_min_open_ms(cfg, i);
		if (enabled && !in->enabled)
			debounce_init(&in->db, min_ms, min_open_ms, false);
		debounce_set(&in->db, min_ms, min_open_ms);
		in->enabled = g.want[i] = enabled;
		snprintf(in->name, sizeof in->name, "%s", cfg_pulses_name(cfg, i));
		snprintf(in->unit, sizeof in->unit, "%s", cfg_pulses_unit(cfg, i));
		in->units_per_pulse = cfg_pulses_units_per_pulse(cfg, i);
		in->base = llround(cfg_pulses_start_reading(cfg, i) / in->units_per_pulse);
		g.lines[i] = (unsigned)cfg_pulses_gpio_line(cfg, i);
		source_sim_set(&p->sim, i + 1, enabled ? cfg_pulses_sim_pulses_per_hour(cfg, i) : 0, min_ms, now);
	}
	bool reopen = strcmp(source, p->source) != 0 || p->kind == SOURCE_NONE ||
		      (p->kind == SOURCE_GPIO && memcmp(&g, &p->gpio_cfg, sizeof g) != 0);
	p->gpio_cfg = g;
	if (reopen) {
		s_close_source(p);
		snprintf(p->source, sizeof p->source, "%s", source);
		s_open_source(p);
	}
	return 0;
}

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	(void)d;
	return pulsed_apply(ud, cfg, err, errlen);
}

/* Lets the source deliver what it has, then counts closures that have
 * lasted their minimum by now. */
static void s_catch_up(struct pulsed *p, bool at_end)
{
	char err[512];
	int64_t now = clock_mono_ns();
	if (p->kind == SOURCE_NONE && p->daemon && strcmp(p->source, "sim")) {
		s_open_source(p); /* retry: the chip or the file may be there now */
	} else if (p->kind == SOURCE_SIM) {
		source_sim_advance(&p->sim, now, s_edge, p);
	} else if (p->kind == SOURCE_FILE && (source_file_fd(p->file) < 0 || at_end)) {
		if (source_file_read(p->file, at_end, err, sizeof err) < 0)
			s_set_fault(p, err);
	}
	for (int i = 0; i < EDGE_INPUTS; i++) {
		int64_t pulse_ns;
		if (p->in[i].enabled && debounce_poll(&p->in[i].db, now, &pulse_ns))
			s_counted(p, &p->in[i], pulse_ns);
	}
}

static json_t *s_counts_doc(struct pulsed *p)
{
	json_t *inputs = json_object();
	for (int i = 0; i < EDGE_INPUTS; i++) {
		char key[4];
		snprintf(key, sizeof key, "%d", i + 1);
		json_object_set_new(inputs, key, json_pack("{s:I}", "count", (json_int_t)p->in[i].counted));
	}
	return json_pack("{s:i,s:o}", "version", 1, "inputs", inputs);
}

static void s_store(struct pulsed *p, bool durable)
{
	char err[512];
	json_t *doc = s_counts_doc(p);
	int rc = counter_store_save(p->store, doc, durable, err, sizeof err);
	json_decref(doc);
	if (durable)
		s_show_saved(p);
	/* until saved, counts since the last save would be lost in a crash
	 * (tmpfs copy) or a power cut (SD card copy) */
	if (rc < 0)
		fault_set(&p->save_fault, p->daemon, "pulse counts not saved", err);
	else if (durable)
		fault_set(&p->save_fault, p->daemon, "pulse counts not saved", "");
}

void pulsed_tick(struct daemon *d, void *ud)
{
	struct pulsed *p = ud;
	if (!daemon_config(d))
		return;
	s_catch_up(p, false);
	if (!p->card_current) {
		/* after a crash the tmpfs copy is ahead: onto the card, with
		 * what the source had at start, before anything is shown */
		s_store(p, true);
		p->card_current = true;
	}
	int64_t now = clock_mono_ns();
	for (int i = 0; i < EDGE_INPUTS; i++) {
		if (!p->in[i].enabled)
			continue;
		char topic[16];
		snprintf(topic, sizeof topic, "pulse/%d", i + 1);
		json_t *o = input_json(&p->in[i], now);
		if (bus_pub_send(daemon_pub(d), topic, o) == 0)
			p->published++;
		json_decref(o);
	}
	s_store(p, false);
}

void pulsed_save(struct daemon *d, void *ud)
{
	(void)d;
	s_store(ud, true);
}

static const char *const s_kind_names[] = { "none", "gpio", "sim", "file" };

static void s_status(struct daemon *d, json_t *st, void *ud)
{
	(void)d;
	struct pulsed *p = ud;
	json_t *inputs = json_array();
	for (int i = 0; i < EDGE_INPUTS; i++) {
		const struct input *in = &p->in[i];
		if (!in->enabled)
			continue;
		json_t *o = json_pack("{s:i,s:s,s:I,s:I}", "n", in->n, "name", in->name, "count",
				      (json_int_t)input_count(in), "short_closures", (json_int_t)in->db.short_closures);
		json_object_set_new(o, "last_pulse", in->last_pulse_wall > 0 ? json_real(in->last_pulse_wall) : json_null());
		json_object_set_new(o, "closed", json_boolean(in->db.closed));
		json_array_append_new(inputs, o);
	}
	json_object_set_new(st, "source", json_string(p->source));
	json_object_set_new(st, "source_open", json_string(s_kind_names[p->kind]));
	json_object_set_new(st, "inputs", inputs);
	json_object_set_new(st, "edges", json_integer((json_int_t)p->edges));
	json_object_set_new(st, "edges_disabled_input", json_integer((json_int_t)p->edges_ignored));
	json_object_set_new(st, "edges_out_of_order", json_integer((json_int_t)p->edges_backwards));
	json_object_set_new(st, "published", json_integer((json_int_t)p->published));
	json_t *faults = json_array();
	if (fault_active(&p->source_fault))
		json_array_append_new(faults, json_string(p->source_fault.why));
	if (fault_active(&p->save_fault))
		json_array_append_new(faults, json_string(p->save_fault.why));
	if (p->file) {
		json_object_set_new(st, "bad_lines", json_integer((json_int_t)source_file_bad_lines(p->file)));
		if (source_file_bad_lines(p->file))
			json_object_set_new(st, "last_bad_line", json_string(source_file_last_bad(p->file)));
	}
	if (json_array_size(faults))
		json_object_set_new(st, "fault", json_string(json_string_value(json_array_get(faults, 0))));
	json_object_set_new(st, "faults", faults);
}

const struct daemon_ops pulsed_ops = {
	.apply = s_apply,
	.status = s_status,
};

int pulsed_once(struct pulsed *p, const struct config *cfg, FILE *out)
{
	char err[512];
	pulsed_apply(p, cfg, err, sizeof err);
	/* gpio: the events already queued on each line (none block) */
	for (int n = 1; p->gpio && n <= EDGE_INPUTS; n++) {
		int fd = source_gpio_fd(p->gpio, n);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		while (fd >= 0 && poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN))
			if (source_gpio_read(p->gpio, n, s_edge, p, err, sizeof err) < 0) {
				s_set_fault(p, err);
				break;
			}
	}
	s_catch_up(p, true);
	int64_t now = clock_mono_ns();
	double wall = clock_wall();
	for (int i = 0; i < EDGE_INPUTS; i++) {
		if (!p->in[i].enabled)
			continue;
		p->in[i].shown = p->in[i].counted; /* nothing is saved: every pulse shows */
		json_t *o = input_json(&p->in[i], now);
		json_object_set_new(o, "ts", json_real(wall));
		char *text = json_dumps(o, MSG_JSON_FLAGS);
		json_decref(o);
		if (text)
			fprintf(out, "%s\n", text);
		free(text);
	}
	fflush(out);
	bool bad = fault_active(&p->source_fault) || (p->file && source_file_bad_lines(p->file)) || p->edges_backwards;
	return bad ? 1 : 0;
}
