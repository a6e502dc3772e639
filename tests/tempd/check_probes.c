/* check_probes: the probe table over fake w1 trees in temp directories:
 * found, read, refused reads (CRC, 85 C, -127 C, garbage, a scratchpad of
 * zeros) in fault with their reason and cleared (never stale), unplug and replug,
 * a new probe while running, configured probes first, more than 8. */
#include <check.h>

#include "probes.h"

#include "../common/scratch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static char *s_dir;

static void s_setup(void)
{
	s_dir = scratch_dir_new("check-w1");
}

static void s_teardown(void)
{
	scratch_dir_remove(s_dir);
	s_dir = NULL;
}

/* Creates <dir>/<id>/w1_slave with the scratchpad bytes sp, the CRC
 * verdict crc (YES or NO) and t= millidegrees. */
static void s_probe_sp(const char *id, const char *sp, const char *crc, const char *t)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", s_dir, id);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/%s/w1_slave", s_dir, id);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s : crc=%s %s\n%s t=%s\n", sp, sp + 24, crc, sp, t);
	fclose(f);
}

/* The same with a real scratchpad of the id's family (DS18S20 or DS18B20). */
static void s_probe(const char *id, const char *crc, const char *t)
{
	s_probe_sp(id, !strncmp(id, "10-", 3) ? "2c 00 4b 46 ff ff 0c 10 86" : "72 01 4b 46 7f ff 0e 10 57", crc, t);
}

static void s_unplug(const char *id)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s/w1_slave", s_dir, id);
	ck_assert_int_eq(unlink(path), 0);
	snprintf(path, sizeof path, "%s/%s", s_dir, id);
	ck_assert_int_eq(rmdir(path), 0);
}

static int s_index(const struct probes *ps, const char *id)
{
	for (int i = 0; i < ps->n; i++)
		if (!strcmp(ps->p[i].id, id))
			return i;
	return -1;
}

static void s_read_all(struct probes *ps)
{
	for (int i = 0; i < ps->n; i++)
		if (ps->p[i].present)
			probes_read(ps, i);
}

START_TEST(test_good_and_bad_reads)
{
	s_probe("28-000000000001", "YES", "21437");
	s_probe("28-000000000002", "NO", "21437");
	s_probe("28-000000000003", "YES", "85000");
	s_probe("28-000000000004", "YES", "-127000");
	s_probe("28-000000000005", "YES", "warm");
	s_probe_sp("28-000000000006", "00 00 00 00 00 00 00 00 00", "YES", "0"); /* a bus held low */
	char *master = scratch_path(s_dir, "w1_bus_master1"); /* not a probe: skipped */
	mkdir(master, 0755);
	free(master);
	struct probes ps;
	probes_init(&ps, "");
	const char *none[] = { NULL };
	probes_configure(&ps, s_dir, none);
	ck_assert_int_eq(probes_scan(&ps, 1000), 6);
	ck_assert_int_eq(ps.n, 6);
	s_read_all(&ps);
	const struct probe *p = &ps.p[s_index(&ps, "28-000000000001")];
	ck_assert_int_eq(p->state, PROBE_OK);
	ck_assert(p->T == 21.437);
	ck_assert(p->first_seen == 1000);
	json_t *o = probes_reading_json(p);
	ck_assert_str_eq(json_string_value(json_object_get(o, "id")), "28-000000000001");
	ck_assert(json_real_value(json_object_get(o, "T")) == 21.437);
	json_decref(o);
	static const char *const faults[][2] = {
		{ "28-000000000002", "CRC" }, { "28-000000000003", "power-on" }, { "28-000000000004", "-127" },
		{ "28-000000000005", "no temperature value" }, { "28-000000000006", "configuration register" },
	};
	for (int k = 0; k < 5; k++) {
		p = &ps.p[s_index(&ps, faults[k][0])];
		ck_assert_int_eq(p->state, PROBE_FAULT);
		ck_assert_msg(strstr(p->fault, faults[k][1]), "%s: %s", p->id, p->fault);
	}
	/* a good probe that turns bad shows no temperature any more */
	s_probe("28-000000000001", "NO", "22000");
	probes_read(&ps, s_index(&ps, "28-000000000001"));
	json_t *st = probes_status_json(&ps);
	json_t *e = json_array_get(st, (size_t)s_index(&ps, "28-000000000001"));
	ck_assert_str_eq(json_string_value(json_object_get(e, "state")), "fault");
	ck_assert_ptr_null(json_object_get(e, "T"));
	json_decref(st);
}
END_TEST

