/* check_daemon: the skeleton itself, in-process: a real daemon (bus and
 * control sockets in a scratch run directory) with test ops.
 *  - start order: the first config is applied inside daemon_run, after the
 *    daemon's own state exists and before any of its timers fires;
 *  - reload by SIGHUP, by the "reload" control command, and by a saved file;
 *  - timers: one-shot fires once per arming, cancel disarms, a periodic one
 *    skips what a stall missed instead of bursting;
 *  - watches: readable and writable, as many as wanted, a duplicate refused;
 *    a watch or timer removed during a round is never called afterwards.
 * The config path is a symlink into another directory for the signal and
 * command cases: writing the target there does not wake the file watch, so
 * only the trigger under test can cause the reload.  Each case runs in its
 * own process (Check forks), so blocked signals and sockets never leak. */
#include <check.h>

#include "atomic_file.h"
#include "clock.h"
#include "config_keys.h"
#include "ctl.h"
#include "daemon.h"
#include "scratch.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#define DEADLINE_MS 10000

/* What the test ops saw. */
struct probe {
	bool ready;            /* set by the test once its state is made */
	int applies;
	bool ready_at_first_apply, ticked_before_first_apply;
	long long interval_s;  /* temps.interval_s of the config in force */
	int ticks;
};

static char *s_dir, *s_conf, *s_real;

static int s_apply(struct daemon *d, const struct config *cfg, void *ud, char *err, size_t errlen)
{
	(void)d;
	(void)err;
	(void)errlen;
	struct probe *p = ud;
	if (!p->applies++) {
		p->ready_at_first_apply = p->ready;
		p->ticked_before_first_apply = p->ticks > 0;
	}
	p->interval_s = cfg_temps_interval_s(cfg);
	return 0;
}

static const struct daemon_ops s_ops = { .apply = s_apply };

static void s_write(const char *path, long long interval_s)
{
	char text[128], err[256] = "";
	snprintf(text, sizeof text, "{\"temps\":{\"interval_s\":%lld}}", interval_s);
	ck_assert_msg(atomic_file_write(path, text, strlen(text), 0640, err, sizeof err) == 0, "%s", err);
}

static void s_setup(void)
{
	s_dir = scratch_dir_new("check_daemon");
	char *run = scratch_path(s_dir, "run"), *etc = scratch_path(s_dir, "etc"), *real = scratch_path(s_dir, "real");
	ck_assert(mkdir(run, 0700) == 0 && mkdir(etc, 0700) == 0 && mkdir(real, 0700) == 0);
	setenv("ENISCOPE_RUNDIR", run, 1);
	s_conf = scratch_path(etc, "config.json");
	s_real = scratch_path(real, "config.json");
	s_write(s_real, 7);
	ck_assert(symlink(s_real, s_conf) == 0);
	free(run);
	free(etc);
	free(real);
}

static void s_teardown(void)
{
	free(s_conf);
	free(s_real);
	scratch_dir_remove(s_dir);
	s_dir = s_conf = s_real = NULL;
}

static void s_stop(struct daemon *d, void *ud)
{
	(void)ud;
	daemon_stop(d);
}

/* Stops the loop after DEADLINE_MS whatever happens: no case hangs. */
static void s_deadline(struct daemon *d)
{
	struct daemon_timer *t = daemon_timer_once(d, s_stop, NULL);
	ck_assert_ptr_nonnull(t);
	daemon_timer_reset(t, DEADLINE_MS, 0);
}

/* A daemon past its first run (config loaded, applied once), for the cases
 * on timers and watches: their delays then count from a loop already
 * running, not from before a first load that is slow under valgrind. */
static struct daemon *s_started(struct probe *p)
{
	struct daemon *d = daemon_new("checkd", s_conf, &s_ops, p);
	struct daemon_timer *t = daemon_timer_once(d, s_stop, NULL);
	ck_assert_ptr_nonnull(t);
	daemon_timer_reset(t, 0, 0);
	ck_assert_int_eq(daemon_run(d), 0);
	ck_assert_int_eq(p->applies, 1);
	return d;
}

