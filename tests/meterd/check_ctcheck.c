/* check_ctcheck: the wiring check (ctcheck.h).  Replay files of each
 * wiring fault and of a correct wiring, played through the replay source
 * and the engine as meterd plays them, each judged until its verdicts
 * hold: rotation from A2/A3, a CT clipped on backwards, a CT on another
 * phase's cable, a phase with voltage but no CT, a voltage lead missing,
 * an idle meter, export on meters that may export.  Then the hold rule on
 * readings made by hand. */
#include <check.h>

#include "ctcheck.h"
#include "engine.h"
#include "source_replay.h"

#include "../common/scratch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 4000
#define RATING 100.0
#define DEG (M_PI / 180.0)

/* A wiring: per phase p, the voltage (rms, angle) and the load's current
 * (rms, lagging its own voltage by theta); per CT p, the phase whose
 * current it carries (0 none) and its sense (-1: clipped on backwards). */
struct wiring {
	const char *name;
	int phases;
	bool may_export;
	double v[3], v_deg[3];
	double i[3], theta[3];
	int ct_on[3];
	int sense[3];
	/* expected */
	const char *verdict[3];
	const char *why[3]; /* a piece of each phase's reason, or NULL */
	const char *rotation;
};

#define L123 { 0, -120, 120 }
#define L132 { 0, 120, -120 }
#define V230 { 230, 230, 230 }
#define STRAIGHT { 1, 2, 3 }
#define SENSE { 1, 1, 1 }

static const struct wiring s_wirings[] = {
	{ "correct, PF 0.9 lagging", 3, false, V230, L123, { 40, 30, 20 }, { 25.8, 25.8, 25.8 }, STRAIGHT, SENSE,
	  { "ok", "ok", "ok" }, { "26° behind", NULL, NULL }, "L1-L2-L3" },
	{ "correct, PF 0.6 lagging", 3, false, V230, L123, { 40, 30, 20 }, { 53.1, 53.1, 53.1 }, STRAIGHT, SENSE,
	  { "ok", "ok", "ok" }, { "PF 0.60", NULL, NULL }, "L1-L2-L3" },
	{ "CT2 clipped on backwards", 3, false, V230, L123, { 40, 30, 20 }, { 20, 20, 20 }, STRAIGHT, { 1, -1, 1 },
	  { "ok", "reversed", "ok" }, { NULL, "backwards", NULL }, "L1-L2-L3" },
	{ "CT1 and CT2 swapped", 3, false, V230, L123, { 40, 30, 20 }, { 20, 20, 20 }, { 2, 1, 3 }, SENSE,
	  { "wrong_phase", "wrong_phase", "ok" }, { "L2's current, not L1's", "L1's current, not L2's", NULL },
	  "L1-L2-L3" },
	{ "CT1 on L2's cable (PF 1: P1 reads -0.5 V I)", 3, false, V230, L123, { 40, 30, 20 }, { 0, 0, 0 }, { 2, 2, 3 },
	  SENSE, { "wrong_phase", "ok", "ok" }, { "120° behind", NULL, NULL }, "L1-L2-L3" },
	{ "CT3 on L1's cable", 3, false, V230, L123, { 40, 30, 20 }, { 10, 10, 10 }, { 1, 2, 1 }, SENSE,
	  { "ok", "ok", "wrong_phase" }, { NULL, NULL, "130° behind its voltage (about 120°): the CT carries L1's" },
	  "L1-L2-L3" },
	{ "V2 and V3 leads swapped", 3, false, V230, L132, { 40, 30, 20 }, { 20, 20, 20 }, STRAIGHT, SENSE,
	  { "ok", "ok", "ok" }, { NULL, NULL, NULL }, "L1-L3-L2" },
	{ "voltage but no CT on L3", 3, false, V230, L123, { 40, 30, 20 }, { 20, 20, 20 }, { 1, 2, 0 }, SENSE,
	  { "ok", "ok", "no_ct" }, { NULL, NULL, "while L1 carries 40.0 A" }, "L1-L2-L3" },
	{ "no voltage on L2", 3, false, { 230, 0, 230 }, L123, { 40, 30, 20 }, { 20, 20, 20 }, STRAIGHT, SENSE,
	  { "ok", "no_voltage", "ok" }, { NULL, "carries 30.0 A", NULL }, "unknown" },
	{ "idle meter", 3, false, V230, L123, { 0, 0, 0 }, { 0, 0, 0 }, STRAIGHT, SENSE, { "idle", "idle", "idle" },
	  { "nothing to judge", NULL, NULL }, "L1-L2-L3" },
	{ "renewable exporting, correct", 3, true, V230, L123, { 40, 40, 40 }, { 175, 175, 175 }, STRAIGHT, SENSE,
	  { "ok", "ok", "ok" }, { "(export)", NULL, NULL }, "L1-L2-L3" },
	{ "renewable exporting, CT3 on L1's cable", 3, true, V230, L123, { 40, 40, 40 }, { 180, 180, 180 }, { 1, 2, 1 },
	  SENSE, { "ok", "ok", "wrong_phase" }, { NULL, NULL, "another phase's cable" }, "L1-L2-L3" },
	{ "grid meter, a CT clipped on backwards reads as export", 3, true, V230, L123, { 40, 30, 20 }, { 20, 20, 20 },
	  STRAIGHT, { -1, 1, 1 }, { "ok", "ok", "ok" }, { "(export)", "(import)", NULL }, "L1-L2-L3" },
	{ "LN, CT clipped on backwards", 1, false, { 230, 0, 0 }, L123, { 15, 0, 0 }, { 10, 0, 0 }, { 1, 0, 0 },
	  { -1, 1, 1 }, { "reversed", NULL, NULL }, { NULL, NULL, NULL }, NULL },
	{ "2LN split phase, correct", 2, false, { 120, 120, 0 }, { 0, 180, 0 }, { 30, 20, 0 }, { 15, 15, 0 }, { 1, 2, 0 },
	  SENSE, { "ok", "ok", NULL }, { NULL, NULL, NULL }, "split_phase" },
};
#define NWIRINGS ((int)(sizeof s_wirings / sizeof s_wirings[0]))

