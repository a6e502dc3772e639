/* check_w1: the w1 file formats (w1.h), one table per parser: what the
 * kernel writes for a good read, and every way a read must be refused
 * (CRC NO, the 85 C power-on value, -127 C, out of range, garbage), each
 * with its reason; real scratchpads of each family against the bits their
 * datasheets fix (nine zero bytes pass the kernel's CRC, never ours); and
 * which directory names are thermometers. */
#include <check.h>

#include "w1.h"

#include <string.h>

#define L1_YES "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n"
#define L1_NO "72 01 4b 46 7f ff 0e 10 57 : crc=57 NO\n"
#define L2(t) "72 01 4b 46 7f ff 0e 10 57 t=" t "\n"

struct row {
	const char *text;
	int rc;
	long milli;
	const char *why;
};

static const struct row s_slave[] = {
	{ L1_YES L2("23125"), 0, 23125, NULL },
	{ L1_YES L2("-10062"), 0, -10062, NULL },
	{ L1_YES L2("0"), 0, 0, NULL },
	{ L1_YES L2("125000"), 0, 125000, NULL },
	{ L1_YES L2("-55000"), 0, -55000, NULL },
	{ L1_YES "72 01 4b 46 7f ff 0e 10 57 t=21437", 0, 21437, NULL }, /* no final newline */
	{ L1_NO L2("23125"), -1, 0, "CRC check failed" },
	{ L1_YES L2("85000"), -1, 0, "power-on value" },
	{ L1_YES L2("-127000"), -1, 0, "did not answer" },
	{ L1_YES L2("125001"), -1, 0, "outside the probe's range" },
	{ L1_YES L2("-55001"), -1, 0, "outside the probe's range" },
	{ L1_YES L2("999999999999"), -1, 0, "out of range" },
	{ L1_YES L2(""), -1, 0, "no temperature value" },
	{ L1_YES L2("12a"), -1, 0, "unexpected text" },
	{ L1_YES "72 01 4b 46 7f ff 0e 10 57\n", -1, 0, "no t=" },
	{ L1_YES, -1, 0, "no t=" },
	{ "72 01 4b 46 7f ff 0e 10 57 : crc=57 MAYBE\n" L2("1000"), -1, 0, "neither YES nor NO" },
	{ "72 01 4b 46 7f ff 0e 10 57 YES\n" L2("1000"), -1, 0, "no crc=" },
	{ ": crc=57 YES\n" L2("1000"), -1, 0, "9 scratchpad bytes" },
	{ "72 01 4b 46 7f ff 0e 10 : crc=57 YES\n" L2("1000"), -1, 0, "9 scratchpad bytes" },
	{ "72 01 4b 46 7f ff 0e 10 5 : crc=57 YES\n" L2("1000"), -1, 0, "9 scratchpad bytes" },
	{ "", -1, 0, "no CRC line" },
	{ "garbage", -1, 0, "no CRC line" },
	{ "\n\n", -1, 0, "no crc=" },
};

static const struct row s_temperature[] = {
	{ "23125\n", 0, 23125, NULL },
	{ "-1250\n", 0, -1250, NULL },
	{ "  19500", 0, 19500, NULL },
	{ "85000\n", -1, 0, "power-on value" },
	{ "-127000\n", -1, 0, "did not answer" },
	{ "", -1, 0, "no temperature value" },
	{ "hot\n", -1, 0, "no temperature value" },
	{ "20000 21000\n", -1, 0, "unexpected text" },
};

/* w1_parse_slave for a DS18B20, the family of the rows above */
static int s_parse_ds18b20(const char *text, size_t len, long *milli, char *why, size_t whylen)
{
	return w1_parse_slave("28-0316a2799aff", text, len, milli, why, whylen);
}

static void s_check(const struct row *r, int (*parse)(const char *, size_t, long *, char *, size_t))
{
	long milli = 42;
	char why[200] = "";
	int rc = parse(r->text, strlen(r->text), &milli, why, sizeof why);
	ck_assert_msg(rc == r->rc, "\"%s\": rc %d, expected %d (%s)", r->text, rc, r->rc, why);
	if (rc == 0)
		ck_assert_int_eq(milli, r->milli);
	else
		ck_assert_msg(strstr(why, r->why), "\"%s\": reason \"%s\" lacks \"%s\"", r->text, why, r->why);
}

