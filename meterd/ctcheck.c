/* ctcheck: see ctcheck.h. */
#include "ctcheck.h"

bool ctcheck_flagged(const struct ctcheck *c, int phase)
{
	return c->export_s[phase] >= CTCHECK_EXPORT_S;
}

bool ctcheck_update(struct ctcheck *c, const struct meter_reading *r, bool consumable)
{
	bool changed = false;
	for (int p = 0; p < 3; p++) {
		bool before = ctcheck_flagged(c, p);
		if (consumable && p < r->phases && r->P[p] < 0)
			c->export_s[p] += c->export_s[p] < CTCHECK_EXPORT_S;
		else
			c->export_s[p] = 0;
		changed |= before != ctcheck_flagged(c, p);
	}
	return changed;
}
