/* link: see link.h.  Everything here runs on the daemon loop except the
 * s_cb_* functions, which run on paho's threads and only write events. */
#include "link.h"

#include "backoff.h"

#include "clock.h"
#include "discovery.h"
#include "log.h"
#include "queue.h"
#include "regular_file.h"

#include <MQTTAsync.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum state {
	ST_WAITING,    /* for the next attempt */
	ST_CONNECTING, /* an attempt is under way */
	ST_CONNECTED,
	ST_CLOSING, /* disconnect under way */
	ST_CLOSED,
};

static const char *const s_state_names[] = { "waiting", "connecting", "connected", "closing", "closed" };

/* A message that must arrive (link_put): the newest payload of its topic. */
struct put {
	char *topic, *data;
	size_t len;
	enum { PUT_PENDING, PUT_IN_FLIGHT, PUT_ACKED } st;
	int token; /* paho's, while in flight */
};

struct link {
	struct link_settings s;
	uint32_t id;
	int event_fd;
	struct link_hooks hooks;
	MQTTAsync client;
	enum state state;
	int64_t next_attempt_ms, close_deadline_ms;
	struct backoff backoff; /* of the connection attempts */
	struct queue *queue;
	struct put *puts;
	size_t nputs, puts_cap;
	char status_topic[DISCOVERY_TOPIC_MAX];
	char last_error[256];
	char tls_reason[160]; /* from the TLS library during the current attempt */
	uint64_t sent, dropped, connects, failures;
	double connected_since; /* wall clock, for status */
};

/* ---- paho's threads: only write events ---- */

static atomic_uint_fast64_t s_events_lost;

static void s_emit(uintptr_t id, int type, int code, int token, const char *topic, size_t topic_len,
		   const char *text, size_t text_len, bool retained)
{
	struct link_event ev = { .link = (uint32_t)id, .type = (uint8_t)type, .code = code, .token = token,
				 .retained = retained };
	int fd = (int)(id >> 32);
	if (topic_len > 512)
		topic_len = 512;
	if (topic_len)
		memcpy(ev.text, topic, topic_len);
	if (text_len > LINK_EVENT_TEXT_MAX - topic_len)
		text_len = LINK_EVENT_TEXT_MAX - topic_len;
	if (text_len)
		memcpy(ev.text + topic_len, text, text_len);
	ev.topic_len = (uint16_t)topic_len;
	ev.text_len = (uint16_t)text_len;
	size_t n = offsetof(struct link_event, text) + topic_len + text_len;
	if (send(fd, &ev, n, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)n)
		atomic_fetch_add(&s_events_lost, 1);
}

/* The context paho hands back: the link id and the event socket, never a
 * pointer, so a late callback cannot reach freed memory. */
static void *s_ctx(const struct link *l)
{
	return (void *)(((uintptr_t)(unsigned)l->event_fd << 32) | l->id);
}

static void s_emit_text(void *ctx, int type, int code, const char *text)
{
	s_emit((uintptr_t)ctx, type, code, 0, NULL, 0, text, text ? strlen(text) : 0, false);
}

static void s_cb_connected(void *ctx, MQTTAsync_successData *r)
{
	(void)r;
	s_emit_text(ctx, LINK_EV_CONNECTED, 0, NULL);
}

static void s_cb_connect_failed(void *ctx, MQTTAsync_failureData *r)
{
	s_emit_text(ctx, LINK_EV_CONNECT_FAILED, r ? r->code : -1, r ? r->message : NULL);
}

static void s_cb_lost(void *ctx, char *cause)
{
	s_emit_text(ctx, LINK_EV_LOST, 0, cause);
}

static void s_cb_sent(void *ctx, MQTTAsync_successData *r)
{
	s_emit((uintptr_t)ctx, LINK_EV_SENT, 0, r ? r->token : 0, NULL, 0, NULL, 0, false);
}

static void s_cb_send_failed(void *ctx, MQTTAsync_failureData *r)
{
	const char *why = r ? r->message : NULL;
	s_emit((uintptr_t)ctx, LINK_EV_SEND_FAILED, r ? r->code : -1, r ? r->token : 0, NULL, 0, why,
	       why ? strlen(why) : 0, false);
}

