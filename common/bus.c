/* bus: see bus.h. */
#include "bus.h"

#include "clock.h"
#include "ipc.h"
#include "log.h"
#include "msg.h"
#include "paths.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

const char *const bus_daemon_names[] = {
	"meterd", "pulsed", "tempd", "storaged", "uploadd", "mqttd", "alarmd", "paneld", "updated", "readingsd", NULL,
};

struct bus_pub {
	void *sock;
	uint64_t seq;
	char *path; /* the socket file, unlinked on destroy */
};

struct bus_pub *bus_pub_new(void *zctx, const char *rundir, const char *name)
{
	struct bus_pub *pub = calloc(1, sizeof *pub);
	if (!pub)
		return NULL;
	pub->sock = ipc_bind(zctx, ZMQ_PUB, rundir, name, "pub", 0, &pub->path);
	if (!pub->sock) {
		free(pub);
		return NULL;
	}
	return pub;
}

void bus_pub_destroy(struct bus_pub **pubp)
{
	struct bus_pub *pub = *pubp;
	if (!pub)
		return;
	ipc_close(&pub->sock, &pub->path);
	free(pub);
	*pubp = NULL;
}

int bus_pub_send(struct bus_pub *pub, const char *topic, json_t *payload)
{
	char err[160];
	if (!msg_topic_valid(topic, strlen(topic), err, sizeof err)) {
		log_error("not publishing %s: %s", topic, err);
		return -1;
	}
	size_t len;
	char *text = msg_encode(payload, pub->seq, clock_wall(), &len, err, sizeof err);
	if (!text) {
		log_error("not publishing %s: %s", topic, err);
		return -1;
	}
	pub->seq++;
	int rc = 0;
	/* PUB never blocks: with no subscriber or a full queue it drops */
	if (zmq_send(pub->sock, topic, strlen(topic), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
	    zmq_send(pub->sock, text, len, ZMQ_DONTWAIT) < 0) {
		log_warn("publishing %s: %s", topic, zmq_strerror(zmq_errno()));
		rc = -1;
	}
	free(text);
	return rc;
}

uint64_t bus_pub_sent(const struct bus_pub *pub)
{
	return pub->seq;
}

struct bus_sub {
	void *sock;
	uint64_t rejected;
};

struct bus_sub *bus_sub_new(void *zctx)
{
	struct bus_sub *sub = calloc(1, sizeof *sub);
	if (!sub)
		return NULL;
	sub->sock = zmq_socket(zctx, ZMQ_SUB);
	if (!sub->sock) {
		free(sub);
		return NULL;
	}
	int linger = 0;
	zmq_setsockopt(sub->sock, ZMQ_LINGER, &linger, sizeof linger);
	return sub;
}

void bus_sub_destroy(struct bus_sub **subp)
{
	struct bus_sub *sub = *subp;
	if (!sub)
		return;
	zmq_close(sub->sock);
	free(sub);
	*subp = NULL;
}

int bus_sub_connect(struct bus_sub *sub, const char *rundir, const char *name)
{
	char endpoint[256];
	if (paths_endpoint(endpoint, sizeof endpoint, rundir, name, "pub") < 0)
		return -1;
	if (access(endpoint + strlen("ipc://"), W_OK) < 0 && errno == EACCES)
		return -1;
	if (zmq_connect(sub->sock, endpoint) < 0) {
		errno = zmq_errno();
		return -1;
	}
	return 0;
}

int bus_sub_subscribe(struct bus_sub *sub, const char *prefix)
{
	return zmq_setsockopt(sub->sock, ZMQ_SUBSCRIBE, prefix, strlen(prefix));
}

int bus_sub_readings(struct bus_sub *sub, const char *rundir, enum reading_kind kind)
{
	const char *name = reading_publisher(kind), *prefix = reading_topic_prefix(kind);
	if (!name) {
		errno = EINVAL;
		return -1;
	}
	return bus_sub_connect(sub, rundir, name) < 0 || bus_sub_subscribe(sub, prefix) < 0 ? -1 : 0;
}

void bus_sub_each(struct bus_sub *sub, bus_msg_fn fn, void *ud)
{
	char *topic, err[256];
	json_t *payload;
	int rc;
	while ((rc = bus_sub_recv(sub, &topic, &payload, err, sizeof err)) != 0) {
		if (rc < 0) {
			log_debug("bus: %s", err);
			continue;
		}
		fn(topic, payload, ud);
		free(topic);
		json_decref(payload);
	}
}

void *bus_sub_socket(struct bus_sub *sub)
{
	return sub->sock;
}

/* Drains the remaining frames of a message we reject. */
static void s_discard_rest(void *sock)
{
	int more;
	size_t more_len = sizeof more;
	while (zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &more_len) == 0 && more) {
		zmq_msg_t m;
		zmq_msg_init(&m);
		zmq_msg_recv(&m, sock, 0);
		zmq_msg_close(&m);
	}
}

int bus_sub_recv(struct bus_sub *sub, char **topic, json_t **payload, char *err, size_t errlen)
{
	zmq_msg_t t, p;
	zmq_msg_init(&t);
	if (zmq_msg_recv(&t, sub->sock, ZMQ_DONTWAIT) < 0) {
		zmq_msg_close(&t);
		if (zmq_errno() == EAGAIN)
			return 0;
		snprintf(err, errlen, "receive: %s", zmq_strerror(zmq_errno()));
		return -1;
	}
	int rc = -1;
	zmq_msg_init(&p);
	if (!zmq_msg_more(&t)) {
		snprintf(err, errlen, "message of one frame (topic %.*s), expected topic and payload",
			 (int)(zmq_msg_size(&t) > 64 ? 64 : zmq_msg_size(&t)), (const char *)zmq_msg_data(&t));
		goto out;
	}
	if (zmq_msg_recv(&p, sub->sock, 0) < 0) {
		snprintf(err, errlen, "receive: %s", zmq_strerror(zmq_errno()));
		goto out;
	}
	if (zmq_msg_more(&p)) {
		snprintf(err, errlen, "message of more than two frames");
		s_discard_rest(sub->sock);
		goto out;
	}
	*payload = msg_decode(zmq_msg_data(&t), zmq_msg_size(&t), zmq_msg_data(&p), zmq_msg_size(&p), topic,
			      err, errlen);
	if (*payload)
		rc = 1;
out:
	if (rc < 0)
		sub->rejected++;
	zmq_msg_close(&t);
	zmq_msg_close(&p);
	return rc;
}

uint64_t bus_sub_rejected(const struct bus_sub *sub)
{
	return sub->rejected;
}
