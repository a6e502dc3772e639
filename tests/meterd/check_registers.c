/* check_registers: the energy registers never go backwards across a
 * restart, whichever copy (tmpfs or SD card) is newer or missing; what a
 * reading shows never goes backwards across a power cut at any moment
 * (readings show the card's copy); a corrupt copy is moved aside, not
 * trusted and not silently lost. */
#include <check.h>

#include "registers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct dirs {
	char top[64], data[96], run[96];
};

static void s_dirs(struct dirs *d)
{
	snprintf(d->top, sizeof d->top, "/tmp/check-regs.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(d->top));
	snprintf(d->data, sizeof d->data, "%s/data", d->top);
	snprintf(d->run, sizeof d->run, "%s/run", d->top);
}

static void s_rm(struct dirs *d)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", d->top);
	ck_assert_int_eq(system(cmd), 0);
}

static struct registers *s_open(struct dirs *d)
{
	char warn[512];
	struct registers *r = registers_open(d->data, d->run, warn, sizeof warn);
	ck_assert_ptr_nonnull(r);
	ck_assert_msg(warn[0] == '\0', "unexpected warning: %s", warn);
	return r;
}

/* 1 kW import on phase 1 for dt seconds; returns the reading's registers */
static struct meter_reading s_run(struct registers *r, double dt)
{
	struct meter_reading m = { .phases = 3 };
	m.P[0] = 1000;
	m.Q[0] = -200;
	m.S[0] = 1100;
	reading_sum_phases(&m);
	registers_accumulate(r, 2, &m, dt);
	return m;
}

static void s_at_least(const struct energy *now, const struct energy *before)
{
	ck_assert(now->E >= before->E && now->Ex >= before->Ex && now->RE >= before->RE && now->REx >= before->REx &&
		  now->AE >= before->AE);
}

/* A power cut: r is gone without a last save, and so is the tmpfs copy
 * (a reboot wipes it); meterd starts again.  The reopened registers. */
static struct registers *s_power_cut(struct dirs *d, struct registers **r)
{
	char path[160];
	registers_destroy(r);
	snprintf(path, sizeof path, "%s/meterd-registers.json", d->run);
	ck_assert_int_eq(unlink(path), 0);
	return s_open(d);
}

START_TEST(accumulation_splits_import_export_and_reactive_by_sign)
{
	char warn[8];
	struct registers *r = registers_open(NULL, NULL, warn, sizeof warn);
	struct meter_reading m = s_run(r, 3600);
	ck_assert_double_eq_tol(m.phase_energy[0].E, 1000, 1e-9);
	ck_assert_double_eq_tol(m.phase_energy[0].REx, 200, 1e-9);
	ck_assert_double_eq_tol(m.phase_energy[0].AE, 1100, 1e-9);
	ck_assert(m.phase_energy[0].Ex == 0 && m.phase_energy[0].RE == 0);
	ck_assert_double_eq_tol(m.sys_energy.E, 1000, 1e-9);
	registers_destroy(&r);
}
END_TEST

START_TEST(restart_after_a_clean_stop_keeps_every_register)
{
	struct dirs d;
	s_dirs(&d);
	struct registers *r = s_open(&d);
	s_run(r, 60);
	char err[256];
	ck_assert_int_eq(registers_save(r, false, err, sizeof err), 0);
	ck_assert_int_eq(registers_save(r, true, err, sizeof err), 0);
	struct meter_reading before = s_run(r, 0);
	ck_assert_double_eq_tol(before.phase_energy[0].E, 1000.0 / 60, 1e-9);
	registers_destroy(&r);
	r = s_open(&d);
	struct meter_reading after = s_run(r, 0);
	ck_assert_double_eq(after.phase_energy[0].E, before.phase_energy[0].E);
	ck_assert_double_eq(after.sys_energy.AE, before.sys_energy.AE);
	registers_destroy(&r);
	s_rm(&d);
}
END_TEST

START_TEST(crash_between_sd_saves_takes_the_newer_tmpfs_copy)
{
	struct dirs d;
	s_dirs(&d);
	struct registers *r = s_open(&d);
	char err[256];
	s_run(r, 60);
	ck_assert_int_eq(registers_save(r, true, err, sizeof err), 0); /* the minute save */
	struct meter_reading last = s_run(r, 30);
	ck_assert_int_eq(registers_save(r, false, err, sizeof err), 0); /* every second */
	registers_destroy(&r); /* killed: no final SD save */
	r = s_open(&d);
	struct meter_reading after = s_run(r, 0);
	s_at_least(&after.phase_energy[0], &last.phase_energy[0]);
	s_at_least(&after.sys_energy, &last.sys_energy);
	registers_destroy(&r);
	s_rm(&d);
}
END_TEST

