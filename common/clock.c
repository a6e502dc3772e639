/* clock: see clock.h. */
#include "clock.h"

#include <sys/timex.h>
#include <time.h>

double clock_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int64_t clock_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t clock_mono_ms(void)
{
	return clock_mono_ns() / 1000000;
}

/* 2026-01-01T00:00:00Z: no hub built from this tree runs before it. */
#define CLOCK_EARLIEST_PLAUSIBLE 1767225600

void clock_sync_from(struct clock_sync *s, time_t now, int rc, const struct timex *tx, bool require_kernel_sync)
{
	bool kernel = rc != -1 && rc != TIME_ERROR && !(tx->status & STA_UNSYNC);
	s->state = now < CLOCK_EARLIEST_PLAUSIBLE ? CLOCK_IMPLAUSIBLE : kernel ? CLOCK_SYNCHRONISED : CLOCK_UNSYNCHRONISED;
	s->required = require_kernel_sync;
	s->known = s->state == CLOCK_SYNCHRONISED || (s->state == CLOCK_UNSYNCHRONISED && !require_kernel_sync);
	s->maxerror_us = rc == -1 ? -1 : (int64_t)tx->maxerror;
	s->esterror_us = rc == -1 ? -1 : (int64_t)tx->esterror;
}

void clock_sync_read(struct clock_sync *s, bool require_kernel_sync)
{
	struct timex tx = { .modes = 0 };
	int rc = adjtimex(&tx);
	clock_sync_from(s, time(NULL), rc, &tx, require_kernel_sync);
}

bool clock_wall_synchronised(bool require_kernel_sync)
{
	struct clock_sync s;
	clock_sync_read(&s, require_kernel_sync);
	return s.known;
}

const char *clock_state_name(enum clock_state st)
{
	static const char *const names[] = {
		[CLOCK_IMPLAUSIBLE] = "implausible",
		[CLOCK_UNSYNCHRONISED] = "unsynchronised",
		[CLOCK_SYNCHRONISED] = "synchronised",
	};
	return names[st];
}

static json_t *s_us(int64_t us)
{
	return us < 0 ? json_null() : json_integer((json_int_t)us);
}

json_t *clock_sync_json(const struct clock_sync *s)
{
	return json_pack("{s:s,s:b,s:b,s:o,s:o}", "state", clock_state_name(s->state), "known", s->known, "required",
			 s->required, "maxerror_us", s_us(s->maxerror_us), "esterror_us", s_us(s->esterror_us));
}