/* ---- start order ---- */

static void s_tick_until_applied(struct daemon *d, void *ud)
{
	struct probe *p = ud;
	p->ticks++;
	if (p->applies)
		daemon_stop(d);
}

START_TEST(the_first_config_is_applied_in_run_after_the_daemons_state_exists)
{
	struct probe p = { 0 };
	struct daemon *d = daemon_new("checkd", s_conf, &s_ops, &p);
	ck_assert_int_eq(p.applies, 0);
	ck_assert_ptr_null(daemon_config(d)); /* nothing loaded yet */
	/* the daemon's own state: a timer due at once, and a flag */
	struct daemon_timer *t = daemon_timer_new(d, 1, s_tick_until_applied, &p);
	ck_assert_ptr_nonnull(t);
	daemon_timer_reset(t, 0, 1);
	p.ready = true;
	s_deadline(d);
	ck_assert_int_eq(daemon_run(d), 0);
	ck_assert_int_eq(p.applies, 1);
	ck_assert_msg(p.ready_at_first_apply, "applied before the daemon had made its state");
	ck_assert_msg(!p.ticked_before_first_apply, "a timer fired before the first config was applied");
	ck_assert_int_eq(p.interval_s, 7);
	ck_assert_int_ge(p.ticks, 1);
	ck_assert_ptr_nonnull(daemon_config(d));
	/* a second run (tests do it) does not load nor apply again */
	struct daemon_timer *stop = daemon_timer_once(d, s_stop, NULL);
	ck_assert_ptr_nonnull(stop);
	daemon_timer_reset(stop, 0, 0);
	ck_assert_int_eq(daemon_run(d), 0);
	ck_assert_int_eq(p.applies, 1);
	daemon_destroy(&d);
	ck_assert_ptr_null(d);
}
END_TEST

/* ---- reload ---- */

static void s_stop_on_second_apply(struct daemon *d, void *ud)
{
	struct probe *p = ud;
	if (p->applies >= 2)
		daemon_stop(d);
}

/* Runs d with a watcher that stops it at the second apply, after first
 * (a one-shot at 0 ms, so inside the loop) has started the reload. */
static void s_run_reload(struct daemon *d, struct probe *p, daemon_cb first, void *first_ud)
{
	struct daemon_timer *start = daemon_timer_once(d, first, first_ud);
	struct daemon_timer *watcher = daemon_timer_new(d, 5, s_stop_on_second_apply, p);
	ck_assert(start && watcher);
	daemon_timer_reset(start, 0, 0);
	s_deadline(d);
	ck_assert_int_eq(daemon_run(d), 0);
}

static void s_change_and_hup(struct daemon *d, void *ud)
{
	(void)d;
	(void)ud;
	s_write(s_real, 9); /* in the other directory: the file watch sleeps */
	raise(SIGHUP);
}

START_TEST(sighup_reloads_the_config)
{
	struct probe p = { 0 };
	struct daemon *d = daemon_new("checkd", s_conf, &s_ops, &p);
	s_run_reload(d, &p, s_change_and_hup, NULL);
	ck_assert_int_eq(p.applies, 2);
	ck_assert_int_eq(p.interval_s, 9);
	daemon_destroy(&d);
}
END_TEST

struct call {
	pthread_t thread;
	atomic_bool done;
	bool ok;
	char err[256];
};

/* A client elsewhere: its own context, a blocking request with a timeout. */
static void *s_call_reload(void *arg)
{
	struct call *c = arg;
	void *zctx = zmq_ctx_new();
	json_t *req = json_pack("{s:s}", "cmd", "reload");
	json_t *resp = ctl_request(zctx, getenv("ENISCOPE_RUNDIR"), "checkd", req, 5000, c->err, sizeof c->err);
	c->ok = resp && json_is_true(json_object_get(resp, "ok"));
	json_decref(resp);
	json_decref(req);
	zmq_ctx_term(zctx);
	atomic_store(&c->done, true);
	return NULL;
}

static void s_change_and_call(struct daemon *d, void *ud)
{
	(void)d;
	struct call *c = ud;
	s_write(s_real, 11);
	ck_assert(pthread_create(&c->thread, NULL, s_call_reload, c) == 0);
}

