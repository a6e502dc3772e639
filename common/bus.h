/* bus: the publish side and the subscribe side of the hub's ZeroMQ bus.
 *
 * There is no broker.  Each publishing daemon binds one PUB socket at
 * ipc://$ENISCOPE_RUNDIR/<name>.pub; a subscriber connects to each
 * publisher it needs (ZeroMQ reconnects by itself when a daemon restarts,
 * so connecting before the publisher exists is fine).  Messages are those of
 * msg.h.  docs/BUS.md lists every topic. */
#ifndef HUB_BUS_H
#define HUB_BUS_H

#include "reading_schema.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The daemons the hub runs, in start order; NULL-terminated.  eniscopectl,
 * the System Status page and uploadd's check-in ask each for its status. */
extern const char *const bus_daemon_names[];

struct bus_pub;

/* Binds ipc://<rundir>/<name>.pub, creating rundir (0755) if needed and
 * removing a stale socket file left by a killed predecessor. */
struct bus_pub *bus_pub_new(void *zctx, const char *rundir, const char *name);
void bus_pub_destroy(struct bus_pub **pub);
/* Stamps payload with ts (unless set) and seq, sends topic + payload
 * without blocking (a subscriber that cannot keep up loses messages, the
 * publisher never stalls: seq gaps show the loss).  0, or -1 with a logged
 * reason.  The payload stays the caller's, unchanged. */
int bus_pub_send(struct bus_pub *pub, const char *topic, json_t *payload);
uint64_t bus_pub_sent(const struct bus_pub *pub);

struct bus_sub;

struct bus_sub *bus_sub_new(void *zctx);
void bus_sub_destroy(struct bus_sub **sub);
/* Connects to <name>.pub in rundir; 0 or -1 with errno.  The publisher
 * may start later (ZeroMQ connects when it does); but when its socket is
 * there and this user may not connect to it (EACCES: a Unix socket needs
 * write access, unix(7)), that is said now instead of never hearing a
 * message. */
int bus_sub_connect(struct bus_sub *sub, const char *rundir, const char *name);
/* Receives topics starting with prefix ("" for all). */
int bus_sub_subscribe(struct bus_sub *sub, const char *prefix);
/* Connects to the daemon that publishes a kind's readings and subscribes
 * to their topics (common/reading_schema.h); 0 or -1 with errno. */
int bus_sub_readings(struct bus_sub *sub, const char *rundir, enum reading_kind kind);
/* The ZeroMQ socket, for zmq_poll. */
void *bus_sub_socket(struct bus_sub *sub);
/* Receives one message without blocking.  Returns 1 with *topic (malloc'd)
 * and *payload (new reference) set, 0 when nothing is waiting, -1 when a
 * message arrived but was malformed (err says why; it was dropped). */
int bus_sub_recv(struct bus_sub *sub, char **topic, json_t **payload, char *err, size_t errlen);
/* Calls fn with each message waiting (topic and payload borrowed for the
 * call), until none is; a malformed one is dropped (counted, and said at
 * debug level).  The body of every subscriber's readable callback. */
typedef void (*bus_msg_fn)(const char *topic, json_t *payload, void *ud);
void bus_sub_each(struct bus_sub *sub, bus_msg_fn fn, void *ud);
/* Messages dropped as malformed so far. */
uint64_t bus_sub_rejected(const struct bus_sub *sub);

#endif
