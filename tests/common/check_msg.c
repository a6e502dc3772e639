/* check_msg: the bus message format (msg.h) without sockets.  Every buffer
 * handed to msg_topic_valid/msg_decode is copied into an allocation of
 * exactly its length, so AddressSanitizer catches a read past a frame (ZeroMQ
 * frames are not NUL-terminated). */
#include <check.h>

#include "msg.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A malloc'd copy of len bytes with no terminator. */
static void *s_exact(const void *data, size_t len)
{
	void *p = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(p);
	memcpy(p, data, len);
	return p;
}

/* --- topics --- */

#define A64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

struct topic_row {
	const char *topic;
	size_t len; /* 0: strlen(topic) */
	bool valid;
};

static const struct topic_row s_topics[] = {
	{ "meter/1/rt", 0, true },
	{ "temp/28-0316a2799aff", 0, true },
	{ "status/meterd", 0, true },
	{ "a", 0, true },
	{ "A_b.c:d-e/f9", 0, true },
	{ A64 A64, 0, true }, /* MSG_TOPIC_MAX bytes */
	{ "", 0, false },
	{ A64 A64 "a", 0, false }, /* one over */
	{ "a//b", 0, false },
	{ "a/", 0, false },
	{ "/a", 0, false },
	{ "/", 0, false },
	{ "a b", 0, false },
	{ " a", 0, false },
	{ "a\tb", 0, false },
	{ "meter/#", 0, false },
	{ "meter/+/rt", 0, false },
	{ "a*b", 0, false },
	{ "a\\b", 0, false },
	{ "caf\xc3\xa9", 0, false },
	{ "\xff", 0, false },
	{ "a\0b", 3, false },
	{ "ab\0", 3, false },
};

START_TEST(topic_validity_follows_the_segment_grammar)
{
	const struct topic_row *r = &s_topics[_i];
	size_t len = r->len ? r->len : strlen(r->topic);
	char *t = s_exact(r->topic, len);
	char err[160] = "";
	bool got = msg_topic_valid(t, len, err, sizeof err);
	ck_assert_msg(got == r->valid, "topic \"%.*s\" (%zu bytes): got %s, expected %s (%s)", (int)len, r->topic,
		      len, got ? "valid" : "invalid", r->valid ? "valid" : "invalid", err);
	if (!r->valid)
		ck_assert_msg(strlen(err) > 0, "topic \"%s\" rejected without a reason", r->topic);
	free(t);
}
END_TEST

/* --- encode --- */

START_TEST(encode_adds_seq_and_ts)
{
	json_t *p = json_pack("{s:f,s:s}", "P", 1.5, "name", "x");
	size_t len = 0;
	char err[160] = "";
	char *text = msg_encode(p, 7, 1700000000.25, &len, err, sizeof err);
	ck_assert_msg(text != NULL, "%s", err);
	ck_assert_uint_eq(len, strlen(text));
	json_t *back = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	ck_assert_ptr_nonnull(back);
	ck_assert(json_is_integer(json_object_get(back, "seq")));
	ck_assert_int_eq(json_integer_value(json_object_get(back, "seq")), 7);
	ck_assert_double_eq(json_number_value(json_object_get(back, "ts")), 1700000000.25);
	ck_assert_double_eq(json_number_value(json_object_get(back, "P")), 1.5);
	ck_assert_str_eq(json_string_value(json_object_get(back, "name")), "x");
	ck_assert_uint_eq(json_object_size(back), 4);
	json_decref(back);
	free(text);
	json_decref(p);
}
END_TEST

START_TEST(encode_keeps_a_ts_the_payload_already_has)
{
	json_t *p = json_pack("{s:f}", "ts", 123.5);
	size_t len;
	char err[160] = "";
	char *text = msg_encode(p, 0, 1700000000.0, &len, err, sizeof err);
	ck_assert_msg(text != NULL, "%s", err);
	json_t *back = json_loads(text, 0, NULL);
	ck_assert_double_eq(json_number_value(json_object_get(back, "ts")), 123.5);
	ck_assert_int_eq(json_integer_value(json_object_get(back, "seq")), 0);
	json_decref(back);
	free(text);

	/* an integer ts is a number too */
	json_object_set_new(p, "ts", json_integer(1600000000));
	text = msg_encode(p, 1, 1700000000.0, &len, err, sizeof err);
	ck_assert_msg(text != NULL, "%s", err);
	back = json_loads(text, 0, NULL);
	ck_assert_double_eq(json_number_value(json_object_get(back, "ts")), 1600000000.0);
	json_decref(back);
	free(text);
	json_decref(p);
}
END_TEST

