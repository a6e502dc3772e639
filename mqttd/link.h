/* link: one mqttd instance's connection to its broker, over paho-mqtt-c's
 * asynchronous client.
 *
 * Paho runs its own threads and calls back on them.  Those callbacks do
 * nothing but write an event record (struct link_event) to a SOCK_SEQPACKET
 * socket pair that the daemon loop watches; every state change happens in
 * the loop, in link_on_event().  A callback never touches a link: it only
 * knows the link's id, so an event for a link already replaced is ignored.
 *
 * Reconnecting is the link's own (link_tick on the loop's clock): 1 s after
 * a failure, doubling to at most LINK_BACKOFF_MAX_MS, back to 1 s after a
 * success.  Paho's automatic reconnect is not used because it does not
 * retry a first connection that failed.  While the broker is away,
 * readings wait in a bounded queue (queue.h), oldest dropped first.
 *
 * What must arrive (the hub's "online", discovery configs and their
 * clearing) is not a reading: link_put keeps the newest payload of each
 * such retained topic apart from the queue, sends it before any queued
 * reading, and sends it again on every connection (a broker without
 * persistence forgets retained messages when it restarts) until the broker
 * has acknowledged it on that connection.  A full queue of readings never
 * drops one of them.
 *
 * The last will is "offline" on <topic>/status, retained, QoS 1; on every
 * connection the link publishes "online" there, and "offline" before a
 * clean disconnect. */
#ifndef MQTTD_LINK_H
#define MQTTD_LINK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINK_BACKOFF_MIN_MS 1000
#define LINK_BACKOFF_MAX_MS 30000
#define LINK_CONNECT_TIMEOUT_S 10
#define LINK_CLOSE_TIMEOUT_MS 1500

struct link_settings {
	char title[65];
	char host[254];
	int port;
	char username[129];
	char password[129];
	char client_id[24];
	bool tls, tls_insecure;
	char ca_file[256], cert_file[256], key_file[256];
	int keepalive_s;
	char topic[257]; /* the base: status is <topic>/status */
	size_t queue_len;
};

struct link;

struct link_hooks {
	/* the connection is up and "online" sent: subscribe, publish what a
	 * new session needs */
	void (*connected)(struct link *l, void *ud);
	/* a message arrived on a subscription (data may be empty) */
	void (*message)(struct link *l, const char *topic, const char *data, size_t len, bool retained, void *ud);
	void *ud;
};

/* An event record, as written by paho's threads.  text holds the topic and
 * then the payload of a message, or a reason. */
enum link_event_type {
	LINK_EV_CONNECTED,
	LINK_EV_CONNECT_FAILED,
	LINK_EV_LOST,
	LINK_EV_SENT,
	LINK_EV_SEND_FAILED,
	LINK_EV_TLS_ERROR,
	LINK_EV_MESSAGE,
	LINK_EV_DISCONNECTED,
};
#define LINK_EVENT_TEXT_MAX 3072
struct link_event {
	uint32_t link;
	uint8_t type;
	uint8_t retained;
	int32_t code;
	int32_t token;      /* LINK_EV_SENT, LINK_EV_SEND_FAILED: paho's token of the message */
	uint16_t topic_len; /* LINK_EV_MESSAGE: text[0..topic_len) is the topic */
	uint16_t text_len;
	char text[LINK_EVENT_TEXT_MAX];
};

/* The event socket pair: [0] read by the loop, [1] written by callbacks. */
int link_events_open(int fds[2]);
/* Reads one event; 1, 0 when none is waiting, -1 on error. */
int link_events_read(int fd, struct link_event *ev);
/* Events that could not be written (socket full) since start. */
uint64_t link_events_lost(void);

/* Creates the client (no connection yet: link_tick starts it).  NULL with a
 * reason when paho refuses the settings. */
struct link *link_new(const struct link_settings *s, uint32_t id, int event_fd, const struct link_hooks *hooks,
		      char *err, size_t errlen);
/* Destroys the client; call link_close first for a clean goodbye. */
void link_destroy(struct link **l);

uint32_t link_id(const struct link *l);
const struct link_settings *link_settings(const struct link *l);
bool link_connected(const struct link *l);

/* Handles an event of this link (ev->link == link_id). */
void link_on_event(struct link *l, const struct link_event *ev);
/* Connects when due, and sends what waits in the queue when connected. */
void link_tick(struct link *l, int64_t now_ms);

/* Publishes a reading, or when the broker is away (or messages that must
 * arrive are still waiting) keeps it in the queue. */
void link_publish(struct link *l, const char *topic, const char *data, size_t len, int qos, bool retain);
/* A retained message that must arrive (QoS 1): replaces what the topic had
 * before, and is sent before any reading and again on every connection
 * until acknowledged.  An empty payload clears the topic; once the broker
 * acknowledged a clearing the link forgets the topic.  -1 when out of
 * memory (nothing changed). */
int link_put(struct link *l, const char *topic, const char *data, size_t len);
/* Whether the broker acknowledged, on the current connection, the payload
 * last put on topic. */
bool link_put_acked(const struct link *l, const char *topic);
void link_subscribe(struct link *l, const char *filter);

/* Says "offline" and disconnects (at most LINK_CLOSE_TIMEOUT_MS for what
 * is in flight); link_closed() turns true when done. */
void link_close(struct link *l, int64_t now_ms);
bool link_closed(const struct link *l, int64_t now_ms);

/* connected, state, last_error, messages sent/dropped/queued, ... */
json_t *link_status(const struct link *l);

/* Plain words for a failed connection: paho's code and message, and the
 * TLS library's reason when the handshake failed ("" when none).  Exposed
 * for tests. */
void link_describe_failure(int code, const char *message, const char *tls_reason, bool tls, const char *host,
			   char *buf, size_t len);
/* The reason part of an OpenSSL error line
 * ("...:SSL routines:func:certificate verify failed:file:line:"). */
void link_tls_reason(const char *line, size_t linelen, char *buf, size_t len);

#endif