START_TEST(the_reload_command_reloads_the_config)
{
	struct probe p = { 0 };
	struct call c = { .done = false };
	struct daemon *d = daemon_new("checkd", s_conf, &s_ops, &p);
	s_run_reload(d, &p, s_change_and_call, &c);
	pthread_join(c.thread, NULL);
	ck_assert_msg(c.ok, "reload answered: %s", c.err);
	ck_assert_int_eq(p.applies, 2);
	ck_assert_int_eq(p.interval_s, 11);
	daemon_destroy(&d);
}
END_TEST

/* ---- status ---- */

struct status_call {
	pthread_t thread;
	atomic_bool done;
	json_t *resp;
	char err[256];
};

static void *s_call_status(void *arg)
{
	struct status_call *c = arg;
	void *zctx = zmq_ctx_new();
	json_t *req = json_pack("{s:s}", "cmd", "status");
	c->resp = ctl_request(zctx, getenv("ENISCOPE_RUNDIR"), "checkd", req, 5000, c->err, sizeof c->err);
	json_decref(req);
	zmq_ctx_term(zctx);
	atomic_store(&c->done, true);
	return NULL;
}

static void s_start_status_call(struct daemon *d, void *ud)
{
	(void)d;
	struct status_call *c = ud;
	ck_assert(pthread_create(&c->thread, NULL, s_call_status, c) == 0);
}

static void s_stop_when_answered(struct daemon *d, void *ud)
{
	struct status_call *c = ud;
	if (atomic_load(&c->done))
		daemon_stop(d);
}

/* Every daemon's status carries the clock under the one rule
 * (common/clock.h) with the config's network.require_ntp_sync, so
 * storaged, paneld, alarmd and the status page agree on "time known". */
START_TEST(the_status_carries_the_clock_state)
{
	const char *text = "{\"network\":{\"require_ntp_sync\":true}}";
	char err[256] = "";
	ck_assert_msg(atomic_file_write(s_real, text, strlen(text), 0640, err, sizeof err) == 0, "%s", err);
	struct probe p = { 0 };
	struct status_call c = { .done = false };
	struct daemon *d = daemon_new("checkd", s_conf, &s_ops, &p);
	struct daemon_timer *start = daemon_timer_once(d, s_start_status_call, &c);
	ck_assert(start && daemon_timer_new(d, 5, s_stop_when_answered, &c));
	daemon_timer_reset(start, 0, 0);
	s_deadline(d);
	ck_assert_int_eq(daemon_run(d), 0);
	pthread_join(c.thread, NULL);
	ck_assert_msg(c.resp, "status: %s", c.err);
	json_t *clock = json_object_get(c.resp, "clock");
	struct clock_sync now;
	clock_sync_read(&now, true);
	ck_assert(json_is_true(json_object_get(clock, "required")));
	ck_assert_str_eq(json_string_value(json_object_get(clock, "state")), clock_state_name(now.state));
	ck_assert(json_is_boolean(json_object_get(clock, "known")));
	ck_assert(json_boolean_value(json_object_get(clock, "known")) == now.known);
	ck_assert(json_boolean_value(json_object_get(clock, "known")) == clock_wall_synchronised(true));
	json_decref(c.resp);
	daemon_destroy(&d);
}
END_TEST

static void s_save(struct daemon *d, void *ud)
{
	(void)d;
	(void)ud;
	s_write(s_conf, 13); /* replaces the symlink: the watched directory */
}

START_TEST(a_saved_file_reloads_the_config)
{
	struct probe p = { 0 };
	struct daemon *d = daemon_new("checkd", s_conf, &s_ops, &p);
	s_run_reload(d, &p, s_save, NULL);
	ck_assert_int_eq(p.applies, 2);
	ck_assert_int_eq(p.interval_s, 13);
	daemon_destroy(&d);
}
END_TEST

/* ---- timers ---- */

struct timers {
	struct daemon_timer *once, *other, *periodic;
	int once_n, other_n, periodic_n, rearm;
	int64_t stall_ms;
};