static void s_cb_disconnected(void *ctx, MQTTAsync_successData *r)
{
	(void)r;
	s_emit_text(ctx, LINK_EV_DISCONNECTED, 0, NULL);
}

static void s_cb_disconnect_failed(void *ctx, MQTTAsync_failureData *r)
{
	(void)r;
	s_emit_text(ctx, LINK_EV_DISCONNECTED, 0, NULL);
}

static int s_cb_tls_error(const char *str, size_t len, void *ctx)
{
	s_emit((uintptr_t)ctx, LINK_EV_TLS_ERROR, 0, 0, NULL, 0, str, len, false);
	return 0;
}

static int s_cb_message(void *ctx, char *topic, int topic_len, MQTTAsync_message *m)
{
	size_t tl = topic_len > 0 ? (size_t)topic_len : strlen(topic);
	s_emit((uintptr_t)ctx, LINK_EV_MESSAGE, 0, 0, topic, tl, m->payload, (size_t)m->payloadlen, m->retained);
	MQTTAsync_freeMessage(&m);
	MQTTAsync_free(topic);
	return 1;
}

/* ---- the event socket ---- */

int link_events_open(int fds[2])
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) < 0)
		return -1;
	int size = 1 << 20; /* a burst of acknowledgements never fills it */
	setsockopt(fds[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
	setsockopt(fds[0], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	return 0;
}

int link_events_read(int fd, struct link_event *ev)
{
	ssize_t n = recv(fd, ev, sizeof *ev, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	if ((size_t)n < offsetof(struct link_event, text))
		return -1;
	size_t body = (size_t)n - offsetof(struct link_event, text);
	if ((size_t)ev->topic_len + ev->text_len != body)
		return -1;
	return 1;
}

uint64_t link_events_lost(void)
{
	return atomic_load(&s_events_lost);
}

/* ---- plain words ---- */

void link_tls_reason(const char *line, size_t linelen, char *buf, size_t len)
{
	/* thread:error:code:library:function:reason:file:line: */
	const char *p = line, *end = line + linelen;
	for (int field = 0; field < 5 && p < end; field++) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		if (!c) {
			p = end;
			break;
		}
		p = c + 1;
	}
	const char *c = p < end ? memchr(p, ':', (size_t)(end - p)) : NULL;
	if (p >= end || !c || c == p) { /* not in that form: the whole line */
		p = line;
		c = end;
		while (c > p && (c[-1] == '\n' || c[-1] == ':'))
			c--;
	}
	snprintf(buf, len, "%.*s", (int)(c - p), p);
}

static bool s_is_ip(const char *host)
{
	unsigned char a[16];
	return inet_pton(AF_INET, host, a) == 1 || inet_pton(AF_INET6, host, a) == 1;
}

void link_describe_failure(int code, const char *message, const char *tls_reason, bool tls, const char *host,
			   char *buf, size_t len)
{
	switch (code) {
	case 1: snprintf(buf, len, "refused by the broker: unacceptable protocol version"); return;
	case 2: snprintf(buf, len, "refused by the broker: client id rejected"); return;
	case 3: snprintf(buf, len, "refused by the broker: server unavailable"); return;
	case 4: snprintf(buf, len, "refused by the broker: wrong username or password"); return;
	case 5:
		snprintf(buf, len, "refused by the broker: not authorised (wrong username or password, or not allowed)");
		return;
	default: break;
	}
	if (tls_reason && *tls_reason) {
		snprintf(buf, len, "TLS failure: %s", tls_reason);
		return;
	}
	/* paho 1.3 says no more than these; what they mean was seen against
	 * mosquitto (tests/mqttd/test_mqttd_errors.sh) */
	if (!message) {
		if (s_is_ip(host))
			snprintf(buf, len, "cannot connect to %s", host);
		else
			snprintf(buf, len, "cannot resolve host name %s", host);
	} else if (!strcmp(message, "TCP/TLS connect failure")) {
		snprintf(buf, len, tls ? "connection refused, or TLS handshake failed" : "connection refused");
	} else if (!strcmp(message, "TCP connect completion failure")) {
		snprintf(buf, len, "host unreachable");
	} else if (!strcmp(message, "socket error")) {
		snprintf(buf, len, tls ? "TLS handshake failed (is that port a TLS listener?)" : "connection failed");
	} else if (strstr(message, "timed out") || strstr(message, "timeout")) {
		snprintf(buf, len, "no answer from the broker (timed out)");
	} else {
		snprintf(buf, len, "connection failed: %s (code %d)", message, code);
	}
}

/* ---- the link, on the loop ---- */

struct link *link_new(const struct link_settings *s, uint32_t id, int event_fd, const struct link_hooks *hooks,
		      char *err, size_t errlen)
{
	struct link *l = calloc(1, sizeof *l);
	if (!l) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	l->s = *s;
	l->id = id;
	l->event_fd = event_fd;
	l->hooks = *hooks;
	l->backoff = (struct backoff)BACKOFF_INIT(LINK_BACKOFF_MIN_MS, LINK_BACKOFF_MAX_MS);
	l->next_attempt_ms = 0; /* at the first tick */
	discovery_status_topic(s->topic, l->status_topic, sizeof l->status_topic);
	l->queue = queue_new(s->queue_len);
	char uri[300];
	bool v6 = strchr(s->host, ':') != NULL;
	snprintf(uri, sizeof uri, "%s://%s%s%s:%d", s->tls ? "ssl" : "tcp", v6 ? "[" : "", s->host, v6 ? "]" : "",
		 s->port);
	MQTTAsync_createOptions co = MQTTAsync_createOptions_initializer;
	co.MQTTVersion = MQTTVERSION_3_1_1;
	int rc = l->queue ? MQTTAsync_createWithOptions(&l->client, uri, s->client_id, MQTTCLIENT_PERSISTENCE_NONE,
							NULL, &co)
			  : MQTTASYNC_FAILURE;
	if (rc != MQTTASYNC_SUCCESS) {
		snprintf(err, errlen, "cannot create an MQTT client for %s: %s", uri, MQTTAsync_strerror(rc));
		l->client = NULL;
		link_destroy(&l);
		return NULL;
	}
	MQTTAsync_setCallbacks(l->client, s_ctx(l), s_cb_lost, s_cb_message, NULL);
	return l;
}

void link_destroy(struct link **lp)
{
	struct link *l = *lp;
	if (!l)
		return;
	if (l->client)
		MQTTAsync_destroy(&l->client);
	queue_destroy(&l->queue);
	for (size_t i = 0; i < l->nputs; i++) {
		free(l->puts[i].topic);
		free(l->puts[i].data);
	}
	free(l->puts);
	free(l);
	*lp = NULL;
}

uint32_t link_id(const struct link *l)
{
	return l->id;
}

const struct link_settings *link_settings(const struct link *l)
{
	return &l->s;
}

bool link_connected(const struct link *l)
{
	return l->state == ST_CONNECTED;
}

static void s_connect(struct link *l)
{
	MQTTAsync_connectOptions o = MQTTAsync_connectOptions_initializer;
	MQTTAsync_willOptions will = MQTTAsync_willOptions_initializer;
	MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
	o.keepAliveInterval = l->s.keepalive_s;
	o.cleansession = 1;
	o.connectTimeout = LINK_CONNECT_TIMEOUT_S;
	o.MQTTVersion = MQTTVERSION_3_1_1;
	o.onSuccess = s_cb_connected;
	o.onFailure = s_cb_connect_failed;
	o.context = s_ctx(l);
	if (l->s.username[0]) {
		o.username = l->s.username;
		o.password = l->s.password;
	}
	will.topicName = l->status_topic;
	will.message = "offline";
	will.retained = 1;
	will.qos = 1;
	o.will = &will;
	if (l->s.tls) {
		/* paho's one thread reads them for every link: a FIFO in
		 * place of one would stop them all */
		const char *files[] = { l->s.ca_file, l->s.cert_file, l->s.key_file };
		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			if (!files[i][0])
				continue;
			char why[512];
			int fd = regular_file_open(files[i], 0, why, sizeof why);
			if (fd < 0) {
				snprintf(l->last_error, sizeof l->last_error, "TLS file %s", why);
				l->state = ST_WAITING;
				l->next_attempt_ms = clock_mono_ms() + backoff_next(&l->backoff);
				return;
			}
			close(fd);
		}
		ssl.trustStore = l->s.ca_file[0] ? l->s.ca_file : NULL;
		ssl.keyStore = l->s.cert_file[0] ? l->s.cert_file : NULL;
		ssl.privateKey = l->s.key_file[0] ? l->s.key_file : NULL;
		ssl.enableServerCertAuth = !l->s.tls_insecure;
		ssl.verify = !l->s.tls_insecure; /* the host name too */
		ssl.ssl_error_cb = s_cb_tls_error;
		ssl.ssl_error_context = s_ctx(l);
		o.ssl = &ssl;
	}
	l->tls_reason[0] = '\0';
	int rc = MQTTAsync_connect(l->client, &o);
	if (rc != MQTTASYNC_SUCCESS) {
		snprintf(l->last_error, sizeof l->last_error, "cannot start a connection: %s", MQTTAsync_strerror(rc));
		l->state = ST_WAITING;
		l->next_attempt_ms = clock_mono_ms() + backoff_next(&l->backoff);
		return;
	}
	l->state = ST_CONNECTING;
}

static void s_retry_later(struct link *l)
{
	l->state = ST_WAITING;
	l->next_attempt_ms = clock_mono_ms() + backoff_failed(&l->backoff);
}

/* Hands one message to paho: MQTTASYNC_SUCCESS, or paho's refusal.  token
 * (may be NULL) gets paho's token for the message. */
static int s_send(struct link *l, const char *topic, const char *data, size_t len, int qos, bool retain,
		  int *token)
{
	MQTTAsync_message m = MQTTAsync_message_initializer;
	m.payload = (void *)data;
	m.payloadlen = (int)len;
	m.qos = qos;
	m.retained = retain;
	MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
	ro.onSuccess = s_cb_sent;
	ro.onFailure = s_cb_send_failed;
	ro.context = s_ctx(l);
	int rc = MQTTAsync_sendMessage(l->client, topic, &m, &ro);
	if (rc == MQTTASYNC_SUCCESS && token)
		*token = ro.token;
	return rc;
}

/* Whether paho refused a message for now (full, between connections) and
 * takes it later; any other refusal (a topic MQTT does not allow, say) is
 * for good: that message is dropped, counted and logged, so it never
 * blocks the ones behind it. */
static bool s_later(struct link *l, int rc, const char *topic)
{
	switch (rc) {
	case MQTTASYNC_DISCONNECTED:
	case MQTTASYNC_MAX_MESSAGES_INFLIGHT:
	case MQTTASYNC_NO_MORE_MSGIDS:
	case MQTTASYNC_MAX_BUFFERED_MESSAGES:
	case MQTTASYNC_MAX_BUFFERED:
	case MQTTASYNC_FAILURE: return true;
	default:
		l->dropped++;
		log_warn("%s: cannot publish to %.200s: %s; dropped", l->s.title, topic, MQTTAsync_strerror(rc));
		return false;
	}
}

static struct put *s_put_find(const struct link *l, const char *topic)
{
	for (size_t i = 0; i < l->nputs; i++)
		if (!strcmp(l->puts[i].topic, topic))
			return &l->puts[i];
	return NULL;
}

static struct put *s_put_by_token(const struct link *l, int token)
{
	for (size_t i = 0; i < l->nputs; i++)
		if (l->puts[i].st == PUT_IN_FLIGHT && l->puts[i].token == token)
			return &l->puts[i];
	return NULL;
}

static void s_put_forget(struct link *l, struct put *p)
{
	free(p->topic);
	free(p->data);
	*p = l->puts[--l->nputs];
}

/* Every put goes again: on a new connection the broker may have lost what
 * it had (no persistence), and what was in flight was not acknowledged. */
static void s_puts_resend(struct link *l)
{
	for (size_t i = 0; i < l->nputs; i++)
		l->puts[i].st = PUT_PENDING;
}

/* Whether something that must arrive still waits to be handed to paho. */
static bool s_puts_pending(const struct link *l)
{
	for (size_t i = 0; i < l->nputs; i++)
		if (l->puts[i].st == PUT_PENDING)
			return true;
	return false;
}

/* Sends what must arrive, then the queued readings, in that order. */
static void s_drain(struct link *l)
{
	for (size_t i = 0; i < l->nputs && l->state == ST_CONNECTED; i++) {
		struct put *p = &l->puts[i];
		if (p->st != PUT_PENDING)
			continue;
		int rc = s_send(l, p->topic, p->data, p->len, 1, true, &p->token);
		if (rc == MQTTASYNC_SUCCESS) {
			p->st = PUT_IN_FLIGHT;
		} else if (s_later(l, rc, p->topic)) {
			return; /* the next tick tries again */
		} else {
			s_put_forget(l, p);
			i--; /* the last one moved here */
		}
	}
	const struct queue_msg *m;
	while (l->state == ST_CONNECTED && (m = queue_peek(l->queue))) {
		int rc = s_send(l, m->topic, m->data, m->len, m->qos, m->retain, NULL);
		if (rc != MQTTASYNC_SUCCESS && s_later(l, rc, m->topic))
			return;
		queue_pop(l->queue);
	}
}

void link_publish(struct link *l, const char *topic, const char *data, size_t len, int qos, bool retain)
{
	if (l->state == ST_CONNECTED && !queue_len(l->queue) && !s_puts_pending(l)) {
		int rc = s_send(l, topic, data, len, qos, retain, NULL);
		if (rc == MQTTASYNC_SUCCESS || !s_later(l, rc, topic))
			return;
	}
	if (l->state >= ST_CLOSING)
		return;
	if (queue_push(l->queue, topic, data, len, qos, retain) != 0)
		l->dropped++; /* the oldest made room, or no room at all */
}

int link_put(struct link *l, const char *topic, const char *data, size_t len)
{
	struct put *p = s_put_find(l, topic);
	if (p && p->len == len && !memcmp(p->data, data, len))
		return 0; /* the same again: already on its way, or there */
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return -1;
	memcpy(copy, data, len);
	if (!p) {
		if (l->nputs == l->puts_cap) {
			size_t cap = l->puts_cap ? l->puts_cap * 2 : 16;
			struct put *grown = realloc(l->puts, cap * sizeof *grown);
			if (!grown) {
				free(copy);
				return -1;
			}
			l->puts = grown;
			l->puts_cap = cap;
		}
		char *t = strdup(topic);
		if (!t) {
			free(copy);
			return -1;
		}
		p = &l->puts[l->nputs++];
		*p = (struct put){ .topic = t };
	}
	free(p->data);
	p->data = copy;
	p->len = len;
	p->st = PUT_PENDING; /* an acknowledgement of an older payload is not this one's */
	s_drain(l);
	return 0;
}

bool link_put_acked(const struct link *l, const char *topic)
{
	const struct put *p = s_put_find(l, topic);
	return p && p->st == PUT_ACKED;
}

void link_subscribe(struct link *l, const char *filter)
{
	if (l->state != ST_CONNECTED)
		return;
	MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
	int rc = MQTTAsync_subscribe(l->client, filter, 0, &ro);
	if (rc != MQTTASYNC_SUCCESS)
		log_warn("%s: cannot subscribe to %s: %s", l->s.title, filter, MQTTAsync_strerror(rc));
}

void link_on_event(struct link *l, const struct link_event *ev)
{
	const char *text = ev->text_len ? ev->text : NULL;
	char msg[LINK_EVENT_TEXT_MAX + 1];
	if (text) {
		memcpy(msg, ev->text + ev->topic_len, ev->text_len);
		msg[ev->text_len] = '\0';
	}
	switch (ev->type) {
	case LINK_EV_CONNECTED:
		if (l->state != ST_CONNECTING)
			return;
		l->state = ST_CONNECTED;
		l->connects++;
		backoff_reset(&l->backoff);
		l->connected_since = clock_wall();
		if (l->last_error[0])
			log_info("%s: connected to %s:%d again", l->s.title, l->s.host, l->s.port);
		else
			log_info("%s: connected to %s:%d", l->s.title, l->s.host, l->s.port);
		l->last_error[0] = '\0';
		s_puts_resend(l);
		if (link_put(l, l->status_topic, "online", 6) != 0)
			log_warn("%s: out of memory: cannot say online", l->s.title);
		if (l->hooks.connected)
			l->hooks.connected(l, l->hooks.ud);
		s_drain(l);
		return;
	case LINK_EV_CONNECT_FAILED: {
		if (l->state != ST_CONNECTING)
			return;
		char why[256];
		link_describe_failure(ev->code, text ? msg : NULL, l->tls_reason, l->s.tls, l->s.host, why, sizeof why);
		if (strcmp(why, l->last_error))
			log_warn("%s: cannot connect to %s:%d: %s", l->s.title, l->s.host, l->s.port, why);
		snprintf(l->last_error, sizeof l->last_error, "%s", why);
		l->failures++;
		s_retry_later(l);
		return;
	}
	case LINK_EV_LOST:
		if (l->state != ST_CONNECTED)
			return;
		snprintf(l->last_error, sizeof l->last_error, "connection lost%s%s", text ? ": " : "", text ? msg : "");
		log_warn("%s: %s; reconnecting", l->s.title, l->last_error);
		l->failures++;
		s_puts_resend(l); /* acknowledged by a connection that is gone */
		s_retry_later(l);
		l->next_attempt_ms = clock_mono_ms(); /* the first retry at once */
		return;
	case LINK_EV_SENT: {
		l->sent++;
		struct put *p = s_put_by_token(l, ev->token);
		if (!p)
			return;
		p->st = PUT_ACKED;
		if (!p->len) /* a clearing that took: nothing left to say */
			s_put_forget(l, p);
		return;
	}
	case LINK_EV_SEND_FAILED: {
		struct put *p = s_put_by_token(l, ev->token);
		if (p)
			p->st = PUT_PENDING; /* sent again at the next tick */
		else
			l->dropped++;
		return;
	}
	case LINK_EV_TLS_ERROR:
		if (text && !l->tls_reason[0])
			link_tls_reason(msg, ev->text_len, l->tls_reason, sizeof l->tls_reason);
		return;
	case LINK_EV_MESSAGE: {
		char topic[513];
		memcpy(topic, ev->text, ev->topic_len);
		topic[ev->topic_len] = '\0';
		if (l->hooks.message && l->state == ST_CONNECTED)
			l->hooks.message(l, topic, ev->text + ev->topic_len, ev->text_len, ev->retained, l->hooks.ud);
		return;
	}
	case LINK_EV_DISCONNECTED:
		if (l->state == ST_CLOSING)
			l->state = ST_CLOSED;
		return;
	default: return;
	}
}

void link_tick(struct link *l, int64_t now_ms)
{
	if (l->state == ST_WAITING && now_ms >= l->next_attempt_ms)
		s_connect(l);
	else if (l->state == ST_CONNECTED)
		s_drain(l);
}

void link_close(struct link *l, int64_t now_ms)
{
	if (l->state != ST_CONNECTED) {
		l->state = ST_CLOSED;
		return;
	}
	(void)s_send(l, l->status_topic, "offline", 7, 0, true, NULL);
	MQTTAsync_disconnectOptions o = MQTTAsync_disconnectOptions_initializer;
	o.timeout = LINK_CLOSE_TIMEOUT_MS;
	o.onSuccess = s_cb_disconnected;
	o.onFailure = s_cb_disconnect_failed;
	o.context = s_ctx(l);
	if (MQTTAsync_disconnect(l->client, &o) != MQTTASYNC_SUCCESS) {
		l->state = ST_CLOSED;
		return;
	}
	l->state = ST_CLOSING;
	l->close_deadline_ms = now_ms + LINK_CLOSE_TIMEOUT_MS + 500;
}

bool link_closed(const struct link *l, int64_t now_ms)
{
	return l->state == ST_CLOSED || (l->state == ST_CLOSING && now_ms >= l->close_deadline_ms);
}

json_t *link_status(const struct link *l)
{
	json_t *o = json_pack("{s:b,s:s,s:I,s:I,s:I,s:I,s:I}", "connected", l->state == ST_CONNECTED, "state",
			      s_state_names[l->state], "messages_sent", (json_int_t)l->sent, "messages_dropped",
			      (json_int_t)l->dropped, "messages_queued", (json_int_t)queue_len(l->queue), "connects",
			      (json_int_t)l->connects, "failures", (json_int_t)l->failures);
	json_object_set_new(o, "status_topic", json_string(l->status_topic));
	if (l->last_error[0])
		json_object_set_new(o, "last_error", json_string(l->last_error));
	if (l->state == ST_CONNECTED)
		json_object_set_new(o, "connected_since", json_integer((json_int_t)l->connected_since));
	if (l->state == ST_WAITING) {
		int64_t in = l->next_attempt_ms - clock_mono_ms();
		json_object_set_new(o, "retry_in_ms", json_integer(in > 0 ? in : 0));
	}
	return o;
}
