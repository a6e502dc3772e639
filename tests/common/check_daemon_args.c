/* check_daemon_args: the one command line parser of every daemon: -c, the
 * daemon's own options (with and without a value, with and without a short
 * name), --help, and the usage errors that must stop the daemon with 2. */
#include <check.h>

#include "daemon_args.h"

#include <stdio.h>
#include <unistd.h>

static const char *s_source, *s_minute;
static bool s_once;

static const struct daemon_option s_options[] = {
	{ .name = "source", .key = 's', .arg = "SPEC", .value = &s_source, .help = "sample source" },
	{ .name = "minute-ms", .arg = "N", .value = &s_minute, .help = "test minute" },
	{ .name = "once", .key = '1', .flag = &s_once, .help = "read once" },
	{ 0 },
};

/* Parses a NULL-terminated list, with stdout and stderr silenced so the
 * usage text does not litter the test log. */
static int s_parse(struct daemon_args *a, const struct daemon_option *options, const char **args)
{
	char *argv[16] = { "daemon" };
	int argc = 1;
	while (args[argc - 1])
		argv[argc] = (char *)args[argc - 1], argc++;
	s_source = s_minute = NULL;
	s_once = false;
	FILE *out = freopen("/dev/null", "w", stdout), *err = freopen("/dev/null", "w", stderr);
	ck_assert(out && err);
	return daemon_args_parse(argc, argv, "daemon", options, a);
}

START_TEST(no_arguments_goes_on_with_the_default_config)
{
	struct daemon_args a = { .conf = "junk" };
	ck_assert_int_eq(s_parse(&a, s_options, (const char *[]){ NULL }), -1);
	ck_assert_ptr_null(a.conf);
	ck_assert_ptr_null(s_source);
	ck_assert(!s_once);
}
END_TEST

START_TEST(every_option_in_long_and_short_form_is_taken)
{
	struct daemon_args a;
	ck_assert_int_eq(s_parse(&a, s_options, (const char *[]){ "-c", "/x.json", "-s", "sim", "-1", NULL }), -1);
	ck_assert_str_eq(a.conf, "/x.json");
	ck_assert_str_eq(s_source, "sim");
	ck_assert(s_once);
	ck_assert_int_eq(s_parse(&a, s_options,
				 (const char *[]){ "--config=/y.json", "--source", "replay:f", "--minute-ms", "50", "--once",
						   NULL }),
			 -1);
	ck_assert_str_eq(a.conf, "/y.json");
	ck_assert_str_eq(s_source, "replay:f");
	ck_assert_str_eq(s_minute, "50");
	ck_assert(s_once);
}
END_TEST

START_TEST(help_stops_with_0)
{
	struct daemon_args a;
	ck_assert_int_eq(s_parse(&a, s_options, (const char *[]){ "--help", NULL }), 0);
	ck_assert_int_eq(s_parse(&a, NULL, (const char *[]){ "-h", NULL }), 0);
}
END_TEST

/* each row a command line that must be refused with exit code 2 */
static const char *const *s_bad[] = {
	(const char *[]){ "--bogus", NULL },
	(const char *[]){ "-x", NULL },
	(const char *[]){ "-c", NULL },
	(const char *[]){ "--source", NULL },
	(const char *[]){ "stray", NULL },
	(const char *[]){ "-c", "/x.json", "stray", NULL },
	(const char *[]){ "--once=yes", NULL },
};

START_TEST(a_usage_error_stops_with_2)
{
	struct daemon_args a;
	ck_assert_int_eq(s_parse(&a, s_options, (const char **)s_bad[_i]), 2);
}
END_TEST

START_TEST(options_of_other_daemons_are_refused)
{
	struct daemon_args a;
	ck_assert_int_eq(s_parse(&a, NULL, (const char *[]){ "--once", NULL }), 2);
	ck_assert_int_eq(s_parse(&a, NULL, (const char *[]){ "-s", "sim", NULL }), 2);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("daemon_args");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, no_arguments_goes_on_with_the_default_config);
	tcase_add_test(tc, every_option_in_long_and_short_form_is_taken);
	tcase_add_test(tc, help_stops_with_0);
	tcase_add_loop_test(tc, a_usage_error_stops_with_2, 0, (int)(sizeof s_bad / sizeof s_bad[0]));
	tcase_add_test(tc, options_of_other_daemons_are_refused);
	suite_add_tcase(s, tc);
	return s;
}