static void s_count_once(struct daemon *d, void *ud)
{
	(void)d;
	struct timers *t = ud;
	t->once_n++;
	if (t->rearm-- > 0)
		daemon_timer_reset(t->once, 1, 0); /* again, from its own callback */
}

START_TEST(a_one_shot_timer_fires_once_per_arming)
{
	struct probe p = { 0 };
	struct timers t = { .rearm = 2 };
	struct daemon *d = s_started(&p);
	t.once = daemon_timer_once(d, s_count_once, &t);
	ck_assert_ptr_nonnull(t.once);
	ck_assert(!daemon_timer_armed(t.once)); /* made disarmed */
	daemon_timer_reset(t.once, 5, 0);
	ck_assert(daemon_timer_armed(t.once));
	struct daemon_timer *stop = daemon_timer_once(d, s_stop, NULL);
	ck_assert_ptr_nonnull(stop);
	daemon_timer_reset(stop, 300, 0);
	ck_assert_int_eq(daemon_run(d), 0);
	ck_assert_int_eq(t.once_n, 3); /* the arming and two re-armings */
	ck_assert(!daemon_timer_armed(t.once));
	daemon_destroy(&d);
}
END_TEST

static void s_cancel_other(struct daemon *d, void *ud)
{
	(void)d;
	struct timers *t = ud;
	daemon_timer_cancel(t->other);
}

static void s_count_other(struct daemon *d, void *ud)
{
	(void)d;
	((struct timers *)ud)->other_n++;
}

START_TEST(a_cancelled_timer_does_not_fire)
{
	struct probe p = { 0 };
	struct timers t = { 0 };
	struct daemon *d = s_started(&p);
	t.once = daemon_timer_once(d, s_cancel_other, &t);
	t.other = daemon_timer_new(d, 50, s_count_other, &t);
	struct daemon_timer *stop = daemon_timer_once(d, s_stop, NULL);
	ck_assert(t.once && t.other && stop);
	daemon_timer_reset(t.once, 10, 0);
	daemon_timer_reset(stop, 200, 0);
	ck_assert_int_eq(daemon_run(d), 0);
	ck_assert_int_eq(t.other_n, 0);
	ck_assert(!daemon_timer_armed(t.other));
	daemon_destroy(&d);
}
END_TEST

static void s_count_periodic(struct daemon *d, void *ud)
{
	(void)d;
	((struct timers *)ud)->periodic_n++;
}

static void s_stall(struct daemon *d, void *ud)
{
	(void)d;
	struct timers *t = ud;
	int64_t start = clock_mono_ms();
	/* a callback that takes long (a slow disk, a blocking read) */
	usleep((useconds_t)t->stall_ms * 1000);
	t->stall_ms = clock_mono_ms() - start;
}

START_TEST(a_periodic_timer_skips_what_a_stall_missed)
{
	struct probe p = { 0 };
	struct timers t = { .stall_ms = 300 };
	struct daemon *d = s_started(&p);
	t.periodic = daemon_timer_new(d, 10, s_count_periodic, &t);
	struct daemon_timer *stall = daemon_timer_once(d, s_stall, &t), *stop = daemon_timer_once(d, s_stop, NULL);
	ck_assert(t.periodic && stall && stop);
	daemon_timer_reset(stall, 20, 0);
	daemon_timer_reset(stop, 400, 0);
	int64_t start = clock_mono_ms();
	ck_assert_int_eq(daemon_run(d), 0);
	int64_t ran = clock_mono_ms() - start;
	/* fired only in the time the loop was free, one late period at most
	 * after the stall; a burst would catch up to ~ran / 10 */
	int64_t bound = (ran - t.stall_ms) / 10 + 2;
	ck_assert_msg(t.periodic_n <= bound, "%d fires in %lld ms with a %lld ms stall (at most %lld)", t.periodic_n,
		      (long long)ran, (long long)t.stall_ms, (long long)bound);
	ck_assert_int_ge(t.periodic_n, 2); /* and goes on after it */
	daemon_destroy(&d);
}
END_TEST