START_TEST(test_slave)
{
	s_check(&s_slave[_i], s_parse_ds18b20);
}
END_TEST

/* A scratchpad and what the kernel's w1_therm makes of it: the CRC it
 * computed (the CRCs here are the real Dallas CRC-8 of the first eight
 * bytes, so the kernel says YES) and the t= it derived from bytes 0-1. */
#define SP(bytes, crc, t) bytes " : crc=" crc " YES\n" bytes " t=" t "\n"

static const struct {
	const char *id, *text;
	int rc;
	long milli;
	const char *why;
} s_scratchpads[] = {
	/* DS18B20: 12-bit (7F), 11-bit (5F), 10-bit (3F), 9-bit (1F) */
	{ "28-0316a2799aff", SP("72 01 4b 46 7f ff 0e 10 57", "57", "23125"), 0, 23125, NULL },
	{ "28-0316a2799aff", SP("5e ff 4b 46 7f ff 02 10 b6", "b6", "-10125"), 0, -10125, NULL },
	{ "28-0316a2799aff", SP("72 01 4b 46 5f ff 0e 10 27", "27", "23125"), 0, 23125, NULL },
	{ "28-0316a2799aff", SP("72 01 4b 46 3f ff 0e 10 b7", "b7", "23125"), 0, 23125, NULL },
	{ "28-0316a2799aff", SP("91 01 4b 46 1f ff 0f 10 b5", "b5", "25062"), 0, 25062, NULL },
	/* the power-on scratchpad is well formed: refused for its 85 C */
	{ "28-0316a2799aff", SP("50 05 4b 46 7f ff 0c 10 1c", "1c", "85000"), -1, 0, "power-on value" },
	/* the case: a bus held low, CRC of zeros is zero */
	{ "28-0316a2799aff", SP("00 00 00 00 00 00 00 00 00", "00", "0"), -1, 0,
	  "no DS18B20 can hold: configuration register (0xx11111) reads 00" },
	{ "28-0316a2799aff", SP("72 01 4b 46 ff ff 0e 10 8e", "8e", "23125"), -1, 0, "configuration register" },
	{ "28-0316a2799aff", SP("72 01 4b 46 7f 00 0e 10 85", "85", "23125"), -1, 0, "reserved byte 5 (FF) reads 00" },
	{ "28-0316a2799aff", SP("72 01 4b 46 7f ff 0e 00 ca", "ca", "23125"), -1, 0, "reserved byte 7 (10) reads 00" },
	{ "28-0316a2799aff", SP("72 21 4b 46 7f ff 0e 10 b8", "b8", "535125"), -1, 0, "MSB 21 is not sign-extended" },
	/* all ones (no probe pulling the bus) fails the kernel's CRC first */
	{ "28-0316a2799aff", "ff ff ff ff ff ff ff ff ff : crc=c9 NO\nff ff ff ff ff ff ff ff ff t=-62\n", -1, 0, "CRC" },
	/* DS1822: the DS18B20's map */
	{ "22-000000112233", SP("72 01 4b 46 7f ff 0e 10 57", "57", "23125"), 0, 23125, NULL },
	{ "22-000000112233", SP("00 00 00 00 00 00 00 00 00", "00", "0"), -1, 0, "no DS1822 can hold" },
	/* DS18S20: 9-bit with COUNT_REMAIN, the kernel's t= uses it */
	{ "10-00080000abcd", SP("2c 00 4b 46 ff ff 0c 10 86", "86", "22000"), 0, 22000, NULL },
	{ "10-00080000abcd", SP("d8 ff 4b 46 ff ff 0c 10 b2", "b2", "-20000"), 0, -20000, NULL },
	{ "10-00080000abcd", SP("aa 00 4b 46 ff ff 0c 10 87", "87", "85000"), -1, 0, "power-on value" },
	{ "10-00080000abcd", SP("00 00 00 00 00 00 00 00 00", "00", "0"), -1, 0,
	  "no DS18S20 can hold: reserved byte 4 (FF) reads 00" },
	{ "10-00080000abcd", SP("2c 00 4b 46 7f ff 0c 10 5f", "5f", "22000"), -1, 0, "reserved byte 4 (FF) reads 7F" },
	{ "10-00080000abcd", SP("2c 00 4b 46 ff 7f 0c 10 e4", "e4", "22000"), -1, 0, "reserved byte 5 (FF) reads 7F" },
	{ "10-00080000abcd", SP("2c 00 4b 46 ff ff 0c 00 1b", "1b", "22000"), -1, 0, "COUNT PER C, byte 7 (10) reads 00" },
	{ "10-00080000abcd", SP("2c 01 4b 46 ff ff 0c 10 bb", "bb", "150000"), -1, 0, "MSB 01 is not sign-extended" },
};

