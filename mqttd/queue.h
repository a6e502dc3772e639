/* queue: the messages an instance keeps while its broker is away, at most
 * cap of them.  When full, the oldest goes (readings are a time series: a
 * subscriber would rather have the newest), and is counted. */
#ifndef MQTTD_QUEUE_H
#define MQTTD_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct queue_msg {
	char *topic;
	char *data;
	size_t len;
	int qos;
	bool retain;
};

struct queue;

struct queue *queue_new(size_t cap);
void queue_destroy(struct queue **q);
/* Takes a copy.  Returns the number of messages dropped to make room (0 or
 * 1; 1 and nothing kept when cap is 0), or -1 when out of memory. */
int queue_push(struct queue *q, const char *topic, const char *data, size_t len, int qos, bool retain);
/* The oldest message, or NULL when empty; valid until the next pop/push. */
const struct queue_msg *queue_peek(const struct queue *q);
void queue_pop(struct queue *q);
size_t queue_len(const struct queue *q);

#endif