START_TEST(encode_replaces_a_stale_seq)
{
	json_t *p = json_pack("{s:i}", "seq", 99);
	size_t len;
	char err[160] = "";
	char *text = msg_encode(p, 3, 1.0, &len, err, sizeof err);
	ck_assert_msg(text != NULL, "%s", err);
	json_t *back = json_loads(text, 0, NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(back, "seq")), 3);
	json_decref(back);
	free(text);
	json_decref(p);
}
END_TEST

START_TEST(encode_rejects_a_payload_that_is_not_an_object)
{
	json_t *bad[] = { json_array(), json_string("x"), json_integer(1), json_null(), NULL };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t len = 12345;
		char err[160] = "";
		char *text = msg_encode(bad[i], 1, 1.0, &len, err, sizeof err);
		ck_assert_msg(text == NULL, "payload %zu accepted", i);
		ck_assert_msg(strstr(err, "object") != NULL, "reason \"%s\" does not say it must be an object", err);
		json_decref(bad[i]);
	}
}
END_TEST

/* jansson cannot hold NaN, so the only way in is the ts argument; a message
 * without a valid ts would be refused by every subscriber. */
START_TEST(encode_rejects_a_nan_or_infinite_ts)
{
	const double bad[] = { NAN, INFINITY, -INFINITY, -1.0 };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *p = json_object();
		size_t len;
		char err[160] = "";
		char *text = msg_encode(p, 1, bad[i], &len, err, sizeof err);
		ck_assert_msg(text == NULL, "ts %g accepted: %s", bad[i], text);
		ck_assert_msg(strstr(err, "ts") != NULL, "reason \"%s\" does not name ts", err);
		json_decref(p);
	}
}
END_TEST

/* Whatever msg_encode sends, msg_decode must read: 15 significant digits
 * would print DBL_MAX as a number that overflows when read back. */
START_TEST(encode_refuses_a_real_that_would_not_read_back)
{
	json_t *bad[] = { json_pack("{s:f}", "v", DBL_MAX), json_pack("{s:[i,{s:f}]}", "a", 1, "v", -DBL_MAX) };
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char err[160] = "";
		char *text = msg_encode(bad[i], 1, 1.0, &len, err, sizeof err);
		ck_assert_msg(text == NULL, "sent %s", text);
		ck_assert_msg(strstr(err, "too large") != NULL, "reason \"%s\"", err);
		json_decref(bad[i]);
	}
	json_t *p = json_pack("{s:f,s:f}", "big", 1e308, "tiny", 4.9e-324);
	size_t len;
	char err[160] = "";
	char *text = msg_encode(p, 1, 1.0, &len, err, sizeof err);
	ck_assert_msg(text != NULL, "%s", err);
	json_t *back = msg_decode("a", 1, text, len, NULL, err, sizeof err);
	ck_assert_msg(back != NULL, "%s does not read back: %s", text, err);
	ck_assert_double_eq(json_real_value(json_object_get(back, "big")), 1e308);
	json_decref(back);
	free(text);
	json_decref(p);
}
END_TEST

START_TEST(encode_rejects_a_payload_over_the_limit)
{
	char *big = malloc(MSG_PAYLOAD_MAX + 1);
	memset(big, 'x', MSG_PAYLOAD_MAX);
	big[MSG_PAYLOAD_MAX] = '\0';
	json_t *p = json_pack("{s:s}", "pad", big);
	size_t len;
	char err[160] = "";
	char *text = msg_encode(p, 1, 1.0, &len, err, sizeof err);
	ck_assert_ptr_null(text);
	ck_assert_msg(strstr(err, "over") != NULL, "reason \"%s\" does not say it is too large", err);
	json_decref(p);
	free(big);
}
END_TEST

/* --- decode --- */

struct decode_row {
	const char *name;
	const char *topic;
	const char *payload;
	size_t payload_len; /* 0: strlen(payload) */
	const char *err_has; /* NULL: accepted */
};

