/* rule: one alarm's state machine, as a pure function of the values it is
 * shown and the time, so the manual's behaviour is one table-tested place
 * (the manual, "Alarms": "600s before alarm recovers (once returned to
 * normal state) and 3600s before reminder email if alarm continues"):
 *
 *   normal  --value outside a limit-->                 raised   (sends "raised")
 *   raised  --still outside (or back out) for each
 *             reminder time since the last message-->  raised   (sends "reminded")
 *   raised  --inside for the whole recovery time-->    normal   (sends "recovered")
 *
 * While raised, any value outside restarts the recovery wait, so a value
 * that flaps across a limit sends one "raised" and nothing more until it
 * has stayed inside for the recovery time: no storm.  A missing value (the
 * meter is silent) neither raises nor counts toward recovery; reminders go
 * on, since the alarm has not been seen to end.  Limits are inclusive of
 * the normal range: a value equal to a limit is inside. */
#ifndef ALARMD_RULE_H
#define ALARMD_RULE_H

#include <stdbool.h>
#include <stdint.h>

struct rule_limits {
	bool has_high, has_low; /* either may be blank (the manual) */
	double high, low;
	int64_t recovery_ms;    /* >= 0; 0: recovers as soon as the value is inside */
	int64_t reminder_ms;    /* >= 0; 0: no reminders */
};

enum rule_event {
	RULE_NONE = 0,
	RULE_RAISED,
	RULE_REMINDED,
	RULE_RECOVERED,
	RULE_REMOVED, /* never from rule_step: the rule was deleted, disabled or
		       * changed to watch something else while raised, so its
		       * alarm ends without a recovery (alarmd says so) */
};

struct rule {
	struct rule_limits lim;
	bool raised;
	int64_t raised_ms;       /* when it was raised (monotonic ms) */
	int64_t last_sent_ms;    /* the last raised or reminded message */
	int64_t inside_since_ms; /* raised and inside since then; -1: not inside */
	/* the last value outside: what a message reports */
	double value;
	bool high;               /* it crossed the high limit (else the low) */
	double limit;            /* the limit it crossed */
	unsigned events;         /* messages so far (raised + reminded + recovered) */
};

/* A rule in the normal state with limits lim. */
void rule_init(struct rule *r, const struct rule_limits *lim);
/* New limits for a rule, keeping its state (a raised alarm recovers by
 * the recovery rule if the new limits put its value inside). */
void rule_set_limits(struct rule *r, const struct rule_limits *lim);

/* Whether value is outside lim; when it is, *high says which limit
 * (the high one when both are crossed, which only inverted limits allow)
 * and *limit its value.  NaN is never outside. */
bool rule_outside(const struct rule_limits *lim, double value, bool *high, double *limit);

/* Shows the rule the value now (have false: no fresh value) at now_ms
 * (monotonic, never decreasing) and returns what it must send, if
 * anything.  r->value/high/limit describe the crossing for a message. */
enum rule_event rule_step(struct rule *r, bool have, double value, int64_t now_ms);

/* "raised", "reminded", "recovered", "removed" ("" for RULE_NONE). */
const char *rule_event_name(enum rule_event e);

#endif