/* One second (50 whole cycles, so the file loops without a seam) of the
 * wiring as a replay file: V1..V3 and CT1_1..CT1_3. */
static void s_write_replay(const char *path, const struct wiring *w)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "# rate=%d\nV1,V2,V3,CT1_1,CT1_2,CT1_3\n", RATE);
	for (int n = 0; n < RATE; n++) {
		double wt = 2 * M_PI * 50.0 * n / RATE, v[3], i[3];
		for (int p = 0; p < 3; p++) {
			v[p] = w->v[p] * M_SQRT2 * cos(wt + w->v_deg[p] * DEG);
			i[p] = w->i[p] * M_SQRT2 * cos(wt + (w->v_deg[p] - w->theta[p]) * DEG);
		}
		fprintf(f, "%.3f,%.3f,%.3f", v[0], v[1], v[2]);
		for (int k = 0; k < 3; k++) {
			double a = w->ct_on[k] ? w->sense[k] * i[w->ct_on[k] - 1] : 0;
			fprintf(f, ",%.7f", a * ENGINE_CT_FULL_SCALE_V / RATING);
		}
		fputc('\n', f);
	}
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(each_wiring_is_judged_from_its_replay_file)
{
	const struct wiring *w = &s_wirings[_i];
	char *dir = scratch_dir_new("check-ctcheck");
	char *path = scratch_path(dir, "wiring.csv");
	s_write_replay(path, w);
	char err[512];
	struct replay *rp = replay_open(path, err, sizeof err);
	ck_assert_msg(rp, "%s", err);
	struct engine_cfg ec = { .rate_hz = replay_rate(rp), .v_gain = { 1, 1, 1 } };
	ec.meter[0] = (struct engine_meter_cfg){ .enabled = true, .ct_input = 1, .phases = w->phases,
						 .ct_rating_a = RATING, .voltage_scale = 1, .ct_gain = { 1, 1, 1 } };
	struct engine *e = engine_new(&ec);
	const struct ctcheck_meter cm = { .phases = w->phases, .may_export = w->may_export, .ct_rating_a = RATING };
	struct ctcheck c;
	memset(&c, 0, sizeof c);
	float frames[1000 * ENGINE_CHANNELS];
	struct meter_reading r = { 0 };
	int seconds = 0, changes = 0;
	while (seconds < CTCHECK_HOLD_S + 3) {
		long n = replay_read(rp, frames, 1000, err, sizeof err);
		ck_assert_msg(n >= 0, "%s", err);
		if (n == 0) {
			ck_assert_int_eq(replay_rewind(rp, err, sizeof err), 0);
			continue;
		}
		for (size_t off = 0; off < (size_t)n;) {
			bool done;
			off += engine_feed(e, frames + off * ENGINE_CHANNELS, (size_t)n - off, &done);
			if (!done)
				continue;
			engine_reading(e, 0, &r);
			changes += ctcheck_update(&c, &r, &cm);
			seconds++;
			if (seconds < CTCHECK_HOLD_S)
				ck_assert_str_eq(ctcheck_name(ctcheck_verdict(&c, 0)), "judging");
		}
	}
	ck_assert_msg(changes > 0, "%s: no verdict was ever shown", w->name);
	json_t *o = json_array();
	ctcheck_json(&c, 3, w->phases, o);
	char *text = json_dumps(o, JSON_COMPACT);
	size_t first = w->phases > 1; /* the voltages' entry, phase 0 */
	ck_assert_int_eq(json_array_size(o), first + (size_t)w->phases);
	for (int p = 0; p < w->phases; p++) {
		json_t *ph = json_array_get(o, first + (size_t)p);
		const char *verdict = json_string_value(json_object_get(ph, "verdict"));
		const char *why = json_string_value(json_object_get(ph, "why"));
		ck_assert_int_eq(json_integer_value(json_object_get(ph, "meter")), 3);
		ck_assert_int_eq(json_integer_value(json_object_get(ph, "phase")), p + 1);
		ck_assert_msg(!strcmp(verdict, w->verdict[p]), "%s: L%d is %s (%s), expected %s", w->name, p + 1, verdict,
			      why, w->verdict[p]);
		ck_assert_msg(!w->why[p] || strstr(why, w->why[p]), "%s: L%d's reason \"%s\" lacks \"%s\"", w->name, p + 1,
			      why, w->why[p]);
	}
	if (w->rotation) {
		json_t *v = json_array_get(o, 0);
		ck_assert_int_eq(json_integer_value(json_object_get(v, "phase")), 0);
		ck_assert_msg(!strcmp(json_string_value(json_object_get(v, "rotation")), w->rotation), "%s: rotation %s",
			      w->name, text);
		const char *verdict = json_string_value(json_object_get(v, "verdict"));
		bool ok = !strcmp(w->rotation, "L1-L2-L3") || !strcmp(w->rotation, "split_phase");
		ck_assert_msg(!strcmp(verdict, ok ? "ok" : !strcmp(w->rotation, "L1-L3-L2") ? "rotation_reversed" : w->rotation),
			      "%s: the voltages' verdict %s", w->name, verdict);
	}
	printf("ctcheck: %-50s %s\n", w->name, text);
	/* a CT on another phase's cable at PF 1 reads about -0.5 V I */
	if (w->ct_on[0] == 2 && w->theta[0] == 0)
		ck_assert_msg(fabs(r.P[0] / (r.V[0] * r.I[0]) + 0.5) < 0.01, "P1 %g W for %g V, %g A", r.P[0], r.V[0],
			      r.I[0]);
	free(text);
	json_decref(o);
	engine_destroy(&e);
	replay_destroy(&rp);
	free(path);
	scratch_dir_remove(dir);
}
END_TEST