static const struct decode_row s_decodes[] = {
	{ "good", "meter/1/rt", "{\"ts\":1700000000.5,\"seq\":0,\"P\":241.3}", 0, NULL },
	{ "integer ts", "status/meterd", "{\"ts\":1700000000,\"seq\":12}", 0, NULL },
	{ "ts zero", "a", "{\"ts\":0,\"seq\":0}", 0, NULL },
	{ "whitespace", "a", " { \"ts\" : 1 , \"seq\" : 1 } \n", 0, NULL },
	{ "not JSON", "meter/1/rt", "nope", 0, "expected" },
	{ "empty payload", "meter/1/rt", "", 0, "expected" },
	{ "truncated", "meter/1/rt", "{\"ts\":1,\"seq\":", 0, "meter/1/rt" },
	{ "trailing garbage", "meter/1/rt", "{\"ts\":1,\"seq\":1} x", 0, "end of file expected" },
	{ "NUL after the object", "meter/1/rt", "{\"ts\":1,\"seq\":1}\0x", 18, "end of file expected" },
	{ "array", "meter/1/rt", "[{\"ts\":1,\"seq\":1}]", 0, "object" },
	{ "missing ts", "meter/1/rt", "{\"seq\":1}", 0, "\"ts\"" },
	{ "negative ts", "meter/1/rt", "{\"ts\":-1,\"seq\":1}", 0, "\"ts\"" },
	{ "string ts", "meter/1/rt", "{\"ts\":\"1700000000\",\"seq\":1}", 0, "\"ts\"" },
	{ "null ts", "meter/1/rt", "{\"ts\":null,\"seq\":1}", 0, "\"ts\"" },
	{ "missing seq", "meter/1/rt", "{\"ts\":1}", 0, "\"seq\"" },
	{ "negative seq", "meter/1/rt", "{\"ts\":1,\"seq\":-1}", 0, "\"seq\"" },
	{ "real seq", "meter/1/rt", "{\"ts\":1,\"seq\":1.0}", 0, "\"seq\"" },
	{ "string seq", "meter/1/rt", "{\"ts\":1,\"seq\":\"1\"}", 0, "\"seq\"" },
	{ "duplicate keys", "meter/1/rt", "{\"ts\":1,\"seq\":1,\"P\":1,\"P\":2}", 0, "duplicate" },
	{ "NUL in a string", "meter/1/rt", "{\"ts\":1,\"seq\":1,\"n\":\"a\\u0000b\"}", 0, "NUL" },
	{ "bad UTF-8", "meter/1/rt", "{\"ts\":1,\"seq\":1,\"n\":\"\xff\"}", 0, "0xff" },
	{ "empty topic", "", "{\"ts\":1,\"seq\":1}", 0, "topic" },
	{ "bad topic", "meter//rt", "{\"ts\":1,\"seq\":1}", 0, "topic" },
	{ "topic with a space", "meter 1", "{\"ts\":1,\"seq\":1}", 0, "topic" },
	/* finite, but no whole-second integer holds it (issue 13: mqttd converted it) */
	{ "ts 1e70", "meter/1/rt", "{\"ts\":1e70,\"seq\":1}", 0, "\"ts\": 1e+70 is out of range 0..253402300799" },
	{ "ts after year 9999", "meter/1/rt", "{\"ts\":253402300800,\"seq\":1}", 0, "\"ts\"" },
	{ "ts at the end of year 9999", "meter/1/rt", "{\"ts\":253402300799,\"seq\":1}", 0, NULL },
	{ "seq beyond 64 bits", "meter/1/rt", "{\"ts\":1,\"seq\":1e30}", 0, "\"seq\": not a whole number" },
};

/* The checked getters every consumer of outside numbers uses: a row is a
 * JSON value (NULL: absent), the getter, its range, and the result or
 * the words the refusal must have. */
