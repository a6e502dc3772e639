/* timeline: see timeline.h. */
#include "timeline.h"

static int64_t s_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The end of a minute opened at start_ms. */
static int64_t s_end(const struct timeline *t, int64_t start_ms)
{
	if (t->fast || !t->trusted || !t->have_off)
		return start_ms + t->minute_ms;
	int64_t guard = t->minute_ms / 60;
	int64_t wall = start_ms + t->off_ms + guard;
	int64_t boundary = (s_floor_div(wall, t->minute_ms) + 1) * t->minute_ms;
	return boundary - t->off_ms;
}

void timeline_init(struct timeline *t, int64_t minute_ms, int64_t mono_ms, int64_t first_ts)
{
	*t = (struct timeline){ .minute_ms = minute_ms, .fast = minute_ms < 60000, .fast_next_ts = first_ts };
	t->start_ms = mono_ms;
	t->end_ms = s_end(t, mono_ms);
}

bool timeline_observe(struct timeline *t, int64_t mono_ms, int64_t wall_ms, bool trusted)
{
	bool was = t->trusted && t->have_off;
	int64_t old_off = t->off_ms;
	t->trusted = trusted;
	if (!trusted || t->fast)
		return false;
	int64_t off = wall_ms - mono_ms;
	bool stepped = t->have_off && (off - old_off > TIMELINE_STEP_MS || old_off - off > TIMELINE_STEP_MS);
	if (stepped)
		t->steps++;
	t->off_ms = off;
	t->have_off = true;
	if (was && !stepped)
		return false;
	/* newly trusted or stepped: end the open minute on the (new) wall
	 * minute boundary */
	t->end_ms = s_end(t, t->start_ms);
	if (t->end_ms <= mono_ms)
		t->end_ms = s_end(t, mono_ms);
	return true;
}

void timeline_floor(struct timeline *t, int64_t ts)
{
	if (ts > t->floor_ts)
		t->floor_ts = ts;
}

bool timeline_known(const struct timeline *t)
{
	return t->fast || t->have_off;
}

int64_t timeline_stamp(struct timeline *t, int64_t start_ms, int64_t end_ms)
{
	int64_t ts;
	if (t->fast) {
		/* consecutive, after whatever is stored */
		if (t->fast_next_ts <= t->floor_ts)
			t->fast_next_ts = t->floor_ts + 60;
		ts = t->fast_next_ts;
		t->fast_next_ts += 60;
	} else if (!t->have_off) {
		return -1;
	} else {
		int64_t mid = start_ms + (end_ms - start_ms) / 2 + t->off_ms;
		ts = s_floor_div(mid, 60000) * 60;
	}
	if (ts <= t->floor_ts)
		return 0;
	t->floor_ts = ts;
	return ts;
}

void timeline_close(struct timeline *t, int64_t mono_ms, int64_t *start, int64_t *end)
{
	*start = t->start_ms;
	*end = mono_ms;
	t->start_ms = mono_ms;
	t->end_ms = s_end(t, mono_ms);
}
