/* reading_schema: the one description of a reading.  Source names and
 * topics parse and print as docs/BUS.md says; storaged's blob order is the
 * one on every card already written (a changed bit would misread them);
 * the rows agree with themselves (a phase field is its quantity and digit,
 * a summed system value has its three phases); values round to the
 * manual's resolution, never to "-0". */
#include "reading_schema.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

START_TEST(test_source_names)
{
	static const struct {
		enum reading_kind kind;
		const char *n;
		bool ok;
	} rows[] = {
		{ READING_METER, "1", true },  { READING_METER, "8", true },  { READING_METER, "9", false },
		{ READING_METER, "0", false }, { READING_METER, "", false },  { READING_PULSE, "12", false },
		{ READING_METER, "03", false }, { READING_TEMP, "28-0316a2799aff", true },
		{ READING_TEMP, "28-0316a2799afz", false }, { READING_TEMP, "1", false }, { READING_TEMP, "found", false },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char err[128] = "";
		ck_assert_msg(reading_n_valid(rows[i].kind, rows[i].n, err, sizeof err) == rows[i].ok, "%s", rows[i].n);
		if (!rows[i].ok)
			ck_assert_str_ne(err, "");
	}
	ck_assert_int_eq(reading_kind_parse("meter"), READING_METER);
	ck_assert_int_eq(reading_kind_parse("temp"), READING_TEMP);
	ck_assert_int_eq(reading_kind_parse("Meter"), 0);
	ck_assert_int_eq(reading_kind_parse(NULL), 0);
	ck_assert_str_eq(reading_kind_name(READING_PULSE), "pulse");
}
END_TEST

static const struct {
	const char *topic;
	enum reading_kind kind; /* 0: not a reading */
	const char *n;
} s_topics[] = {
	{ "meter/3/rt", READING_METER, "3" },
	{ "pulse/2", READING_PULSE, "2" },
	{ "temp/28-0316a2799aff", READING_TEMP, "28-0316a2799aff" },
	/* the shape only: a name wrong for its kind is the caller's to refuse */
	{ "pulse/9", READING_PULSE, "9" },
	{ "meter//rt", READING_METER, "" },
	{ "temp/found", 0, NULL },
	{ "meter/3", 0, NULL },
	{ "meter/3/rtx", 0, NULL },
	{ "meter/3/rt/x", 0, NULL },
	{ "pulse/2/x", 0, NULL },
	{ "status/meterd", 0, NULL },
	{ "temp/28-0316a2799aff-and-then-far-too-long", 0, NULL },
	{ "", 0, NULL },
};

START_TEST(test_topics)
{
	char n[READING_N_MAX] = "untouched";
	enum reading_kind kind = reading_topic_parse(s_topics[_i].topic, n, sizeof n);
	ck_assert_int_eq(kind, s_topics[_i].kind);
	if (!kind)
		return;
	ck_assert_str_eq(n, s_topics[_i].n);
	char back[64];
	ck_assert_int_eq(reading_topic(kind, n, back, sizeof back), 0);
	ck_assert_str_eq(back, s_topics[_i].topic);
}
END_TEST

START_TEST(test_topic_that_does_not_fit)
{
	char buf[8];
	ck_assert_int_eq(reading_topic(READING_METER, "3", buf, sizeof buf), -1); /* "meter/3/rt" is 10 */
	ck_assert_int_eq(reading_topic(0, "3", buf, sizeof buf), -1);
	ck_assert_str_eq(reading_topic_prefix(READING_TEMP), "temp/");
	ck_assert_str_eq(reading_publisher(READING_PULSE), "pulsed");
}
END_TEST

/* storaged's blob order as the cards in the field have it (docs/STORE.md):
 * bit i is field i of this list. */
