/* clockshift: an LD_PRELOAD shim that gives a daemon its own clocks, for
 * tests of what happens when the wall clock steps.  Both clocks run
 * $CLOCKSHIFT_SPEED times as fast as the real ones from the moment the
 * process starts (so a minute of storaged's passes in 60/speed seconds;
 * zmq_poll's timeouts shrink to match), and the wall clock is moved by
 * the number of seconds written in the file $CLOCKSHIFT_FILE (re-read
 * every 20 ms of real time; absent: 0): write -180 into it and the
 * daemon sees NTP set its clock back three minutes.  A negative enough
 * value puts the clock in 1970, as a board without RTC boots. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <zmq.h>

typedef int (*gettime_fn)(clockid_t, struct timespec *);

static gettime_fn s_real;
static double s_speed = 1;
static int64_t s_base_wall, s_base_mono; /* real ns at start */
static int64_t s_shift_ns, s_read_at;

static int64_t s_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

__attribute__((constructor)) static void s_init(void)
{
	s_real = (gettime_fn)dlsym(RTLD_NEXT, "clock_gettime");
	const char *speed = getenv("CLOCKSHIFT_SPEED");
	if (speed && atof(speed) > 0)
		s_speed = atof(speed);
	struct timespec ts;
	s_real(CLOCK_REALTIME, &ts);
	s_base_wall = s_ns(&ts);
	s_real(CLOCK_MONOTONIC, &ts);
	s_base_mono = s_ns(&ts);
}

/* The shift of the wall clock, from the file. */
static int64_t s_shift(void)
{
	struct timespec ts;
	s_real(CLOCK_MONOTONIC, &ts);
	int64_t now = s_ns(&ts);
	if (now - s_read_at < 20000000 && s_read_at)
		return s_shift_ns;
	s_read_at = now;
	const char *path = getenv("CLOCKSHIFT_FILE");
	FILE *f = path ? fopen(path, "r") : NULL;
	double s = 0;
	if (f) {
		if (fscanf(f, "%lf", &s) != 1)
			s = 0;
		fclose(f);
	}
	s_shift_ns = (int64_t)(s * 1e9);
	return s_shift_ns;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	if (!s_real)
		s_init();
	int rc = s_real(id, ts);
	if (rc != 0)
		return rc;
	int64_t t = s_ns(ts), base;
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE: base = s_base_wall; break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME: base = s_base_mono; break;
	default: return 0;
	}
	t = base + (int64_t)((double)(t - base) * s_speed);
	if (base == s_base_wall)
		t += s_shift();
	ts->tv_sec = t / 1000000000;
	ts->tv_nsec = t % 1000000000;
	if (ts->tv_nsec < 0) {
		ts->tv_nsec += 1000000000;
		ts->tv_sec--;
	}
	return 0;
}

time_t time(time_t *out)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (out)
		*out = ts.tv_sec;
	return ts.tv_sec;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

int zmq_poll(zmq_pollitem_t *items, int n, long timeout)
{
	static int (*real)(zmq_pollitem_t *, int, long);
	if (!real)
		real = (int (*)(zmq_pollitem_t *, int, long))dlsym(RTLD_NEXT, "zmq_poll");
	if (timeout > 0) {
		timeout = (long)((double)timeout / s_speed);
		if (timeout < 1)
			timeout = 1;
	}
	return real(items, n, timeout);
}
