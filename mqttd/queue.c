/* queue: a ring of cap slots; memory is bounded by cap times the largest
 * payload (an rtdata of 8 meters is about 10 KB). */
#include "queue.h"

#include <stdlib.h>
#include <string.h>

struct queue {
	struct queue_msg *ring;
	size_t cap, head, len;
};

struct queue *queue_new(size_t cap)
{
	struct queue *q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	q->cap = cap;
	if (cap && !(q->ring = calloc(cap, sizeof *q->ring))) {
		free(q);
		return NULL;
	}
	return q;
}

static void s_free(struct queue_msg *m)
{
	free(m->topic);
	free(m->data);
	*m = (struct queue_msg){ 0 };
}

void queue_destroy(struct queue **qp)
{
	struct queue *q = *qp;
	if (!q)
		return;
	while (q->len)
		queue_pop(q);
	free(q->ring);
	free(q);
	*qp = NULL;
}

int queue_push(struct queue *q, const char *topic, const char *data, size_t len, int qos, bool retain)
{
	if (!q->cap)
		return 1;
	struct queue_msg m = { .topic = strdup(topic), .data = malloc(len ? len : 1), .len = len, .qos = qos,
			       .retain = retain };
	if (!m.topic || !m.data) {
		s_free(&m);
		return -1;
	}
	memcpy(m.data, data, len);
	int dropped = 0;
	if (q->len == q->cap) {
		queue_pop(q);
		dropped = 1;
	}
	q->ring[(q->head + q->len) % q->cap] = m;
	q->len++;
	return dropped;
}

const struct queue_msg *queue_peek(const struct queue *q)
{
	return q->len ? &q->ring[q->head] : NULL;
}

void queue_pop(struct queue *q)
{
	if (!q->len)
		return;
	s_free(&q->ring[q->head]);
	q->head = (q->head + 1) % q->cap;
	q->len--;
}

size_t queue_len(const struct queue *q)
{
	return q->len;
}
