/* check_os_release: os-release(5) values as a support bundle names the
 * system with them: quotes of either kind taken off, shell escapes in
 * double quotes undone, a key found only at a line's start. */
#include "os_release.h"

#include <check.h>

static const char *const s_debian = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
				    "NAME=\"Debian GNU/Linux\"\n"
				    "VERSION_ID=\"12\"\n"
				    "ID=debian\n";

static const struct {
	const char *text, *key;
	bool found;
	const char *value;
} s_cases[] = {
	/* Debian 12's own file: the quotes are not part of the name */
	{ NULL, "PRETTY_NAME", true, "Debian GNU/Linux 12 (bookworm)" },
	{ NULL, "ID", true, "debian" },
	{ NULL, "VERSION_CODENAME", false, "" },
	{ "NAME='Alpine Linux'\n", "NAME", true, "Alpine Linux" },
	{ "PRETTY_NAME=\"A \\\"quoted\\\" \\$name \\\\ here\"\n", "PRETTY_NAME", true, "A \"quoted\" $name \\ here" },
	/* a key that only ends in the one asked for is another key */
	{ "X_PRETTY_NAME=\"wrong\"\nPRETTY_NAME=right\n", "PRETTY_NAME", true, "right" },
	{ "# PRETTY_NAME=\"a comment\"\n", "PRETTY_NAME", false, "" },
	{ "PRETTY_NAME=\"never closed\nID=x\n", "PRETTY_NAME", false, "" },
	{ "PRETTY_NAME=\n", "PRETTY_NAME", true, "" },
	{ "PRETTY_NAME=last line without newline", "PRETTY_NAME", true, "last line without newline" },
	{ "", "PRETTY_NAME", false, "" },
};

START_TEST(values)
{
	const char *text = s_cases[_i].text ? s_cases[_i].text : s_debian;
	char out[64] = "junk";
	ck_assert_int_eq(os_release_value(text, s_cases[_i].key, out, sizeof out), s_cases[_i].found);
	ck_assert_str_eq(out, s_cases[_i].value);
}
END_TEST

START_TEST(a_long_value_is_cut_to_the_buffer)
{
	char out[8];
	ck_assert(os_release_value(s_debian, "PRETTY_NAME", out, sizeof out));
	ck_assert_str_eq(out, "Debian ");
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("os_release");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, values, 0, sizeof s_cases / sizeof s_cases[0]);
	tcase_add_test(tc, a_long_value_is_cut_to_the_buffer);
	suite_add_tcase(s, tc);
	return s;
}
