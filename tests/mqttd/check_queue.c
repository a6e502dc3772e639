/* queue: keeps at most cap messages in order, drops the oldest when full
 * and says so, keeps nothing with cap 0. */
#include "queue.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

static void s_push(struct queue *q, int i, int want_dropped)
{
	char data[16];
	int n = snprintf(data, sizeof data, "m%d", i);
	ck_assert_int_eq(queue_push(q, "t/x", data, (size_t)n, 1, i % 2), want_dropped);
}

START_TEST(fifo_until_full_then_oldest_dropped)
{
	struct queue *q = queue_new(3);
	s_push(q, 1, 0);
	s_push(q, 2, 0);
	s_push(q, 3, 0);
	s_push(q, 4, 1); /* m1 goes */
	s_push(q, 5, 1); /* m2 goes */
	ck_assert_uint_eq(queue_len(q), 3);
	for (int i = 3; i <= 5; i++) {
		const struct queue_msg *m = queue_peek(q);
		char want[16];
		snprintf(want, sizeof want, "m%d", i);
		ck_assert_uint_eq(m->len, strlen(want));
		ck_assert(!memcmp(m->data, want, m->len));
		ck_assert_str_eq(m->topic, "t/x");
		ck_assert_int_eq(m->qos, 1);
		ck_assert_int_eq(m->retain, i % 2);
		queue_pop(q);
	}
	ck_assert_ptr_null(queue_peek(q));
	queue_pop(q); /* harmless when empty */
	s_push(q, 6, 0);
	queue_destroy(&q); /* frees what is left */
	ck_assert_ptr_null(q);
}
END_TEST

START_TEST(cap_zero_keeps_nothing)
{
	struct queue *q = queue_new(0);
	s_push(q, 1, 1);
	ck_assert_uint_eq(queue_len(q), 0);
	ck_assert_ptr_null(queue_peek(q));
	queue_destroy(&q);
}
END_TEST

START_TEST(empty_payload)
{
	struct queue *q = queue_new(2);
	ck_assert_int_eq(queue_push(q, "a", "", 0, 0, true), 0);
	ck_assert_uint_eq(queue_peek(q)->len, 0);
	queue_destroy(&q);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("queue");
	TCase *tc = tcase_create("queue");
	tcase_add_test(tc, fifo_until_full_then_oldest_dropped);
	tcase_add_test(tc, cap_zero_keeps_nothing);
	tcase_add_test(tc, empty_payload);
	suite_add_tcase(s, tc);
	return s;
}
