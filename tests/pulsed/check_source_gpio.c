/* check_source_gpio: the gpio source end to end, from the line-request
 * boundary on.  This machine has no gpio-sim (no configfs, no modprobe),
 * so a test double replaces libgpiod's calls only (struct gpio_ops): each
 * fake line is a pipe whose reader is the "event descriptor", and the test
 * writes kernel-style events (timestamp, rising/falling) into it.  From
 * there on it is pulsed's own code: source_gpio reads the events, the edge
 * path debounces and counts, pulsed_once prints pulse/<n>. */
#include <check.h>

#include "pulsed.h"

#include "../common/scratch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MS 1000000LL

struct fake_line {
	int pipe[2];
	unsigned offset;
	bool pull_up;
	int value;
	bool released;
};

static struct fake {
	bool chip_missing;
	int chip_closed;
	unsigned busy_offset; /* request of this offset fails with EBUSY; 0: none */
	struct fake_line lines[64];
	int nlines;
	int initial_value; /* what line_value says for every line */
} s_fake;

static void *s_chip_open(const char *name)
{
	if (s_fake.chip_missing || strcmp(name, "gpiochip7")) {
		errno = ENOENT;
		return NULL;
	}
	return &s_fake;
}

static void s_chip_close(void *chip)
{
	ck_assert_ptr_eq(chip, &s_fake);
	s_fake.chip_closed++;
}

static void *s_line_request(void *chip, unsigned offset, const char *consumer, bool pull_up)
{
	ck_assert_ptr_eq(chip, &s_fake);
	ck_assert_str_eq(consumer, "pulsed");
	if (offset == s_fake.busy_offset) {
		errno = EBUSY;
		return NULL;
	}
	struct fake_line *l = &s_fake.lines[s_fake.nlines++];
	*l = (struct fake_line){ .offset = offset, .pull_up = pull_up, .value = s_fake.initial_value };
	ck_assert_int_eq(pipe(l->pipe), 0);
	return l;
}

static void s_line_release(void *line)
{
	struct fake_line *l = line;
	close(l->pipe[0]);
	close(l->pipe[1]);
	l->released = true;
}

static int s_line_value(void *line)
{
	return ((struct fake_line *)line)->value;
}

static int s_line_fd(void *line)
{
	return ((struct fake_line *)line)->pipe[0];
}

static int s_line_read(void *line, struct gpio_event *ev)
{
	ssize_t n = read(((struct fake_line *)line)->pipe[0], ev, sizeof *ev);
	return n == (ssize_t)sizeof *ev ? 0 : -1;
}

static const struct gpio_ops s_ops = {
	s_chip_open, s_chip_close, s_line_request, s_line_release, s_line_value, s_line_fd, s_line_read,
};

static struct fake_line *s_line(unsigned offset)
{
	for (int i = 0; i < s_fake.nlines; i++)
		if (s_fake.lines[i].offset == offset)
			return &s_fake.lines[i];
	ck_abort_msg("line %u was not requested", offset);
	return NULL;
}

static void s_event(unsigned offset, int64_t ms, bool rising)
{
	struct gpio_event ev;
	memset(&ev, 0, sizeof ev); /* the padding goes through the pipe too */
	ev.ts_ns = ms * MS;
	ev.rising = rising;
	ck_assert_int_eq(write(s_line(offset)->pipe[1], &ev, sizeof ev), (ssize_t)sizeof ev);
}

static char *s_dir;

static void s_setup(void)
{
	memset(&s_fake, 0, sizeof s_fake);
	s_dir = scratch_dir_new("check-gpio");
	char *run = scratch_path(s_dir, "run"), *data = scratch_path(s_dir, "data");
	setenv("ENISCOPE_RUNDIR", run, 1);
	setenv("ENISCOPE_DATA", data, 1);
	free(run);
	free(data);
}

static void s_teardown(void)
{
	scratch_dir_remove(s_dir);
	s_dir = NULL;
}

static struct config *s_config(const char *json)
{
	json_error_t jerr;
	json_t *doc = json_loads(json, 0, &jerr);
	ck_assert_msg(doc, "%s", jerr.text);
	json_t *errors = NULL;
	struct config *cfg = config_from_json(doc, &errors);
	ck_assert_msg(cfg, "config refused");
	json_decref(doc);
	return cfg;
}

/* Runs pulsed_once over the fake chip; the printed lines are parsed into
 * counts[0..7] (-1 for inputs not printed).  Returns pulsed_once's code. */
static int s_once(struct pulsed *p, struct config *cfg, long long counts[8])
{
	char *out_path = scratch_path(s_dir, "out");
	FILE *out = fopen(out_path, "w+");
	ck_assert_ptr_nonnull(out);
	int rc = pulsed_once(p, cfg, out);
	rewind(out);
	for (int i = 0; i < 8; i++)
		counts[i] = -1;
	char line[1024];
	while (fgets(line, sizeof line, out)) {
		json_t *o = json_loads(line, 0, NULL);
		ck_assert_ptr_nonnull(o);
		int n = (int)json_integer_value(json_object_get(o, "n"));
		ck_assert(n >= 1 && n <= 8);
		counts[n - 1] = json_integer_value(json_object_get(o, "count"));
		json_decref(o);
	}
	fclose(out);
	free(out_path);
	return rc;
}

