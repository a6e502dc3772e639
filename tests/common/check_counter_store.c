/* check_counter_store: counters never go backwards: the merge keeps the
 * larger number at every place, the newer of the two copies wins counter
 * by counter at open, an unreadable copy (or a FIFO in its place) is moved
 * aside and reported, a save writes only copies that changed, and the
 * card's copy (what may be shown) catches up with a newer tmpfs copy at the
 * first durable save. */
#include <check.h>

#include "counter_store.h"

#include "scratch.h"

#include <string.h>
#include <sys/stat.h>

struct merge_row {
	const char *a, *b, *want;
};

static const struct merge_row s_merges[] = {
	{ "{\"x\":1}", "{\"x\":2}", "{\"x\":2}" },
	{ "{\"x\":3}", "{\"x\":2}", "{\"x\":3}" },
	{ "{\"x\":1.5}", "{\"x\":1.25}", "{\"x\":1.5}" },
	{ "{\"x\":9007199254740993}", "{\"x\":9007199254740992}", "{\"x\":9007199254740993}" }, /* integers exact */
	{ "{}", "{\"m\":{\"1\":{\"E\":5}}}", "{\"m\":{\"1\":{\"E\":5}}}" },
	{ "{\"m\":{\"1\":{\"E\":5,\"Ex\":1}}}", "{\"m\":{\"1\":{\"E\":4,\"Ex\":2}}}", "{\"m\":{\"1\":{\"E\":5,\"Ex\":2}}}" },
	{ "{\"p\":[1,5,3]}", "{\"p\":[2,4]}", "{\"p\":[2,5,3]}" },
	{ "{\"p\":[1]}", "{\"p\":[0,7]}", "{\"p\":[1,7]}" },
	{ "{\"x\":1}", "{\"x\":\"big\"}", "{\"x\":1}" }, /* not a number: a stays */
	/* damage that parses: out of 0..1e15 never wins over a good counter */
	{ "{\"x\":5}", "{\"x\":1e300}", "{\"x\":5}" },
	{ "{\"x\":1e300}", "{\"x\":5}", "{\"x\":5}" },
	{ "{\"x\":5}", "{\"x\":-1}", "{\"x\":5}" },
	{ "{\"x\":-7}", "{\"x\":-1}", "{\"x\":-1}" }, /* both bad: the larger, as before */
};

START_TEST(test_merge)
{
	const struct merge_row *r = &s_merges[_i];
	json_t *a = json_loads(r->a, 0, NULL), *b = json_loads(r->b, 0, NULL), *want = json_loads(r->want, 0, NULL);
	counter_store_merge_max(a, b);
	char *got = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
	ck_assert_msg(json_equal(a, want), "%s + %s = %s, expected %s", r->a, r->b, got, r->want);
	free(got);
	json_decref(a);
	json_decref(b);
	json_decref(want);
}
END_TEST

START_TEST(test_copies_and_restart)
{
	char *dir = scratch_dir_new("check-cstore");
	char *data = scratch_path(dir, "data"), *run = scratch_path(dir, "run");
	char warning[512], err[512];
	json_t *doc;
	struct counter_store *cs = counter_store_open("c.json", data, run, &doc, warning, sizeof warning);
	ck_assert_ptr_nonnull(cs);
	ck_assert_str_eq(warning, "");
	ck_assert_int_eq(json_object_size(doc), 0);
	json_decref(doc);

	char *vol = scratch_path(run, "c.json"), *dur = scratch_path(data, "c.json");
	json_t *v1 = json_pack("{s:{s:I,s:I}}", "inputs", "a", (json_int_t)10, "b", (json_int_t)3);
	ck_assert_int_eq(counter_store_save(cs, v1, true, err, sizeof err), 0);
	ck_assert_int_eq(access(vol, F_OK), -1); /* nothing touched: nothing written */
	counter_store_touch(cs);
	ck_assert_int_eq(counter_store_save(cs, v1, false, err, sizeof err), 0);
	ck_assert_int_eq(access(vol, F_OK), 0);
	ck_assert_int_eq(access(dur, F_OK), -1); /* the SD copy only on a durable save */
	ck_assert_int_eq(counter_store_save(cs, v1, true, err, sizeof err), 0);
	ck_assert_int_eq(access(dur, F_OK), 0);
	/* later: a counts on, tmpfs only (as between two minutes), then a crash */
	json_t *v2 = json_pack("{s:{s:I,s:I}}", "inputs", "a", (json_int_t)12, "b", (json_int_t)3);
	counter_store_touch(cs);
	ck_assert_int_eq(counter_store_save(cs, v2, false, err, sizeof err), 0);
	counter_store_destroy(&cs);
	/* and the SD copy somehow ahead for b (a reboot wiped tmpfs earlier) */
	scratch_write(dur, "{\"inputs\":{\"a\":10,\"b\":4}}");

	cs = counter_store_open("c.json", data, run, &doc, warning, sizeof warning);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(doc, "inputs"), "a")), 12);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(doc, "inputs"), "b")), 4);
	json_decref(doc);
	counter_store_destroy(&cs);

	/* an unreadable copy is moved aside and said, the other one still counts */
	scratch_write(vol, "{\"inputs\":{\"a\":");
	cs = counter_store_open("c.json", data, run, &doc, warning, sizeof warning);
	ck_assert_msg(strstr(warning, vol) && strstr(warning, ".corrupt"), "%s", warning);
	char *aside = NULL;
	ck_assert_int_gt(asprintf(&aside, "%s.corrupt", vol), 0);
	ck_assert_int_eq(access(aside, F_OK), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(doc, "inputs"), "b")), 4);
	json_decref(doc);
	counter_store_destroy(&cs);

	/* a FIFO in place of a copy: refused at once (open() on it would block
	 * the daemon's start until someone wrote to it), moved aside, said */
	ck_assert_int_eq(unlink(aside), 0);
	ck_assert_int_eq(mkfifo(vol, 0644), 0);
	cs = counter_store_open("c.json", data, run, &doc, warning, sizeof warning);
	ck_assert_msg(strstr(warning, "is a FIFO, not a regular file") && strstr(warning, aside), "%s", warning);
	struct stat st;
	ck_assert_int_eq(stat(aside, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(doc, "inputs"), "b")), 4);
	json_decref(doc);
	counter_store_destroy(&cs);

	json_decref(v1);
	json_decref(v2);
	free(aside);
	free(vol);
	free(dur);
	free(data);
	free(run);
	scratch_dir_remove(dir);
}
END_TEST

