/* check_notice: the e-mail and the bus event an alarm sends: subject per
 * event, RFC 2047 for a non-ASCII subject, the meter, phase, value and
 * limit in the body, CRLF line ends, the JSON's keys. */
#include "notice.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static struct notice s_notice(const char *event, const char *name)
{
	struct notice n = { .event = event, .name = name, .meter = 2, .phase = 3, .quantity = "I3",
			    .label = "Current L3", .unit = "A", .value = 12.5, .limit = 10, .high = true,
			    .ts = 1795546061, .site = "Plant" };
	strcpy(n.id, "7");
	return n;
}

static const struct {
	const char *event, *name, *want;
} subject_rows[] = {
	{ "raised", "Over-current", "Over-current" },
	{ "reminded", "Over-current", "Reminder: Over-current" },
	{ "recovered", "Over-current", "Recovered: Over-current" },
	{ "raised", "", "Eniscope alarm 7" },
	{ "test", "x", "Test: x" },
	{ "removed", "Over-current", "Rule removed: Over-current" },
};

START_TEST(test_subject)
{
	struct notice n = s_notice(subject_rows[_i].event, subject_rows[_i].name);
	char buf[256];
	notice_subject(&n, buf, sizeof buf);
	ck_assert_str_eq(buf, subject_rows[_i].want);
}
END_TEST

START_TEST(test_mail)
{
	struct notice n = s_notice("raised", "Over-current");
	const char *to[] = { "a@example.com", "b@example.com" };
	char *m = notice_mail(&n, "hub@example.com", to, 2, "hub1");
	ck_assert_ptr_nonnull(m);
	ck_assert(strstr(m, "From: <hub@example.com>\r\n"));
	ck_assert(strstr(m, "To: <a@example.com>,\r\n <b@example.com>\r\n"));
	ck_assert(strstr(m, "Subject: Over-current\r\n"));
	ck_assert(strstr(m, "Date: Tue, 24 Nov 2026 18:47:41 +0000\r\n"));
	ck_assert(strstr(m, "@hub1>\r\n"));
	ck_assert(strstr(m, "\r\n\r\nAlarm \"Over-current\" raised at Plant at 2026-11-24 18:47:41 UTC."));
	ck_assert(strstr(m, "Meter: 2\r\nPhase: 3\r\nCurrent L3: 12.5 A\r\nHigh limit: 10 A\r\n"));
	for (const char *p = m; *p; p++)
		if (*p == '\n')
			ck_assert_msg(p > m && p[-1] == '\r', "bare LF at %ld", (long)(p - m));
	free(m);
}
END_TEST

START_TEST(test_non_ascii_subject_is_encoded)
{
	struct notice n = s_notice("raised", "Überstrom Halle 3");
	const char *to[] = { "a@example.com" };
	char *m = notice_mail(&n, "hub@example.com", to, 1, "h");
	/* base64 of "Überstrom Halle 3" */
	ck_assert_msg(strstr(m, "Subject: =?UTF-8?B?w5xiZXJzdHJvbSBIYWxsZSAz?=\r\n"), "%s", m);
	free(m);
	/* a long one is split into words of at most 75 characters */
	char name[129];
	memset(name, 0, sizeof name);
	for (int i = 0; i < 60; i++)
		strcat(name, "é");
	n = s_notice("raised", name);
	m = notice_mail(&n, "hub@example.com", to, 1, "h");
	const char *s = strstr(m, "Subject: ") + 9, *end = strstr(s, "\r\nMessage-ID");
	int words = 0;
	for (const char *w = s; w && w < end; w = strstr(w + 1, "=?UTF-8?B?")) {
		const char *close = strstr(w, "?=");
		ck_assert_int_le(close + 2 - w, 75);
		words++;
	}
	ck_assert_int_ge(words, 3);
	free(m);
}
END_TEST

START_TEST(test_json)
{
	struct notice n = s_notice("recovered", "Over-current");
	json_t *o = notice_json(&n);
	ck_assert_str_eq(json_string_value(json_object_get(o, "id")), "7");
	ck_assert_str_eq(json_string_value(json_object_get(o, "event")), "recovered");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "meter")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "phase")), 3);
	ck_assert_str_eq(json_string_value(json_object_get(o, "quantity")), "I3");
	ck_assert_double_eq(json_real_value(json_object_get(o, "value")), 12.5);
	ck_assert_double_eq(json_real_value(json_object_get(o, "limit")), 10);
	ck_assert_str_eq(json_string_value(json_object_get(o, "limit_kind")), "high");
	ck_assert_ptr_null(json_object_get(o, "detail"));
	json_decref(o);
	/* a health alarm: no meter, no quantity, a detail */
	struct notice h = { .event = "raised", .name = "Upload backlog", .unit = "s", .value = 4000, .limit = 3600,
			    .high = true, .detail = "Upload target \"cloud\": 5 records not delivered", .ts = 1 };
	strcpy(h.id, "upload-backlog");
	o = notice_json(&h);
	ck_assert_ptr_null(json_object_get(o, "meter"));
	ck_assert_ptr_null(json_object_get(o, "quantity"));
	ck_assert_str_eq(json_string_value(json_object_get(o, "detail")), h.detail);
	json_decref(o);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("notice");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_subject, 0, (int)(sizeof subject_rows / sizeof subject_rows[0]));
	tcase_add_test(tc, test_mail);
	tcase_add_test(tc, test_non_ascii_subject_is_encoded);
	tcase_add_test(tc, test_json);
	suite_add_tcase(s, tc);
	return s;
}
