/* rule: see rule.h. */
#include "rule.h"

#include <math.h>
#include <string.h>

void rule_init(struct rule *r, const struct rule_limits *lim)
{
	memset(r, 0, sizeof *r);
	r->lim = *lim;
	r->inside_since_ms = -1;
}

void rule_set_limits(struct rule *r, const struct rule_limits *lim)
{
	r->lim = *lim;
}

bool rule_outside(const struct rule_limits *lim, double value, bool *high, double *limit)
{
	if (isnan(value))
		return false;
	if (lim->has_high && value > lim->high) {
		*high = true;
		*limit = lim->high;
		return true;
	}
	if (lim->has_low && value < lim->low) {
		*high = false;
		*limit = lim->low;
		return true;
	}
	return false;
}

enum rule_event rule_step(struct rule *r, bool have, double value, int64_t now_ms)
{
	bool high = false;
	double limit = 0;
	bool outside = have && rule_outside(&r->lim, value, &high, &limit);
	if (outside) {
		r->value = value;
		r->high = high;
		r->limit = limit;
	}
	if (!r->raised) {
		if (!outside)
			return RULE_NONE;
		r->raised = true;
		r->raised_ms = now_ms;
		r->last_sent_ms = now_ms;
		r->inside_since_ms = -1;
		r->events++;
		return RULE_RAISED;
	}
	if (outside || !have) {
		r->inside_since_ms = -1;
	} else {
		if (r->inside_since_ms < 0)
			r->inside_since_ms = now_ms;
		if (now_ms - r->inside_since_ms >= r->lim.recovery_ms) {
			r->raised = false;
			r->inside_since_ms = -1;
			r->value = value;
			r->events++;
			return RULE_RECOVERED;
		}
	}
	/* reminders only while the alarm lasts: not while it is waiting out
	 * its recovery time inside the limits */
	if (r->lim.reminder_ms > 0 && r->inside_since_ms < 0 && now_ms - r->last_sent_ms >= r->lim.reminder_ms) {
		r->last_sent_ms = now_ms;
		r->events++;
		return RULE_REMINDED;
	}
	return RULE_NONE;
}

const char *rule_event_name(enum rule_event e)
{
	switch (e) {
	case RULE_NONE: return "";
	case RULE_RAISED: return "raised";
	case RULE_REMINDED: return "reminded";
	case RULE_RECOVERED: return "recovered";
	case RULE_REMOVED: return "removed";
	}
	return "";
}