/* What may be shown is what the card holds: counter_store_durable is the
 * card copy as loaded, and a merge ahead of it (tmpfs newer: a crash) is
 * written to the card by the next durable save even untouched. */
/* Opens c.json in dir's data and run: the store, its merged document
 * in *doc. */
static struct counter_store *s_open(const char *data, const char *run, json_t **doc)
{
	char warning[512];
	struct counter_store *cs = counter_store_open("c.json", data, run, doc, warning, sizeof warning);
	ck_assert_ptr_nonnull(cs);
	ck_assert_msg(!warning[0], "%s", warning);
	return cs;
}

START_TEST(test_durable_is_what_the_card_holds)
{
	char *dir = scratch_dir_new("check-cstore");
	char *data = scratch_path(dir, "data"), *run = scratch_path(dir, "run");
	char err[512];
	json_t *doc;
	struct counter_store *cs = s_open(data, run, &doc);
	ck_assert_int_eq(json_object_size(counter_store_durable(cs)), 0);
	json_decref(doc);
	json_t *v5 = json_pack("{s:{s:I}}", "inputs", "a", (json_int_t)5);
	json_t *v8 = json_pack("{s:{s:I}}", "inputs", "a", (json_int_t)8);
	counter_store_touch(cs);
	ck_assert_int_eq(counter_store_save(cs, v5, true, err, sizeof err), 0);
	ck_assert(json_equal((json_t *)counter_store_durable(cs), v5));
	counter_store_touch(cs);
	ck_assert_int_eq(counter_store_save(cs, v8, false, err, sizeof err), 0); /* tmpfs only */
	ck_assert(json_equal((json_t *)counter_store_durable(cs), v5));
	counter_store_destroy(&cs); /* a crash */

	cs = s_open(data, run, &doc);
	ck_assert(json_equal(doc, v8));
	ck_assert(json_equal((json_t *)counter_store_durable(cs), v5)); /* the card is behind */
	ck_assert_int_eq(counter_store_save(cs, doc, true, err, sizeof err), 0); /* untouched, still written */
	ck_assert(json_equal((json_t *)counter_store_durable(cs), v8));
	json_decref(doc);
	counter_store_destroy(&cs);
	char *vol = scratch_path(run, "c.json");
	ck_assert_int_eq(unlink(vol), 0); /* then a power cut */
	cs = s_open(data, run, &doc);
	ck_assert(json_equal(doc, v8) && json_equal((json_t *)counter_store_durable(cs), v8));
	json_decref(doc);
	counter_store_destroy(&cs);

	json_decref(v5);
	json_decref(v8);
	free(vol);
	free(data);
	free(run);
	scratch_dir_remove(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("counter_store");
	TCase *tc = tcase_create("grow-only");
	tcase_set_timeout(tc, 10); /* a copy that blocked in open() fails, not hangs */
	tcase_add_loop_test(tc, test_merge, 0, sizeof s_merges / sizeof s_merges[0]);
	tcase_add_test(tc, test_copies_and_restart);
	tcase_add_test(tc, test_durable_is_what_the_card_holds);
	suite_add_tcase(s, tc);
	return s;
}
