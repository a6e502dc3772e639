/* ctcheck: see ctcheck.h. */
#include "ctcheck.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const s_names[] = {
	[CTCHECK_JUDGING] = "judging",
	[CTCHECK_OK] = "ok",
	[CTCHECK_IDLE] = "idle",
	[CTCHECK_NO_VOLTAGE] = "no_voltage",
	[CTCHECK_NO_CT] = "no_ct",
	[CTCHECK_REVERSED] = "reversed",
	[CTCHECK_WRONG_PHASE] = "wrong_phase",
	[CTCHECK_L1_L2_L3] = "L1-L2-L3",
	[CTCHECK_L1_L3_L2] = "L1-L3-L2",
	[CTCHECK_SPLIT_PHASE] = "split_phase",
	[CTCHECK_UNKNOWN_ROTATION] = "unknown",
};

const char *ctcheck_name(enum ctcheck_verdict v)
{
	return s_names[v];
}

enum ctcheck_verdict ctcheck_verdict(const struct ctcheck *c, int phase)
{
	return c->phase[phase].shown;
}

/* deg into (-180, 180] */
static double s_wrap(double deg)
{
	deg = fmod(deg, 360.0);
	if (deg > 180)
		deg -= 360;
	else if (deg <= -180)
		deg += 360;
	return deg;
}

/* Counts one more second of a judgement; true when the shown verdict changed. */
static bool s_hold(struct ctcheck_item *it, enum ctcheck_verdict v, const char *why)
{
	if (v == it->pending)
		it->pending_s++;
	else {
		it->pending = v;
		it->pending_s = 1;
	}
	bool changed = false;
	if (it->pending_s >= CTCHECK_HOLD_S && it->shown != v) {
		it->shown = v;
		changed = true;
	}
	if (it->shown == v)
		snprintf(it->why, sizeof it->why, "%s", why);
	return changed;
}

static enum ctcheck_verdict s_rotation(const struct meter_reading *r, const bool vpres[3], char *why, size_t len)
{
	for (int p = 0; p < r->phases; p++)
		if (!vpres[p]) {
			snprintf(why, len, "no voltage on L%d", p + 1);
			return CTCHECK_UNKNOWN_ROTATION;
		}
	double a2 = r->A[1], a3 = r->A[2], tol = CTCHECK_ROTATION_TOL_DEG;
	if (r->phases == 2) {
		snprintf(why, len, "A2 %.0f°", a2);
		return fabs(s_wrap(a2 - 180)) <= tol ? CTCHECK_SPLIT_PHASE : CTCHECK_UNKNOWN_ROTATION;
	}
	snprintf(why, len, "A2 %.0f°, A3 %.0f°", a2, a3);
	if (fabs(s_wrap(a2 - 120)) <= tol && fabs(s_wrap(a3 - 240)) <= tol)
		return CTCHECK_L1_L2_L3;
	if (fabs(s_wrap(a2 - 240)) <= tol && fabs(s_wrap(a3 - 120)) <= tol) {
		snprintf(why, len, "A2 %.0f°, A3 %.0f°: the V2 and V3 leads are swapped, or the supply turns L1-L3-L2", a2,
			 a3);
		return CTCHECK_L1_L3_L2;
	}
	snprintf(why, len, "A2 %.0f°, A3 %.0f°: neither L1-L2-L3 (120°, 240°) nor L1-L3-L2", a2, a3);
	return CTCHECK_UNKNOWN_ROTATION;
}

/* The phase (1..3) whose voltage is about `behind` degrees behind phase
 * p's, 0 when none is within the rotation tolerance. */
static int s_phase_behind(const struct meter_reading *r, int p, double behind)
{
	for (int q = 0; q < 3; q++)
		if (q != p && fabs(s_wrap(r->A[q] - r->A[p] - behind)) <= CTCHECK_ROTATION_TOL_DEG)
			return q + 1;
	return 0;
}

