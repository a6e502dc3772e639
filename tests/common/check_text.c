/* check_text: UTF-8 sequences told from other bytes (RFC 3629), and text
 * made printable UTF-8 in place, a table of inputs. */
#include <check.h>

#include "text.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *in;
	bool keep_lines;
	const char *out;
} s_rows[] = {
	{ "plain ASCII", false, "plain ASCII" },
	{ "Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x8c", false, "Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x8c" },
	{ "a\nb\tc\rd\x7f" "e\x01", false, "a b c d e " },
	{ "a\nb\tc\rd", true, "a\nb\tc d" },
	{ "caf\xc3 x", false, "caf? x" },            /* a sequence cut short */
	{ "\xa9 tail", false, "? tail" },             /* a continuation byte first: a cut at the start */
	{ "\xc0\xaf", false, "??" },                  /* overlong '/' */
	{ "\xe0\x80\xaf", false, "???" },             /* overlong, 3 bytes */
	{ "\xed\xa0\x80", false, "???" },             /* a surrogate */
	{ "\xf4\x90\x80\x80", false, "????" },        /* above U+10FFFF */
	{ "\xf8\x88\x80\x80\x80", false, "?????" },   /* 5-byte form */
	{ "\xff\xfe", false, "??" },
	{ "end \xe2\x82", false, "end ??" },           /* cut at the end */
};

START_TEST(rows)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s", s_rows[_i].in);
	ck_assert_str_eq(text_printable(buf, s_rows[_i].keep_lines), s_rows[_i].out);
}
END_TEST

START_TEST(lengths)
{
	ck_assert_uint_eq(text_utf8_len((const unsigned char *)"a"), 1);
	ck_assert_uint_eq(text_utf8_len((const unsigned char *)"\xc3\xa9"), 2);
	ck_assert_uint_eq(text_utf8_len((const unsigned char *)"\xe2\x82\xac"), 3);
	ck_assert_uint_eq(text_utf8_len((const unsigned char *)"\xf0\x9f\x94\x8c"), 4);
	ck_assert_uint_eq(text_utf8_len((const unsigned char *)"\xc3"), 0); /* the NUL ends it */
	ck_assert_uint_eq(text_utf8_len((const unsigned char *)"\x80"), 0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");
	tcase_add_loop_test(tc, rows, 0, sizeof s_rows / sizeof s_rows[0]);
	tcase_add_test(tc, lengths);
	suite_add_tcase(s, tc);
	return s;
}