enum getter { G_INT, G_REAL, G_TS };
static const struct getter_row {
	const char *name, *json;
	enum getter g;
	double min, max;
	double want;       /* when accepted */
	const char *err_has; /* NULL: accepted */
} s_getters[] = {
	{ "int in range", "5", G_INT, 1, 8, 5, NULL },
	{ "int at min", "1", G_INT, 1, 8, 1, NULL },
	{ "int at max", "8", G_INT, 1, 8, 8, NULL },
	{ "int below", "0", G_INT, 1, 8, 0, "x: 0 is out of range 1..8" },
	{ "int above", "9", G_INT, 1, 8, 0, "x: 9 is out of range 1..8" },
	{ "int as real", "5.0", G_INT, 1, 8, 0, "x: not a whole number, must be a whole number 1..8" },
	{ "int as string", "\"5\"", G_INT, 1, 8, 0, "x: not a number" },
	{ "int absent", NULL, G_INT, 1, 8, 0, "x: missing" },
	{ "int huge real", "1e70", G_INT, 0, 100, 0, "not a whole number" },
	{ "real in range", "2.5", G_REAL, -10, 10, 2.5, NULL },
	{ "real from an integer", "-3", G_REAL, -10, 10, -3, NULL },
	{ "real above", "1e300", G_REAL, -10, 10, 0, "x: 1e+300 is out of range -10..10" },
	{ "real below", "-11", G_REAL, -10, 10, 0, "out of range" },
	{ "real null", "null", G_REAL, -10, 10, 0, "x: not a number" },
	{ "ts fraction dropped", "1700000000.9", G_TS, 0, 0, 1700000000, NULL },
	{ "ts integer", "0", G_TS, 0, 0, 0, NULL },
	{ "ts 1e70", "1e70", G_TS, 0, 0, 0, "x: 1e+70 is out of range 0..253402300799" },
	{ "ts 1e19 (over int64)", "1e19", G_TS, 0, 0, 0, "out of range" },
	{ "ts negative", "-0.5", G_TS, 0, 0, 0, "out of range" },
	{ "ts bool", "true", G_TS, 0, 0, 0, "not a number" },
};

START_TEST(getters_check_type_and_range_before_converting)
{
	const struct getter_row *r = &s_getters[_i];
	json_t *v = r->json ? json_loads(r->json, JSON_DECODE_ANY, NULL) : NULL;
	ck_assert(!r->json || v);
	char err[256] = "";
	int rc;
	double got = 0;
	if (r->g == G_INT) {
		int64_t x = -1;
		rc = msg_int(v, "x", (int64_t)r->min, (int64_t)r->max, &x, err, sizeof err);
		got = (double)x;
	} else if (r->g == G_REAL) {
		rc = msg_real(v, "x", r->min, r->max, &got, err, sizeof err);
	} else {
		int64_t x = -1;
		rc = msg_ts(v, "x", &x, err, sizeof err);
		got = (double)x;
	}
	if (!r->err_has) {
		ck_assert_msg(rc == 0, "%s: refused: %s", r->name, err);
		ck_assert_msg(got == r->want, "%s: got %.17g, want %.17g", r->name, got, r->want);
	} else {
		ck_assert_msg(rc == -1, "%s: accepted", r->name);
		ck_assert_msg(strstr(err, r->err_has) != NULL, "%s: reason \"%s\" lacks \"%s\"", r->name, err,
			      r->err_has);
	}
	json_decref(v);
}
END_TEST

START_TEST(decode_accepts_good_messages_and_names_what_is_wrong_with_bad_ones)
{
	const struct decode_row *r = &s_decodes[_i];
	size_t tlen = strlen(r->topic), plen = r->payload_len ? r->payload_len : strlen(r->payload);
	void *t = s_exact(r->topic, tlen), *p = s_exact(r->payload, plen);
	char *topic_out = NULL;
	char err[256] = "";
	json_t *obj = msg_decode(t, tlen, p, plen, &topic_out, err, sizeof err);
	if (!r->err_has) {
		ck_assert_msg(obj != NULL, "%s: rejected: %s", r->name, err);
		ck_assert(json_is_object(obj));
		ck_assert_str_eq(topic_out, r->topic);
	} else {
		ck_assert_msg(obj == NULL, "%s: accepted", r->name);
		ck_assert_msg(strstr(err, r->err_has) != NULL, "%s: reason \"%s\" does not mention %s", r->name, err,
			      r->err_has);
		ck_assert_ptr_null(topic_out);
	}
	json_decref(obj);
	free(topic_out);
	free(t);
	free(p);
}
END_TEST

/* A payload padded to exactly n bytes. */
static char *s_payload_of(size_t n)
{
	const char *head = "{\"ts\":1,\"seq\":1,\"pad\":\"";
	char *s = malloc(n);
	ck_assert_ptr_nonnull(s);
	size_t h = strlen(head);
	memcpy(s, head, h);
	memset(s + h, 'x', n - h - 2);
	memcpy(s + n - 2, "\"}", 2);
	return s;
}