static enum ctcheck_verdict s_phase(const struct meter_reading *r, const struct ctcheck_meter *m, int p,
				    const bool vpres[3], double vmax, char *why, size_t len)
{
	if (!vpres[p]) {
		if (r->I[p] > 0)
			snprintf(why, len, "%.1f V while L%d carries %.1f A (the meter's highest phase reads %.1f V): the voltage lead is not connected",
				 r->V[p], p + 1, r->I[p], vmax);
		else
			snprintf(why, len, "%.1f V (the meter's highest phase reads %.1f V): the voltage lead is not connected",
				 r->V[p], vmax);
		return CTCHECK_NO_VOLTAGE;
	}
	if (r->I[p] <= 0) {
		int loaded = 0;
		for (int q = 0; q < m->phases; q++)
			if (q != p && r->I[q] >= CTCHECK_LOADED_FRACTION * m->ct_rating_a &&
			    (!loaded || r->I[q] > r->I[loaded - 1]))
				loaded = q + 1;
		if (!loaded) {
			snprintf(why, len, "no current on the meter: nothing to judge");
			return CTCHECK_IDLE;
		}
		snprintf(why, len, "%.0f V but no current while L%d carries %.1f A: the CT is missing or not plugged in (or L%d is idle)",
			 r->V[p], loaded, r->I[loaded - 1], p + 1);
		return CTCHECK_NO_CT;
	}
	double phi = atan2(r->Q[p], r->P[p]) * 180 / M_PI; /* + when the current lags */
	char side[32] = "in phase with"; /* "26° behind" */
	if (fabs(phi) >= 0.5)
		snprintf(side, sizeof side, "%.0f° %s", fabs(phi), phi > 0 ? "behind" : "ahead of");
	if (m->may_export) {
		double folded = fabs(phi) > 90 ? s_wrap(phi - 180) : phi; /* export turns it by 180° */
		if (fabs(folded) <= CTCHECK_EXPORT_OK_DEG) {
			snprintf(why, len, "current %s its voltage (%s)", side,
				 r->P[p] >= 0 ? "import" : "export");
			return CTCHECK_OK;
		}
		snprintf(why, len, "current %s its voltage, %.0f° from import or export: the CT is on another phase's cable (or the load's PF is below 0.7)",
			 side, fabs(folded));
		return CTCHECK_WRONG_PHASE;
	}
	if (fabs(phi) <= CTCHECK_OK_DEG) {
		snprintf(why, len, "current %s its voltage (PF %.2f)", side, cos(phi * M_PI / 180));
		return CTCHECK_OK;
	}
	if (fabs(phi) >= CTCHECK_REVERSED_DEG) {
		snprintf(why, len, "current %.0f° from its voltage, reading export on a consumable meter: the CT is clipped on backwards",
			 fabs(phi));
		return CTCHECK_REVERSED;
	}
	/* lagging ~120°: the current of the phase whose voltage is 120°
	 * behind this one; leading: of the one 120° ahead */
	int q = m->phases == 3 ? s_phase_behind(r, p, phi > 0 ? 120 : -120) : 0;
	char whose[32] = "another phase's";
	if (q)
		snprintf(whose, sizeof whose, "L%d's", q);
	snprintf(why, len, "current %s its voltage (about 120°): the CT carries %s current, not L%d's", side, whose,
		 p + 1);
	return CTCHECK_WRONG_PHASE;
}

bool ctcheck_update(struct ctcheck *c, const struct meter_reading *r, const struct ctcheck_meter *m)
{
	double vmax = 0;
	for (int p = 0; p < m->phases; p++)
		vmax = fmax(vmax, r->V[p]);
	bool vpres[3] = { false };
	for (int p = 0; p < m->phases; p++)
		vpres[p] = vmax >= CTCHECK_VOLTAGE_MIN_V && r->V[p] >= 0.5 * vmax;
	char why[200];
	bool changed = false;
	for (int p = 0; p < m->phases; p++) {
		enum ctcheck_verdict v = s_phase(r, m, p, vpres, vmax, why, sizeof why);
		changed |= s_hold(&c->phase[p], v, why);
	}
	for (int p = m->phases; p < 3; p++)
		c->phase[p] = (struct ctcheck_item){ 0 };
	if (m->phases > 1) {
		enum ctcheck_verdict v = s_rotation(r, vpres, why, sizeof why);
		changed |= s_hold(&c->rotation, v, why);
	} else {
		c->rotation = (struct ctcheck_item){ 0 };
	}
	return changed;
}

#define S_STR(x) #x
#define S_XSTR(x) S_STR(x)

static const char *s_why(const struct ctcheck_item *it)
{
	return it->shown == CTCHECK_JUDGING ? "judging: a verdict is shown once it has held " S_XSTR(CTCHECK_HOLD_S) " s"
					    : it->why;
}

void ctcheck_json(const struct ctcheck *c, int meter, int phases, json_t *list)
{
	if (phases > 1) {
		enum ctcheck_verdict v = c->rotation.shown;
		const char *verdict = v == CTCHECK_L1_L2_L3 || v == CTCHECK_SPLIT_PHASE ? "ok"
				      : v == CTCHECK_L1_L3_L2			   ? "rotation_reversed"
									   : ctcheck_name(v);
		json_array_append_new(list, json_pack("{s:i,s:i,s:s,s:s,s:s}", "meter", meter, "phase", 0, "verdict",
						      verdict, "rotation", ctcheck_name(v), "why", s_why(&c->rotation)));
	}
	for (int p = 0; p < phases; p++)
		json_array_append_new(list, json_pack("{s:i,s:i,s:s,s:s}", "meter", meter, "phase", p + 1, "verdict",
						      ctcheck_name(c->phase[p].shown), "why", s_why(&c->phase[p])));
}