static void s_destroy_other(struct daemon *d, void *ud)
{
	struct timers *t = ud;
	t->once_n++;
	daemon_timer_destroy(d, &t->other);
	ck_assert_ptr_null(t->other);
}

START_TEST(a_timer_destroyed_in_a_round_is_not_called_in_it)
{
	struct probe p = { 0 };
	struct timers t = { 0 };
	struct daemon *d = s_started(&p);
	/* both due in the same round; the first removes the second */
	t.once = daemon_timer_once(d, s_destroy_other, &t);
	t.other = daemon_timer_once(d, s_count_other, &t);
	struct daemon_timer *stop = daemon_timer_once(d, s_stop, NULL);
	ck_assert(t.once && t.other && stop);
	daemon_timer_reset(t.other, 0, 0);
	daemon_timer_reset(t.once, 0, 0);
	daemon_timer_reset(stop, 100, 0);
	ck_assert_int_eq(daemon_run(d), 0);
	ck_assert_int_eq(t.once_n, 1);
	ck_assert_int_eq(t.other_n, 0);
	daemon_destroy(&d);
}
END_TEST

/* ---- watches ---- */

struct pipes {
	int a[2], b[2];
	int a_n, b_n, b_new_n;
};

static void s_read_b(struct daemon *d, void *ud)
{
	struct pipes *p = ud;
	char c;
	ck_assert_int_eq(read(p->b[0], &c, 1), 1);
	p->b_new_n++;
	daemon_unwatch(d, NULL, p->b[0]);
}

static void s_a_removes_b(struct daemon *d, void *ud)
{
	struct pipes *p = ud;
	char c;
	ck_assert_int_eq(read(p->a[0], &c, 1), 1);
	p->a_n++;
	daemon_unwatch(d, NULL, p->b[0]);
	/* and a new watch of it in the same round: from the next round on */
	ck_assert_int_eq(daemon_watch_fd(d, p->b[0], s_read_b, p), 0);
}

static void s_count_b(struct daemon *d, void *ud)
{
	(void)d;
	((struct pipes *)ud)->b_n++;
}

START_TEST(a_watch_removed_in_a_round_is_not_called_afterwards)
{
	struct probe pr = { 0 };
	struct pipes p = { 0 };
	ck_assert(pipe(p.a) == 0 && pipe(p.b) == 0);
	/* both readable before the loop starts: one round finds both */
	ck_assert_int_eq(write(p.a[1], "x", 1), 1);
	ck_assert_int_eq(write(p.b[1], "y", 1), 1);
	struct daemon *d = s_started(&pr);
	ck_assert_int_eq(daemon_watch_fd(d, p.a[0], s_a_removes_b, &p), 0);
	ck_assert_int_eq(daemon_watch_fd(d, p.b[0], s_count_b, &p), 0);
	struct daemon_timer *stop = daemon_timer_once(d, s_stop, NULL);
	ck_assert_ptr_nonnull(stop);
	daemon_timer_reset(stop, 100, 0);
	ck_assert_int_eq(daemon_run(d), 0);
	ck_assert_int_eq(p.a_n, 1);
	ck_assert_int_eq(p.b_n, 0); /* removed before its turn in the round */
	ck_assert_int_eq(p.b_new_n, 1); /* the new watch, in a later round */
	daemon_destroy(&d);
	close(p.a[0]);
	close(p.a[1]);
	close(p.b[0]);
	close(p.b[1]);
}
END_TEST

static void s_writable(struct daemon *d, void *ud)
{
	struct pipes *p = ud;
	p->b_n++;
	ck_assert_int_eq(write(p->a[1], "z", 1), 1);
	daemon_unwatch_io(d, NULL, p->a[1], DAEMON_WRITABLE);
}

static void s_readable_stops(struct daemon *d, void *ud)
{
	struct pipes *p = ud;
	char c;
	ck_assert_int_eq(read(p->a[0], &c, 1), 1);
	ck_assert_int_eq(c, 'z');
	p->a_n++;
	daemon_stop(d);
}