START_TEST(test_stored_order_is_the_cards)
{
	static const char *const meter[] = {
		"V1", "V2", "V3", "V", "I1", "I2", "I3", "I", "In", "P1", "P2", "P3", "P", "Q1", "Q2", "Q3", "Q",
		"S1", "S2", "S3", "S", "PF1", "PF2", "PF3", "PF", "F", "Pmin", "Pmax", "E1", "E2", "E3", "E",
		"Ex1", "Ex2", "Ex3", "Ex", "RE1", "RE2", "RE3", "RE", "REx1", "REx2", "REx3", "REx",
		"AE1", "AE2", "AE3", "AE",
	};
	static const char *const pulse[] = { "count", "total" }, *const temp[] = { "T" };
	static const struct {
		enum reading_kind kind;
		const char *const *names;
		size_t n;
	} kinds[] = { { READING_METER, meter, 48 }, { READING_PULSE, pulse, 2 }, { READING_TEMP, temp, 1 } };
	for (size_t k = 0; k < 3; k++) {
		size_t n;
		const struct reading_field *f = reading_stored(kinds[k].kind, &n);
		ck_assert_uint_eq(n, kinds[k].n);
		for (size_t i = 0; i < n; i++) {
			ck_assert_str_eq(f[i].name, kinds[k].names[i]);
			ck_assert_int_eq(f[i].store, (int)i);
			/* averages in float32, registers and counters in float64 */
			ck_assert_int_eq(f[i].width, f[i].agg == READING_LAST ? 8 : 4);
		}
	}
	size_t n;
	ck_assert_ptr_null(reading_stored(0, &n));
	ck_assert_uint_eq(n, 0);
	/* Pmin is the minute's least P */
	const struct reading_field *pmin = reading_field(READING_METER, "Pmin");
	ck_assert_str_eq(pmin->src, "P");
	ck_assert_int_eq(pmin->agg, READING_MIN);
}
END_TEST

START_TEST(test_rows_agree_with_themselves)
{
	for (int k = 1; k <= READING_KINDS; k++) {
		size_t nf;
		const struct reading_field *f = reading_fields(k, &nf);
		ck_assert_uint_gt(nf, 0);
		for (size_t i = 0; i < nf; i++) {
			char name[16];
			if (f[i].phase)
				snprintf(name, sizeof name, "%s%d", f[i].quantity, f[i].phase);
			else
				snprintf(name, sizeof name, "%s", f[i].quantity);
			ck_assert_str_eq(name, f[i].name);
			ck_assert_ptr_eq(reading_field(k, f[i].name), &f[i]); /* names are unique */
			ck_assert_ptr_nonnull(f[i].label);
			if (f[i].flags & READING_SUMMED) {
				ck_assert_int_eq(f[i].phase, 0);
				for (int p = 1; p <= 3; p++) {
					snprintf(name, sizeof name, "%s%d", f[i].quantity, p);
					ck_assert_msg(reading_field(k, name), "%s has no %s", f[i].name, name);
				}
			}
		}
	}
	ck_assert_ptr_null(reading_field(READING_METER, "V4"));
	ck_assert_ptr_null(reading_field(0, "V1"));
	/* the manual's rtdata: 53 measured fields, the meter's linked Pulse
	 * and T only when known */
	size_t nf, bus = 0;
	const struct reading_field *f = reading_fields(READING_METER, &nf);
	for (size_t i = 0; i < nf; i++)
		bus += (f[i].flags & (READING_BUS | READING_OPTIONAL)) == READING_BUS;
	ck_assert_uint_eq(bus, 53);
	ck_assert_str_eq(reading_field(READING_METER, "Q2")->unit, "var");
	ck_assert_ptr_null(reading_field(READING_PULSE, "total")->unit); /* the input's own */
}
END_TEST

/* the manual's resolution: what meterd put on the bus before the table */
static const struct {
	const char *field;
	double in, out;
} s_round_rows[] = {
	{ "V1", 230.126, 230.13 },  { "I", 12.34567, 12.3457 },	  { "P3", -0.004, 0 },
	{ "PF", 0.987654, 0.98765 }, { "F", 50.0004, 50.0 },	  { "E", 1234.567891, 1234.56789 },
	{ "A2", 119.996, 120.0 },   { "T", 21.4374, 21.437 },	  { "Pulse", 7, 7 },
};

START_TEST(test_rounding)
{
	const struct reading_field *f = reading_field(READING_METER, s_round_rows[_i].field);
	double r = reading_round(f, s_round_rows[_i].in);
	ck_assert_msg(fabs(r - s_round_rows[_i].out) < 1e-9, "%s: %.10g", s_round_rows[_i].field, r);
	if (f->bus_dp >= 0)
		ck_assert(!signbit(reading_round(f, -1e-9)));
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("reading_schema");
	TCase *tc = tcase_create("reading_schema");
	tcase_add_test(tc, test_source_names);
	tcase_add_loop_test(tc, test_topics, 0, sizeof s_topics / sizeof s_topics[0]);
	tcase_add_test(tc, test_topic_that_does_not_fit);
	tcase_add_test(tc, test_stored_order_is_the_cards);
	tcase_add_test(tc, test_rows_agree_with_themselves);
	tcase_add_loop_test(tc, test_rounding, 0, sizeof s_round_rows / sizeof s_round_rows[0]);
	suite_add_tcase(s, tc);
	return s;
}