START_TEST(test_scratchpad)
{
	long milli = 42;
	char why[200] = "";
	const char *text = s_scratchpads[_i].text;
	int rc = w1_parse_slave(s_scratchpads[_i].id, text, strlen(text), &milli, why, sizeof why);
	ck_assert_msg(rc == s_scratchpads[_i].rc, "%s \"%s\": rc %d (%s)", s_scratchpads[_i].id, text, rc, why);
	if (rc == 0)
		ck_assert_int_eq(milli, s_scratchpads[_i].milli);
	else
		ck_assert_msg(strstr(why, s_scratchpads[_i].why), "%s: reason \"%s\" lacks \"%s\"",
			      s_scratchpads[_i].id, why, s_scratchpads[_i].why);
}
END_TEST

START_TEST(test_temperature)
{
	s_check(&s_temperature[_i], w1_parse_temperature);
}
END_TEST

START_TEST(test_nul_is_refused)
{
	static const char text[] = L1_YES "72 01\0 t=20000\n";
	long milli;
	char why[160];
	ck_assert_int_eq(w1_parse_slave("28-0316a2799aff", text, sizeof text - 1, &milli, why, sizeof why), -1);
	ck_assert_int_eq(w1_parse_temperature("20\0""000", 6, &milli, why, sizeof why), -1);
}
END_TEST

static const struct {
	const char *name, *family;
} s_names[] = {
	{ "28-0316a2799aff", "DS18B20" }, { "10-00080000abcd", "DS18S20" }, { "22-000000112233", "DS1822" },
	{ "42-00000aabbccd", "DS28EA00" }, { "3b-000000000001", "MAX31826" }, { "28-0316A2799AFF", "DS18B20" },
	{ "w1_bus_master1", NULL }, { "01-000000000001", NULL }, /* an iButton id, not a thermometer */
	{ "28-0316a2799af", NULL }, { "28-0316a2799afff", NULL }, { "28_0316a2799aff", NULL },
	{ "28-0316a2799axf", NULL }, { "", NULL }, { ".", NULL },
};

START_TEST(test_family)
{
	const char *f = w1_family(s_names[_i].name);
	if (s_names[_i].family)
		ck_assert_msg(f && !strcmp(f, s_names[_i].family), "%s: %s", s_names[_i].name, f ? f : "NULL");
	else
		ck_assert_msg(!f, "%s taken as %s", s_names[_i].name, f);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("w1");
	TCase *tc = tcase_create("formats");
	tcase_add_loop_test(tc, test_slave, 0, sizeof s_slave / sizeof s_slave[0]);
	tcase_add_loop_test(tc, test_temperature, 0, sizeof s_temperature / sizeof s_temperature[0]);
	tcase_add_loop_test(tc, test_scratchpad, 0, sizeof s_scratchpads / sizeof s_scratchpads[0]);
	tcase_add_test(tc, test_nul_is_refused);
	tcase_add_loop_test(tc, test_family, 0, sizeof s_names / sizeof s_names[0]);
	suite_add_tcase(s, tc);
	return s;
}