START_TEST(test_unplug_replug_and_new_probe)
{
	s_probe("28-0316a2799aff", "YES", "20000");
	struct probes ps;
	probes_init(&ps, "");
	const char *none[] = { NULL };
	probes_configure(&ps, s_dir, none);
	ck_assert_int_eq(probes_scan(&ps, 100), 1);
	ps.p[0].announced = true;
	s_read_all(&ps);
	ck_assert_int_eq(ps.p[0].state, PROBE_OK);

	/* unplugged between two reads: the read says vanished */
	s_unplug("28-0316a2799aff");
	probes_read(&ps, 0);
	ck_assert_int_eq(ps.p[0].state, PROBE_VANISHED);
	/* and the next scan agrees, announcing nothing */
	ck_assert_int_eq(probes_scan(&ps, 200), 0);
	ck_assert_int_eq(ps.p[0].state, PROBE_VANISHED);
	ck_assert(!ps.p[0].present);

	/* a new probe appears while running; the old one comes back */
	s_probe("10-00080000abcd", "YES", "18500");
	s_probe("28-0316a2799aff", "YES", "20500");
	ck_assert_int_eq(probes_scan(&ps, 300), 1); /* only the new one is new */
	ck_assert_int_eq(ps.n, 2);
	int i = s_index(&ps, "10-00080000abcd");
	ck_assert(ps.p[i].first_seen == 300 && !ps.p[i].announced);
	ck_assert_str_eq(ps.p[i].family, "DS18S20");
	ck_assert_int_eq(ps.p[0].state, PROBE_NEW); /* back, waiting for a read: no old T */
	ck_assert(ps.p[0].first_seen == 100);
	s_read_all(&ps);
	ck_assert(ps.p[0].T == 20.5 && ps.p[i].T == 18.5);
}
END_TEST

START_TEST(test_more_than_eight_and_configured_first)
{
	char id[32];
	for (int k = 1; k <= 10; k++) {
		snprintf(id, sizeof id, "28-0000000000%02d", k);
		s_probe(id, "YES", "20000");
	}
	struct probes ps;
	probes_init(&ps, "");
	const char *conf[] = { "28-000000000010", "28-00000000aaaa", NULL }; /* the second is not plugged in */
	probes_configure(&ps, s_dir, conf);
	probes_scan(&ps, 1);
	ck_assert_int_eq(ps.n, PROBES_MAX);
	ck_assert_str_eq(ps.p[0].id, "28-000000000010");
	ck_assert(ps.p[0].configured && ps.p[0].present);
	ck_assert_int_eq(ps.p[1].state, PROBE_MISSING);
	ck_assert_msg(strstr(ps.p[1].fault, "not found"), "%s", ps.p[1].fault);
	/* 2 configured + the first 6 found (in id order); 01..09 minus 6 = 3 ignored */
	ck_assert_int_eq(ps.nignored, 3);
	ck_assert_str_eq(ps.ignored[0], "28-000000000007");
	ck_assert_str_eq(ps.p[7].id, "28-000000000006");

	/* reconfigured: a found probe keeps its first_seen */
	ps.p[2].first_seen = 42;
	const char *conf2[] = { NULL };
	probes_configure(&ps, s_dir, conf2);
	ck_assert_int_eq(ps.n, 7); /* the configured-but-missing one is gone */
	ck_assert(ps.p[s_index(&ps, "28-000000000001")].first_seen == 42);
}
END_TEST

START_TEST(test_missing_root)
{
	struct probes ps;
	probes_init(&ps, "");
	const char *none[] = { NULL };
	char *root = scratch_path(s_dir, "nope");
	probes_configure(&ps, root, none);
	ck_assert_int_eq(probes_scan(&ps, 1), 0);
	ck_assert_msg(strstr(ps.root_fault, root) && strstr(ps.root_fault, "No such file"), "%s", ps.root_fault);
	free(root);
}
END_TEST

START_TEST(test_temperature_file_when_no_w1_slave)
{
	char path[512];
	snprintf(path, sizeof path, "%s/3b-000000000001", s_dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/3b-000000000001/temperature", s_dir);
	FILE *f = fopen(path, "w");
	fputs("-3250\n", f);
	fclose(f);
	struct probes ps;
	probes_init(&ps, "");
	const char *none[] = { NULL };
	probes_configure(&ps, s_dir, none);
	probes_scan(&ps, 1);
	probes_read(&ps, 0);
	ck_assert_int_eq(ps.p[0].state, PROBE_OK);
	ck_assert(ps.p[0].T == -3.25);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("probes");
	TCase *tc = tcase_create("fake-w1-tree");
	tcase_add_checked_fixture(tc, s_setup, s_teardown);
	tcase_add_test(tc, test_good_and_bad_reads);
	tcase_add_test(tc, test_unplug_replug_and_new_probe);
	tcase_add_test(tc, test_more_than_eight_and_configured_first);
	tcase_add_test(tc, test_missing_root);
	tcase_add_test(tc, test_temperature_file_when_no_w1_slave);
	suite_add_tcase(s, tc);
	return s;
}