static const char s_conf[] = "{\"pulse_input\":{\"source\":\"gpio\",\"gpio_chip\":\"gpiochip7\"},"
			     "\"pulses\":[{\"id\":1,\"enabled\":true,\"gpio_line\":17},"
			     "{\"id\":3,\"enabled\":true,\"gpio_line\":22,\"min_pulse_ms\":50,\"min_open_ms\":5}]}";

START_TEST(test_events_counted_through_the_real_edge_path)
{
	struct config *cfg = s_config(s_conf);
	struct pulsed p;
	ck_assert_int_eq(pulsed_init(&p, &s_ops), 0);
	s_fake.initial_value = 1; /* pulled up: open */
	long long c[8];
	/* apply requests the lines; the first once has no events */
	ck_assert_int_eq(s_once(&p, cfg, c), 0);
	ck_assert_int_eq(s_fake.nlines, 2);
	ck_assert(s_line(17)->pull_up && s_line(22)->pull_up);
	ck_assert(c[0] == 0 && c[2] == 0 && c[1] == -1);

	/* line 17 (input 1, min 100 ms): bounce then 150 ms closed = 1 pulse;
	 * then 60 ms closed = too short.  Active low: falling = closing. */
	s_event(17, 1000, false);
	s_event(17, 1001, true);
	s_event(17, 1002, false);
	s_event(17, 1152, true);
	s_event(17, 2000, false);
	s_event(17, 2060, true);
	/* line 22 (input 3, min 50 ms, min open 5 ms): three 60 ms pulses,
	 * the last 10 ms after the second (chatter for input 1's default) */
	s_event(22, 1000, false);
	s_event(22, 1060, true);
	s_event(22, 3000, false);
	s_event(22, 3060, true);
	s_event(22, 3070, false);
	s_event(22, 3130, true);
	ck_assert_int_eq(s_once(&p, cfg, c), 0);
	ck_assert_int_eq(c[0], 1);
	ck_assert_int_eq(c[2], 3);
	ck_assert_uint_eq(p.in[0].db.short_closures, 1); /* the 60 ms pulse; the bounce is chatter in a closure */

	pulsed_fini(&p);
	ck_assert(s_line(17)->released && s_line(22)->released);
	ck_assert_int_eq(s_fake.chip_closed, 1);
	config_destroy(&cfg);
}
END_TEST

START_TEST(test_contact_closed_at_start_is_not_counted_twice)
{
	struct config *cfg = s_config(s_conf);
	struct pulsed p;
	ck_assert_int_eq(pulsed_init(&p, &s_ops), 0);
	s_fake.initial_value = 0; /* active low: closed when the daemon starts */
	long long c[8];
	ck_assert_int_eq(s_once(&p, cfg, c), 0);
	s_event(17, 5000, true); /* opens: the closure began before us */
	s_event(17, 6000, false);
	s_event(17, 6200, true);
	ck_assert_int_eq(s_once(&p, cfg, c), 0);
	ck_assert_int_eq(c[0], 1);
	pulsed_fini(&p);
	config_destroy(&cfg);
}
END_TEST

START_TEST(test_active_high_inverts)
{
	struct config *cfg = s_config("{\"pulse_input\":{\"source\":\"gpio\",\"gpio_chip\":\"gpiochip7\",\"active_low\":false},"
				      "\"pulses\":[{\"id\":2,\"enabled\":true,\"gpio_line\":5}]}");
	struct pulsed p;
	ck_assert_int_eq(pulsed_init(&p, &s_ops), 0);
	long long c[8];
	ck_assert_int_eq(s_once(&p, cfg, c), 0);
	ck_assert(!s_line(5)->pull_up);
	s_event(5, 1000, true); /* rising = closing */
	s_event(5, 1300, false);
	s_event(5, 2000, false); /* repeated level: nothing */
	ck_assert_int_eq(s_once(&p, cfg, c), 0);
	ck_assert_int_eq(c[1], 1);
	pulsed_fini(&p);
	config_destroy(&cfg);
}
END_TEST

START_TEST(test_missing_chip_and_busy_line_are_faults)
{
	struct config *cfg = s_config(s_conf);
	struct pulsed p;
	ck_assert_int_eq(pulsed_init(&p, &s_ops), 0);
	s_fake.chip_missing = true;
	long long c[8];
	ck_assert_int_eq(s_once(&p, cfg, c), 1);
	ck_assert_msg(strstr(p.source_fault.why, "gpiochip7"), "%s", p.source_fault.why);
	ck_assert_int_eq(c[0], 0); /* the counts are still printed */
	pulsed_fini(&p);

	memset(&s_fake, 0, sizeof s_fake);
	s_fake.busy_offset = 22;
	ck_assert_int_eq(pulsed_init(&p, &s_ops), 0);
	ck_assert_int_eq(s_once(&p, cfg, c), 1);
	ck_assert_msg(strstr(p.source_fault.why, "line 22") && strstr(p.source_fault.why, "pulse input 3"), "%s",
		      p.source_fault.why);
	ck_assert(s_line(17)->released); /* the lines already requested are given back */
	ck_assert_int_eq(s_fake.chip_closed, 1);
	pulsed_fini(&p);
	config_destroy(&cfg);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("source_gpio");
	TCase *tc = tcase_create("fake-lines");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, test_events_counted_through_the_real_edge_path);
	tcase_add_test(tc, test_contact_closed_at_start_is_not_counted_twice);
	tcase_add_test(tc, test_active_high_inverts);
	tcase_add_test(tc, test_missing_chip_and_busy_line_are_faults);
	suite_add_tcase(s, tc);
	return s;
}
