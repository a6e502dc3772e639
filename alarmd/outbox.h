/* outbox: the e-mails and webhook POSTs alarmd owes, each sent on its own
 * curl_loop transfer so a slow or unreachable server delays only its own
 * deliveries, never the evaluation of rules nor another delivery.  A failed
 * one is tried again after common/backoff.h's wait (OUTBOX_BASE_MS,
 * doubling up to OUTBOX_CAP_MS), up to OUTBOX_TRIES attempts, then dropped with a
 * logged reason; at most OUTBOX_MAX are kept (the oldest waiting one goes
 * first).  Mails use the SMTP settings in force at each attempt, so
 * correcting a password also delivers what is waiting. */
#ifndef ALARMD_OUTBOX_H
#define ALARMD_OUTBOX_H

#include "curl_loop.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OUTBOX_MAX 256
#define OUTBOX_TRIES 8
#define OUTBOX_BASE_MS 5000
#define OUTBOX_CAP_MS 300000
#define OUTBOX_CONNECT_TIMEOUT_S 10
#define OUTBOX_TIMEOUT_S 30

struct smtp_settings {
	char host[254];
	int port;
	enum mail_security security;
	char username[129], password[129], from[255];
	char ca_file[256];
};

struct outbox;
struct delivery;

/* Called once when a delivery ends: ok, or failed for good (err). */
typedef void (*outbox_done_fn)(bool ok, const char *err, void *ud);

/* smtp is read at each attempt (borrowed, lives as long as the outbox). */
struct outbox *outbox_new(struct daemon *d, const struct smtp_settings *smtp);
/* Calls delivered(ud) each time a delivery has gone and left the queue,
 * so its owner saves what it still owes at once, not at its next tick (a
 * kill in between would send it again). */
void outbox_on_delivered(struct outbox *o, void (*delivered)(void *ud), void *ud);
void outbox_destroy(struct outbox **o);
/* Queues a mail: message is taken (malloc'd, freed by the outbox), to is
 * copied.  tries: attempts before giving up (1 for a test mail).  done may
 * be NULL.  0, or -1 with a reason (no SMTP server set, out of memory). */
int outbox_mail(struct outbox *o, char *message, const char *const *to, size_t nto, unsigned tries,
		outbox_done_fn done, void *ud, char *err, size_t errlen);
/* Queues a POST of body (JSON text, taken) to url. */
int outbox_webhook(struct outbox *o, const char *url, char *body, unsigned tries, char *err, size_t errlen);
/* Starts what is due (call often: every tick). */
void outbox_run(struct outbox *o);
/* Forgets the done callback of every queued delivery that has it (its
 * owner goes away). */
void outbox_forget(struct outbox *o, void *ud);
/* {"pending","in_flight","sent","failed","dropped","last_error"} */
json_t *outbox_status(const struct outbox *o);

/* What is owed, to keep across a restart (alarmd's state file): each
 * delivery without a done callback (those are the test mail's, whose
 * asker is gone after a restart) as {"mail":text,"to":[...]} or
 * {"url","body"}, with "failures" and "tries".  Those in flight are in it:
 * a restart may send one twice, never lose it. */
json_t *outbox_owed(const struct outbox *o);
/* Queues again what outbox_owed gave (a list; entries not sound are
 * skipped), due at once, keeping their failures. */
void outbox_restore(struct outbox *o, const json_t *owed);
/* Counts every change of what is owed (queued, delivered, dropped): the
 * caller saves outbox_owed when it moved. */
uint64_t outbox_generation(const struct outbox *o);

#endif