START_TEST(a_writable_watch_is_called_while_the_descriptor_takes_data)
{
	struct probe pr = { 0 };
	struct pipes p = { 0 };
	ck_assert(pipe(p.a) == 0);
	struct daemon *d = s_started(&pr);
	ck_assert_int_eq(daemon_watch(d, NULL, p.a[1], DAEMON_WRITABLE, s_writable, &p), 0);
	ck_assert_int_eq(daemon_watch_fd(d, p.a[0], s_readable_stops, &p), 0);
	s_deadline(d);
	ck_assert_int_eq(daemon_run(d), 0);
	ck_assert_int_eq(p.b_n, 1); /* unwatched after the write */
	ck_assert_int_eq(p.a_n, 1);
	daemon_destroy(&d);
	close(p.a[0]);
	close(p.a[1]);
}
END_TEST

#define MANY 100 /* the old skeleton had 32 slots of each */

struct many {
	int fds[MANY][2];
	struct one { struct many *m; int i; } one[MANY];
	int read_n, fired_n;
};

static void s_read_one(struct daemon *d, void *ud)
{
	struct one *o = ud;
	struct many *m = o->m;
	char c;
	ck_assert_int_eq(read(m->fds[o->i][0], &c, 1), 1);
	m->read_n++;
	daemon_unwatch(d, NULL, m->fds[o->i][0]);
	if (m->read_n == MANY && m->fired_n == MANY)
		daemon_stop(d);
}

static void s_fire_one(struct daemon *d, void *ud)
{
	struct many *m = ud;
	if (++m->fired_n == MANY && m->read_n == MANY)
		daemon_stop(d);
}

START_TEST(there_is_no_fixed_number_of_watches_and_timers)
{
	struct probe pr = { 0 };
	static struct many m;
	memset(&m, 0, sizeof m);
	struct daemon *d = s_started(&pr);
	for (int i = 0; i < MANY; i++) {
		ck_assert(pipe(m.fds[i]) == 0);
		ck_assert_int_eq(write(m.fds[i][1], "x", 1), 1);
		m.one[i] = (struct one){ &m, i };
		ck_assert_int_eq(daemon_watch_fd(d, m.fds[i][0], s_read_one, &m.one[i]), 0);
		struct daemon_timer *t = daemon_timer_once(d, s_fire_one, &m);
		ck_assert_ptr_nonnull(t);
		daemon_timer_reset(t, i % 10, 0);
	}
	/* one watch per descriptor and direction */
	errno = 0;
	ck_assert_int_eq(daemon_watch_fd(d, m.fds[0][0], s_read_one, &m.one[0]), -1);
	ck_assert_int_eq(errno, EEXIST);
	s_deadline(d);
	ck_assert_int_eq(daemon_run(d), 0);
	ck_assert_int_eq(m.read_n, MANY);
	ck_assert_int_eq(m.fired_n, MANY);
	daemon_destroy(&d);
	for (int i = 0; i < MANY; i++) {
		close(m.fds[i][0]);
		close(m.fds[i][1]);
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("daemon");
	TCase *tc = tcase_create("skeleton");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, the_first_config_is_applied_in_run_after_the_daemons_state_exists);
	tcase_add_test(tc, sighup_reloads_the_config);
	tcase_add_test(tc, the_reload_command_reloads_the_config);
	tcase_add_test(tc, a_saved_file_reloads_the_config);
	tcase_add_test(tc, the_status_carries_the_clock_state);
	tcase_add_test(tc, a_one_shot_timer_fires_once_per_arming);
	tcase_add_test(tc, a_cancelled_timer_does_not_fire);
	tcase_add_test(tc, a_periodic_timer_skips_what_a_stall_missed);
	tcase_add_test(tc, a_timer_destroyed_in_a_round_is_not_called_in_it);
	tcase_add_test(tc, a_watch_removed_in_a_round_is_not_called_afterwards);
	tcase_add_test(tc, a_writable_watch_is_called_while_the_descriptor_takes_data);
	tcase_add_test(tc, there_is_no_fixed_number_of_watches_and_timers);
	suite_add_tcase(s, tc);
	return s;
}