START_TEST(power_cut_loses_the_tmpfs_copy_and_falls_back_to_the_sd_card)
{
	struct dirs d;
	s_dirs(&d);
	struct registers *r = s_open(&d);
	char err[256];
	s_run(r, 120);
	ck_assert_int_eq(registers_save(r, true, err, sizeof err), 0);
	struct meter_reading saved = s_run(r, 30); /* shows the card's copy, not the 30 s since */
	ck_assert_int_eq(registers_save(r, false, err, sizeof err), 0);
	r = s_power_cut(&d, &r);
	struct meter_reading after = s_run(r, 0);
	s_at_least(&after.phase_energy[0], &saved.phase_energy[0]);
	ck_assert_double_eq(after.phase_energy[0].E, saved.phase_energy[0].E);
	registers_destroy(&r);
	s_rm(&d);
}
END_TEST

START_TEST(an_older_copy_never_pulls_a_register_back)
{
	struct dirs d;
	s_dirs(&d);
	struct registers *r = s_open(&d);
	char err[256];
	s_run(r, 100);
	ck_assert_int_eq(registers_save(r, false, err, sizeof err), 0);
	ck_assert_int_eq(registers_save(r, true, err, sizeof err), 0);
	struct meter_reading high = s_run(r, 100);
	ck_assert_int_eq(registers_save(r, true, err, sizeof err), 0); /* SD newer than tmpfs now */
	registers_destroy(&r);
	for (int restart = 0; restart < 3; restart++) {
		r = s_open(&d);
		struct meter_reading now = s_run(r, 1);
		s_at_least(&now.phase_energy[0], &high.phase_energy[0]);
		s_at_least(&now.sys_energy, &high.sys_energy);
		high = now;
		ck_assert_int_eq(registers_save(r, false, err, sizeof err), 0);
		registers_destroy(&r);
	}
	s_rm(&d);
}
END_TEST

START_TEST(a_corrupt_copy_is_moved_aside_and_reported)
{
	struct dirs d;
	s_dirs(&d);
	struct registers *r = s_open(&d);
	char err[256], path[160], aside[200], warn[512];
	s_run(r, 100);
	ck_assert_int_eq(registers_save(r, true, err, sizeof err), 0);
	ck_assert_int_eq(registers_save(r, false, err, sizeof err), 0);
	struct meter_reading saved = s_run(r, 0);
	registers_destroy(&r);
	snprintf(path, sizeof path, "%s/meterd-registers.json", d.run);
	FILE *f = fopen(path, "w");
	fputs("{\"version\":1,\"meters\":{", f);
	fclose(f);
	r = registers_open(d.data, d.run, warn, sizeof warn);
	ck_assert_msg(strstr(warn, path) && strstr(warn, "corrupt"), "warning \"%s\"", warn);
	snprintf(aside, sizeof aside, "%s.corrupt", path);
	ck_assert_int_eq(access(aside, F_OK), 0);
	struct meter_reading after = s_run(r, 0);
	ck_assert_double_eq(after.phase_energy[0].E, saved.phase_energy[0].E); /* from the SD copy */
	registers_destroy(&r);
	s_rm(&d);
}
END_TEST

/* A register the card's copy holds out of range (damage: finite, so the
 * file parses) starts from 0 with a warning naming it, instead of going on
 * the bus where every subscriber refuses the whole reading (issue 13). */
START_TEST(a_register_out_of_range_starts_from_zero_and_is_named)
{
	struct dirs d;
	s_dirs(&d);
	char path[160], warn[512];
	ck_assert_int_eq(mkdir(d.run, 0700), 0);
	snprintf(path, sizeof path, "%s/meterd-registers.json", d.run);
	FILE *f = fopen(path, "w");
	fputs("{\"version\":1,\"meters\":{\"2\":{\"sys\":{\"E\":1e300,\"Ex\":2},"
	      "\"phase\":[{\"E\":-5,\"AE\":7},{},{}]}}}", f);
	fclose(f);
	struct registers *r = registers_open(d.data, d.run, warn, sizeof warn);
	ck_assert_ptr_nonnull(r);
	ck_assert_msg(strstr(warn, "register meters.2.sys.E: 1e+300 is out of range 0..1e+15; it starts from 0") &&
			      strstr(warn, "register meters.2.phase[0].E: -5 is out of range"),
		      "warning \"%s\"", warn);
	struct meter_reading now = s_run(r, 0);
	ck_assert_double_eq(now.sys_energy.E, 0);
	ck_assert_double_eq(now.sys_energy.Ex, 2);
	ck_assert_double_eq(now.phase_energy[0].E, 0);
	ck_assert_double_eq(now.phase_energy[0].AE, 7);
	registers_destroy(&r);
	s_rm(&d);
}
END_TEST

/* What a reading shows never goes backwards, power cuts included: a power
 * cut (no last save, the tmpfs copy gone) at every second between two SD
 * saves, then a restart: its first reading shows at least the most any
 * reading showed before the cut, and at most the card's copy. */
