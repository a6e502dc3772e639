/* check_policy: apt-cache policy's output (C locale) read for the
 * installed and candidate versions, a table of outputs as apt prints
 * them, and broken or hostile ones refused with a reason. */
#include <check.h>

#include "policy.h"

#include <string.h>

#define TABLE                                                                                                          \
	"  Version table:\n"                                                                                           \
	"     0.2.0-1 500\n"                                                                                           \
	"        500 https://apt.example.com/eniscope bookworm/main arm64 Packages\n"                                  \
	" *** 0.1.0-1 100\n"                                                                                           \
	"        100 /var/lib/dpkg/status\n"

static const struct {
	const char *text;
	int rc;
	const char *installed, *candidate;
	bool offered;
	const char *why; /* in the error when rc is -1 */
} s_rows[] = {
	{ "eniscope-hub:\n  Installed: 0.1.0-1\n  Candidate: 0.2.0-1\n" TABLE, 0, "0.1.0-1", "0.2.0-1", true, NULL },
	{ "eniscope-hub:\n  Installed: 0.2.0-1\n  Candidate: 0.2.0-1\n" TABLE, 0, "0.2.0-1", "0.2.0-1", false, NULL },
	/* not installed (a build machine): offered, as apt-get install would */
	{ "eniscope-hub:\n  Installed: (none)\n  Candidate: 0.2.0-1\n" TABLE, 0, "", "0.2.0-1", true, NULL },
	/* installed, the source gone or not reachable: nothing offered */
	{ "eniscope-hub:\n  Installed: 0.1.0-1\n  Candidate: (none)\n", 0, "0.1.0-1", "", false, NULL },
	/* epochs, tildes, pluses; apt's warnings before the block */
	{ "W: Some index files failed to download.\neniscope-hub:\n  Installed: 1:0.1.0~rc1+b2-1\n"
	  "  Candidate: 1:0.1.0-1\n",
	  0, "1:0.1.0~rc1+b2-1", "1:0.1.0-1", true, NULL },
	/* another package first, whose name starts the same */
	{ "eniscope-hub-dbg:\n  Installed: 9\n  Candidate: 9\neniscope-hub:\n  Installed: 1.0\n  Candidate: 1.1\n", 0,
	  "1.0", "1.1", true, NULL },
	/* with an architecture qualifier */
	{ "eniscope-hub:arm64:\n  Installed: 1.0\n  Candidate: 1.0\n", 0, "1.0", "1.0", false, NULL },
	/* no trailing newline */
	{ "eniscope-hub:\n  Installed: 1.0\n  Candidate: 1.1", 0, "1.0", "1.1", true, NULL },
	/* apt knows no such package: nothing on stdout */
	{ "", -1, NULL, NULL, false, "no package eniscope-hub" },
	{ "N: Unable to locate package eniscope-hub\n", -1, NULL, NULL, false, "no package eniscope-hub" },
	/* translated output (not the C locale) */
	{ "eniscope-hub:\n  Installiert: 1.0\n  Installationskandidat: 1.1\n", -1, NULL, NULL, false, "no \"Installed:\"" },
	{ "eniscope-hub:\n  Installed: 1.0\n", -1, NULL, NULL, false, "no \"Candidate:\"" },
	{ "eniscope-hub:\n  Installed: 1.0; reboot\n  Candidate: 1.1\n", -1, NULL, NULL, false, "not a Debian version" },
	{ "eniscope-hub:\n  Installed: 1.0\n  Candidate: <script>\n", -1, NULL, NULL, false, "not a Debian version" },
	{ "eniscope-hub:\n  Installed: \n  Candidate: 1.1\n", -1, NULL, NULL, false, "empty" },
	{ "eniscope-hub:\n  Installed: 1.0\n  Candidate: "
	  "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
	  "111111111111111111111111\n",
	  -1, NULL, NULL, false, "too long" },
};

START_TEST(rows)
{
	struct policy p;
	char err[256] = "";
	int rc = policy_parse(s_rows[_i].text, strlen(s_rows[_i].text), "eniscope-hub", &p, err, sizeof err);
	ck_assert_msg(rc == s_rows[_i].rc, "row %d: rc %d (%s)", _i, rc, err);
	if (rc == 0) {
		ck_assert_str_eq(p.installed, s_rows[_i].installed);
		ck_assert_str_eq(p.candidate, s_rows[_i].candidate);
		ck_assert(policy_update_offered(&p) == s_rows[_i].offered);
	} else {
		ck_assert_msg(strstr(err, s_rows[_i].why), "row %d: \"%s\" does not say %s", _i, err, s_rows[_i].why);
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");
	tcase_add_loop_test(tc, rows, 0, sizeof s_rows / sizeof s_rows[0]);
	suite_add_tcase(s, tc);
	return s;
}