START_TEST(decode_accepts_a_payload_of_exactly_the_limit_and_rejects_one_byte_more)
{
	char *at = s_payload_of(MSG_PAYLOAD_MAX), *over = s_payload_of(MSG_PAYLOAD_MAX + 1);
	char err[256] = "";
	json_t *obj = msg_decode("big", 3, at, MSG_PAYLOAD_MAX, NULL, err, sizeof err);
	ck_assert_msg(obj != NULL, "%s", err);
	ck_assert_uint_eq(strlen(json_string_value(json_object_get(obj, "pad"))), MSG_PAYLOAD_MAX - 25);
	json_decref(obj);
	obj = msg_decode("big", 3, over, MSG_PAYLOAD_MAX + 1, NULL, err, sizeof err);
	ck_assert_ptr_null(obj);
	ck_assert_msg(strstr(err, "over") != NULL, "reason \"%s\" does not say it is too large", err);
	free(at);
	free(over);
}
END_TEST

START_TEST(decode_without_topic_out_still_checks_everything)
{
	char err[256] = "";
	const char *good = "{\"ts\":2,\"seq\":3}", *bad = "{\"ts\":2}";
	json_t *obj = msg_decode("a/b", 3, good, strlen(good), NULL, err, sizeof err);
	ck_assert_msg(obj != NULL, "%s", err);
	ck_assert_int_eq(json_integer_value(json_object_get(obj, "seq")), 3);
	json_decref(obj);
	ck_assert_ptr_null(msg_decode("a/b", 3, bad, strlen(bad), NULL, err, sizeof err));
	ck_assert_msg(strstr(err, "\"seq\"") != NULL, "%s", err);
}
END_TEST

START_TEST(encode_then_decode_gives_back_the_same_message)
{
	json_t *p = json_pack("{s:f,s:f,s:s,s:[i,i,i],s:{s:b}}", "P", 241.3, "E_Wh", 123456789.125, "name", "Meter 1",
			      "phases", 1, 2, 3, "flags", "ok", 1);
	size_t len;
	char err[256] = "";
	char *text = msg_encode(p, 42, 1700000000.123, &len, err, sizeof err);
	ck_assert_msg(text != NULL, "%s", err);
	void *t = s_exact("meter/1/rt", 10), *b = s_exact(text, len);
	char *topic = NULL;
	json_t *back = msg_decode(t, 10, b, len, &topic, err, sizeof err);
	ck_assert_msg(back != NULL, "%s", err);
	ck_assert_str_eq(topic, "meter/1/rt");
	/* p is left as it was: what came back is p plus the seq and ts sent */
	ck_assert_ptr_null(json_object_get(p, "seq"));
	ck_assert_ptr_null(json_object_get(p, "ts"));
	json_object_set_new(p, "seq", json_integer(42));
	json_object_set_new(p, "ts", json_real(1700000000.123));
	ck_assert_msg(json_equal(back, p), "decoded %s != sent %s", (char *)b, json_dumps(p, JSON_COMPACT));
	ck_assert_double_eq(json_real_value(json_object_get(back, "P")), 241.3);
	ck_assert_double_eq(json_real_value(json_object_get(back, "ts")), 1700000000.123);
	json_decref(back);
	free(topic);
	free(t);
	free(b);
	free(text);
	json_decref(p);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("topic");
	tcase_add_loop_test(tc, topic_validity_follows_the_segment_grammar, 0,
			    (int)(sizeof s_topics / sizeof s_topics[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("encode");
	tcase_add_test(tc, encode_adds_seq_and_ts);
	tcase_add_test(tc, encode_keeps_a_ts_the_payload_already_has);
	tcase_add_test(tc, encode_replaces_a_stale_seq);
	tcase_add_test(tc, encode_rejects_a_payload_that_is_not_an_object);
	tcase_add_test(tc, encode_rejects_a_nan_or_infinite_ts);
	tcase_add_test(tc, encode_refuses_a_real_that_would_not_read_back);
	tcase_add_test(tc, encode_rejects_a_payload_over_the_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	tcase_add_loop_test(tc, decode_accepts_good_messages_and_names_what_is_wrong_with_bad_ones, 0,
			    (int)(sizeof s_decodes / sizeof s_decodes[0]));
	tcase_add_test(tc, decode_accepts_a_payload_of_exactly_the_limit_and_rejects_one_byte_more);
	tcase_add_loop_test(tc, getters_check_type_and_range_before_converting, 0,
			    (int)(sizeof s_getters / sizeof s_getters[0]));
	tcase_add_test(tc, decode_without_topic_out_still_checks_everything);
	tcase_add_test(tc, encode_then_decode_gives_back_the_same_message);
	suite_add_tcase(s, tc);
	return s;
}