START_TEST(a_power_cut_at_any_second_never_shows_less_than_was_shown)
{
	const int period_s = REGISTERS_SAVE_PERIOD_MS / 1000;
	for (int cut = 1; cut <= 2 * period_s + 1; cut++) {
		struct dirs d;
		s_dirs(&d);
		struct registers *r = s_open(&d);
		char err[256];
		struct meter_reading shown = { 0 };
		for (int sec = 1; sec <= cut; sec++) {
			shown = s_run(r, 1.0); /* meterd: accumulate, publish, save to tmpfs */
			ck_assert_int_eq(registers_save(r, false, err, sizeof err), 0);
			if (sec % period_s == 0)
				ck_assert_int_eq(registers_save(r, true, err, sizeof err), 0);
		}
		r = s_power_cut(&d, &r);
		struct meter_reading after = s_run(r, 0);
		ck_assert_msg(after.phase_energy[0].E >= shown.phase_energy[0].E && after.sys_energy.E >= shown.sys_energy.E &&
				      after.sys_energy.AE >= shown.sys_energy.AE,
			      "cut after %d s: shown E %.6f Wh before, %.6f Wh after the restart", cut,
			      shown.phase_energy[0].E, after.phase_energy[0].E);
		/* and what was lost is at most one save period */
		ck_assert_double_eq_tol(after.phase_energy[0].E, 1000.0 * (cut / period_s * period_s) / 3600, 1e-9);
		registers_destroy(&r);
		s_rm(&d);
	}
}
END_TEST

/* A crash (the tmpfs copy ahead of the card) and then a power cut before
 * the next SD save: the values shown after the crash came from the card
 * copy brought up to date at start, so the power cut takes none back. */
START_TEST(a_crash_then_a_power_cut_never_shows_less)
{
	struct dirs d;
	s_dirs(&d);
	struct registers *r = s_open(&d);
	char err[256];
	s_run(r, 5);
	ck_assert_int_eq(registers_save(r, true, err, sizeof err), 0);
	s_run(r, 7);
	ck_assert_int_eq(registers_save(r, false, err, sizeof err), 0);
	registers_destroy(&r); /* kill -9: tmpfs holds 12 s, the card 5 s */
	r = s_open(&d);
	struct meter_reading shown = s_run(r, 1);
	ck_assert_double_eq_tol(shown.phase_energy[0].E, 1000.0 * 12 / 3600, 1e-9);
	r = s_power_cut(&d, &r); /* before the next SD save */
	struct meter_reading after = s_run(r, 0);
	ck_assert_msg(after.phase_energy[0].E >= shown.phase_energy[0].E, "shown %.6f Wh, after the power cut %.6f Wh",
		      shown.phase_energy[0].E, after.phase_energy[0].E);
	registers_destroy(&r);
	s_rm(&d);
}
END_TEST

/* The tmpfs copy is written after every second of readings, but only when
 * a register moved: an idle hub costs no writes. */
START_TEST(an_idle_meter_rewrites_nothing)
{
	struct dirs d;
	s_dirs(&d);
	struct registers *r = s_open(&d);
	char err[256], path[160];
	s_run(r, 1);
	ck_assert_int_eq(registers_save(r, false, err, sizeof err), 0);
	snprintf(path, sizeof path, "%s/meterd-registers.json", d.run);
	struct stat before, after;
	ck_assert_int_eq(stat(path, &before), 0);
	struct meter_reading idle = { .phases = 3 }; /* below the starting current everything reads 0 */
	for (int s = 0; s < 5; s++) {
		registers_accumulate(r, 2, &idle, 1.0);
		ck_assert_int_eq(registers_save(r, false, err, sizeof err), 0);
	}
	ck_assert_int_eq(stat(path, &after), 0);
	ck_assert_msg(after.st_ino == before.st_ino, "the copy was replaced while nothing moved");
	s_run(r, 1); /* and a moving register is written again */
	ck_assert_int_eq(registers_save(r, false, err, sizeof err), 0);
	ck_assert_int_eq(stat(path, &after), 0);
	ck_assert_msg(after.st_ino != before.st_ino, "the copy was not replaced after a register moved");
	registers_destroy(&r);
	s_rm(&d);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("registers");
	TCase *tc = tcase_create("registers");
	tcase_add_test(tc, accumulation_splits_import_export_and_reactive_by_sign);
	tcase_add_test(tc, restart_after_a_clean_stop_keeps_every_register);
	tcase_add_test(tc, crash_between_sd_saves_takes_the_newer_tmpfs_copy);
	tcase_add_test(tc, power_cut_loses_the_tmpfs_copy_and_falls_back_to_the_sd_card);
	tcase_add_test(tc, an_older_copy_never_pulls_a_register_back);
	tcase_add_test(tc, a_corrupt_copy_is_moved_aside_and_reported);
	tcase_add_test(tc, a_register_out_of_range_starts_from_zero_and_is_named);
	tcase_add_test(tc, an_idle_meter_rewrites_nothing);
	tcase_add_test(tc, a_power_cut_at_any_second_never_shows_less_than_was_shown);
	tcase_add_test(tc, a_crash_then_a_power_cut_never_shows_less);
	suite_add_tcase(s, tc);
	return s;
}
