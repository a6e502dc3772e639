/* storecli: storaged's batch answers are checked before uploadd takes a
 * number from them (issue 13: a series' ts differences summed past 64 bits
 * were undefined behaviour, a negative count became a huge size_t). */
#include "storecli.h"

#include <check.h>
#include <string.h>

static const struct {
	const char *name, *json;
	int64_t after;
	const char *err_has; /* NULL: accepted */
} s_records[] = {
	{ "empty", "[]", 0, NULL },
	{ "rising ids", "[{\"id\":5},{\"id\":6},{\"id\":9}]", 4, NULL },
	{ "not an array", "{}", 0, "no \"records\" array" },
	{ "too many", "[{\"id\":1},{\"id\":2},{\"id\":3},{\"id\":4}]", 0, "4 records, 3 asked for" },
	{ "id missing", "[{\"ts\":60}]", 0, "records[0].id: missing" },
	{ "id real", "[{\"id\":1e30}]", 0, "records[0].id: not a whole number" },
	{ "id not past after", "[{\"id\":4}]", 4, "records[0].id: 4 does not rise past 4" },
	{ "ids falling", "[{\"id\":7},{\"id\":6}]", 0, "records[1].id: 6 does not rise past 7" },
	{ "record not an object", "[3]", 0, "records[0] is not an object" },
};

START_TEST(records_answers_are_checked)
{
	json_t *v = json_loads(s_records[_i].json, 0, NULL);
	ck_assert_ptr_nonnull(v);
	char err[256] = "";
	int rc = storecli_check_records(v, s_records[_i].after, 3, err, sizeof err);
	if (!s_records[_i].err_has)
		ck_assert_msg(rc == 0, "%s: refused: %s", s_records[_i].name, err);
	else
		ck_assert_msg(rc == -1 && strstr(err, s_records[_i].err_has), "%s: rc %d, \"%s\" lacks \"%s\"",
			      s_records[_i].name, rc, err, s_records[_i].err_has);
	json_decref(v);
}
END_TEST

static const struct {
	const char *name, *json;
	const char *err_has;
} s_series[] = {
	{ "good", "{\"series\":[{\"ts\":[1795544400,60,60]}],\"count\":3,\"last\":12,\"more\":false}", NULL },
	{ "nothing", "{\"series\":[],\"count\":0,\"last\":0,\"more\":false}", NULL },
	{ "count negative", "{\"series\":[],\"count\":-1,\"last\":12,\"more\":false}", "count: -1 is out of range 0..3" },
	{ "count over max", "{\"series\":[],\"count\":4,\"last\":12,\"more\":false}", "count: 4 is out of range" },
	{ "last not past after", "{\"series\":[],\"count\":1,\"last\":10,\"more\":false}", "last: 10 does not rise past 10" },
	{ "no more", "{\"series\":[],\"count\":0,\"last\":0}", "lacks series or more" },
	{ "ts not an array", "{\"series\":[{\"ts\":5}],\"count\":1,\"last\":11,\"more\":false}", "series[0] has no ts array" },
	/* each difference fits 64 bits, their sum does not */
	{ "ts sum overflows", "{\"series\":[{\"ts\":[9000000000000000000,9000000000000000000]}],\"count\":1,"
			      "\"last\":11,\"more\":false}", "series[0].ts[0]: 9000000000000000000 is out of range" },
	{ "ts runs past year 9999", "{\"series\":[{\"ts\":[253402300000,60000]}],\"count\":1,\"last\":11,\"more\":false}",
	  "ts runs out of 0..253402300799" },
	{ "ts runs below 0", "{\"series\":[{\"ts\":[60,-120]}],\"count\":1,\"last\":11,\"more\":false}",
	  "ts runs out of" },
	{ "ts real", "{\"series\":[{\"ts\":[60.5]}],\"count\":1,\"last\":11,\"more\":false}",
	  "series[0].ts[0]: not a whole number" },
};

START_TEST(series_answers_are_checked)
{
	json_t *v = json_loads(s_series[_i].json, 0, NULL);
	ck_assert_ptr_nonnull(v);
	char err[256] = "";
	int rc = storecli_check_series(v, 10, 3, err, sizeof err);
	if (!s_series[_i].err_has)
		ck_assert_msg(rc == 0, "%s: refused: %s", s_series[_i].name, err);
	else
		ck_assert_msg(rc == -1 && strstr(err, s_series[_i].err_has), "%s: rc %d, \"%s\" lacks \"%s\"",
			      s_series[_i].name, rc, err, s_series[_i].err_has);
	json_decref(v);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("storecli");
	TCase *tc = tcase_create("storecli");
	tcase_add_loop_test(tc, records_answers_are_checked, 0, (int)(sizeof s_records / sizeof s_records[0]));
	tcase_add_loop_test(tc, series_answers_are_checked, 0, (int)(sizeof s_series / sizeof s_series[0]));
	suite_add_tcase(s, tc);
	return s;
}
