/* check_lineproto: InfluxDB line protocol from records: the escaping of
 * names, tags and strings (table and randomised round trips through a
 * reference reader of InfluxDB's rules), and the lines each kind of record
 * becomes. */
#include "lineproto.h"
#include "lp_scan.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *s_escaped(const char *s, enum lp_part part)
{
	static char out[4096];
	struct buf b = { 0 };
	lineproto_escape(&b, s, part);
	snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	buf_free(&b);
	return out;
}

START_TEST(test_escape_table)
{
	static const struct {
		const char *in;
		enum lp_part part;
		const char *want;
	} rows[] = {
		{ "Main board", LP_TAG, "Main\\ board" },
		{ "a,b=c", LP_TAG, "a\\,b\\=c" },
		{ "a,b=c d", LP_MEASUREMENT, "a\\,b=c\\ d" },
		{ "back\\slash", LP_TAG, "back/slash" },
		{ "trailing\\", LP_TAG, "trailing/" },
		{ "line\nbreak\ttab", LP_TAG, "line\\ break\\ tab" },
		{ "Büro 2", LP_TAG, "Büro\\ 2" },
		{ "say \"hi\" \\o/", LP_STRING, "say \\\"hi\\\" \\\\o/" },
		{ "a,b c=d", LP_STRING, "a,b c=d" },
		{ "", LP_TAG, "" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		ck_assert_msg(!strcmp(s_escaped(rows[i].in, rows[i].part), rows[i].want), "\"%s\" -> \"%s\", want \"%s\"",
			      rows[i].in, s_escaped(rows[i].in, rows[i].part), rows[i].want);
}
END_TEST

/* Builds "m<sfx>,k<sfx>=<v> f<sfx>=1,s=\"<v>\" 60" with s escaped in every
 * position and checks the reference reader gets s back in each. */
static void s_round_trip(const char *s)
{
	struct buf b = { 0 };
	lineproto_escape(&b, s[0] ? s : "x", LP_MEASUREMENT);
	buf_puts(&b, ",");
	lineproto_escape(&b, s[0] ? s : "x", LP_TAG);
	buf_puts(&b, "=");
	lineproto_escape(&b, s[0] ? s : "x", LP_TAG);
	buf_puts(&b, " ");
	lineproto_escape(&b, s[0] ? s : "x", LP_TAG);
	buf_puts(&b, "=1,str=\"");
	lineproto_escape(&b, s, LP_STRING);
	buf_puts(&b, "\" 60\n");
	ck_assert(!buf_failed(&b));
	ck_assert_msg(!strchr(b.data, '\n') || strchr(b.data, '\n') == b.data + b.len - 1, "a newline inside: %s",
		      b.data);
	struct lp_line l;
	ck_assert_msg(lp_scan(b.data, &l) == 0, "does not parse: %s", b.data);
	char name[LP_SCAN_LEN], str[LP_SCAN_LEN];
	lp_expected_name(s[0] ? s : "x", name, sizeof name);
	lp_expected_string(s, str, sizeof str);
	ck_assert_int_eq(l.ntags, 1);
	ck_assert_int_eq(l.nfields, 2);
	ck_assert_str_eq(l.measurement, name);
	ck_assert_str_eq(l.tag_key[0], name);
	ck_assert_str_eq(l.tag_value[0], name);
	ck_assert_str_eq(l.field_key[0], name);
	ck_assert_str_eq(l.field_value[0], "1");
	ck_assert_str_eq(l.field_value[1], str);
	ck_assert_int_eq(l.ts, 60);
	buf_free(&b);
}

START_TEST(test_escape_round_trips_random_names)
{
	static const char alphabet[] = "ab ,=\"\\\n\t#_-.\xc3\xa9";
	unsigned seed = 12345;
	for (int i = 0; i < 20000; i++) {
		char s[24];
		int len = (int)(rand_r(&seed) % 20);
		for (int k = 0; k < len; k++)
			s[k] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
		s[len] = '\0';
		s_round_trip(s);
	}
	s_round_trip("\\");
	s_round_trip("\\,");
	s_round_trip("a\\ b");
	s_round_trip(" ");
}
END_TEST

static struct hubinfo s_hub(void)
{
	struct hubinfo h = { 0 };
	strcpy(h.mac, "02:00:00:00:00:01");
	strcpy(h.meter[0].name, "Main board, east");
	strcpy(h.pulse[1].name, "Gas");
	return h;
}

static const char *s_lines(const char *record_json, int *nlines, char *err, size_t errlen)
{
	static char out[8192];
	json_error_t jerr;
	json_t *r = json_loads(record_json, 0, &jerr);
	ck_assert_msg(r, "bad test JSON: %s", jerr.text);
	struct hubinfo h = s_hub();
	struct buf b = { 0 };
	*nlines = lineproto_record(&b, r, &h, err, errlen);
	snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	buf_free(&b);
	json_decref(r);
	return out;
}

START_TEST(test_meter_record_is_a_line_per_phase_and_a_total)
{
	char err[256];
	int n;
	const char *text = s_lines("{\"id\":7,\"rid\":\"x\",\"kind\":\"meter\",\"n\":1,\"ts\":1795544400,\"time\":\"synced\","
				   "\"count\":60,\"values\":{\"V1\":230.1,\"V2\":231,\"V3\":229.5,\"V\":230.2,"
				   "\"I1\":12.5,\"I\":30,\"In\":1.5,\"P1\":2800,\"P\":6900,\"PF1\":0.97,\"F\":50.01,"
				   "\"Pmin\":6000,\"Pmax\":7100,\"E1\":1234.5,\"E\":5000.25,\"REx3\":9}}",
				   &n, err, sizeof err);
	ck_assert_msg(n == 4, "%d lines (%s): %s", n, err, text);
	ck_assert_str_eq(text,
			 "meter,hub=02:00:00:00:00:01,meter=1,name=Main\\ board\\,\\ east,phase=1 V=230.1,I=12.5,P=2800,"
			 "PF=0.97,E=1234.5 1795544400\n"
			 "meter,hub=02:00:00:00:00:01,meter=1,name=Main\\ board\\,\\ east,phase=2 V=231 1795544400\n"
			 "meter,hub=02:00:00:00:00:01,meter=1,name=Main\\ board\\,\\ east,phase=3 V=229.5,REx=9 1795544400\n"
			 "meter,hub=02:00:00:00:00:01,meter=1,name=Main\\ board\\,\\ east,phase=total V=230.2,I=30,In=1.5,"
			 "P=6900,F=50.01,Pmin=6000,Pmax=7100,E=5000.25 1795544400\n");
	/* and each line reads back with its tags */
	struct lp_line l;
	ck_assert_int_eq(lp_scan(text, &l), 0);
	ck_assert_str_eq(l.tag_value[2], "Main board, east");
}
END_TEST

START_TEST(test_single_phase_meter_has_no_empty_lines)
{
	char err[256];
	int n;
	const char *text = s_lines("{\"kind\":\"meter\",\"n\":3,\"ts\":60,\"time\":\"restamped\",\"values\":"
				   "{\"V1\":230,\"I1\":1,\"V\":230,\"I\":1}}",
				   &n, err, sizeof err);
	ck_assert_int_eq(n, 2);
	/* meter 3 has no name here: the tag is left out, never empty */
	ck_assert_str_eq(text, "meter,hub=02:00:00:00:00:01,meter=3,phase=1 V=230,I=1 60\n"
			       "meter,hub=02:00:00:00:00:01,meter=3,phase=total V=230,I=1 60\n");
}
END_TEST

START_TEST(test_pulse_and_temperature_lines)
{
	char err[256];
	int n;
	const char *text = s_lines("{\"kind\":\"pulse\",\"n\":2,\"ts\":120,\"time\":\"synced\",\"values\":"
				   "{\"count\":1234,\"total\":12.34,\"unit\":\"m3\"}}",
				   &n, err, sizeof err);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(text, "pulse,hub=02:00:00:00:00:01,input=2,name=Gas,unit=m3 count=1234,total=12.34 120\n");
	text = s_lines("{\"kind\":\"temp\",\"n\":\"28-0316a2799aff\",\"ts\":180,\"time\":\"synced\",\"values\":{\"T\":21.437}}",
		       &n, err, sizeof err);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(text, "temperature,hub=02:00:00:00:00:01,probe=28-0316a2799aff T=21.437 180\n");
}
END_TEST

START_TEST(test_bad_records_are_refused_whole)
{
	static const char *const bad[] = {
		"{\"kind\":\"meter\",\"n\":1,\"ts\":60,\"time\":\"unknown\",\"values\":{\"V\":1}}",
		"{\"kind\":\"meter\",\"n\":1,\"ts\":60,\"values\":{\"V\":1}}",
		"{\"kind\":\"blender\",\"n\":1,\"ts\":60,\"time\":\"synced\",\"values\":{\"V\":1}}",
		"{\"kind\":\"meter\",\"ts\":60,\"time\":\"synced\",\"values\":{\"V\":1}}",
		"{\"kind\":\"meter\",\"n\":1,\"ts\":\"60\",\"time\":\"synced\",\"values\":{\"V\":1}}",
		"{\"kind\":\"meter\",\"n\":1,\"ts\":60,\"time\":\"synced\",\"values\":{}}",
		"{\"kind\":\"meter\",\"n\":1,\"ts\":60,\"time\":\"synced\",\"values\":{\"V\":null}}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char err[256] = "";
		int n;
		const char *text = s_lines(bad[i], &n, err, sizeof err);
		ck_assert_msg(n == -1, "accepted: %s", bad[i]);
		ck_assert_msg(err[0], "no reason for: %s", bad[i]);
		ck_assert_str_eq(text, "");
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("lineproto");
	TCase *tc = tcase_create("lineproto");
	tcase_add_test(tc, test_escape_table);
	tcase_add_test(tc, test_escape_round_trips_random_names);
	tcase_add_test(tc, test_meter_record_is_a_line_per_phase_and_a_total);
	tcase_add_test(tc, test_single_phase_meter_has_no_empty_lines);
	tcase_add_test(tc, test_pulse_and_temperature_lines);
	tcase_add_test(tc, test_bad_records_are_refused_whole);
	suite_add_tcase(s, tc);
	return s;
}