/* A reading by hand: 3LN, L1-L2-L3, 230 V, phase 2 at angle phi2. */
static struct meter_reading s_reading(double phi2)
{
	struct meter_reading r = { .phases = 3, .V = { 230, 230, 230 }, .A = { 0, 120, 240 } };
	for (int p = 0; p < 3; p++) {
		double phi = (p == 1 ? phi2 : 20) * DEG;
		r.I[p] = 10;
		r.S[p] = 2300;
		r.P[p] = 2300 * cos(phi);
		r.Q[p] = 2300 * sin(phi);
	}
	return r;
}

START_TEST(a_verdict_shows_once_it_has_held_and_a_moment_changes_nothing)
{
	const struct ctcheck_meter cm = { .phases = 3, .may_export = false, .ct_rating_a = RATING };
	struct ctcheck c;
	memset(&c, 0, sizeof c);
	struct meter_reading good = s_reading(20), reversed = s_reading(-170);
	for (int s = 1; s < CTCHECK_HOLD_S; s++) {
		ck_assert(!ctcheck_update(&c, &good, &cm));
		ck_assert_int_eq(ctcheck_verdict(&c, 1), CTCHECK_JUDGING);
	}
	ck_assert(ctcheck_update(&c, &good, &cm)); /* the status is republished */
	ck_assert_int_eq(ctcheck_verdict(&c, 1), CTCHECK_OK);
	/* a few seconds of something else do not change what is shown */
	for (int s = 1; s < CTCHECK_HOLD_S; s++)
		ck_assert(!ctcheck_update(&c, &reversed, &cm));
	ck_assert(!ctcheck_update(&c, &good, &cm));
	ck_assert_int_eq(ctcheck_verdict(&c, 1), CTCHECK_OK);
	for (int s = 1; s < CTCHECK_HOLD_S; s++)
		ctcheck_update(&c, &reversed, &cm);
	ck_assert(ctcheck_update(&c, &reversed, &cm));
	ck_assert_int_eq(ctcheck_verdict(&c, 1), CTCHECK_REVERSED);
	ck_assert_int_eq(ctcheck_verdict(&c, 0), CTCHECK_OK);
	ck_assert_msg(strstr(c.phase[1].why, "170°"), "%s", c.phase[1].why);
}
END_TEST

/* The sectors' edges (ctcheck.h): 60° and 150° for a consumable meter,
 * 45° either way of import or export for one that may export. */
static const struct {
	double phi;
	bool may_export;
	enum ctcheck_verdict want;
} s_edges[] = {
	{ 60, false, CTCHECK_OK },	    { -60, false, CTCHECK_OK },	   { 61, false, CTCHECK_WRONG_PHASE },
	{ -61, false, CTCHECK_WRONG_PHASE }, { 149, false, CTCHECK_WRONG_PHASE }, { 150, false, CTCHECK_REVERSED },
	{ -150, false, CTCHECK_REVERSED },   { 180, false, CTCHECK_REVERSED },	   { 45, true, CTCHECK_OK },
	{ 135, true, CTCHECK_OK },	    { -180, true, CTCHECK_OK },	   { 46, true, CTCHECK_WRONG_PHASE },
	{ -120, true, CTCHECK_WRONG_PHASE },
};

START_TEST(the_sectors_edges)
{
	const struct ctcheck_meter cm = { .phases = 3, .may_export = s_edges[_i].may_export, .ct_rating_a = RATING };
	struct ctcheck c;
	memset(&c, 0, sizeof c);
	struct meter_reading r = s_reading(s_edges[_i].phi);
	for (int s = 0; s < CTCHECK_HOLD_S; s++)
		ctcheck_update(&c, &r, &cm);
	ck_assert_msg(ctcheck_verdict(&c, 1) == s_edges[_i].want, "phi %g (may export %d): %s (%s)", s_edges[_i].phi,
		      s_edges[_i].may_export, ctcheck_name(ctcheck_verdict(&c, 1)), c.phase[1].why);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("ctcheck");
	TCase *tc = tcase_create("wiring");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, each_wiring_is_judged_from_its_replay_file, 0, NWIRINGS);
	tcase_add_test(tc, a_verdict_shows_once_it_has_held_and_a_moment_changes_nothing);
	tcase_add_loop_test(tc, the_sectors_edges, 0, sizeof s_edges / sizeof s_edges[0]);
	suite_add_tcase(s, tc);
	return s;
}
