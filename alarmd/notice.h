/* notice: what an alarm's event says, as pure functions of the event: the
 * JSON object published on the bus as alarm/<id> and POSTed to webhooks,
 * and the e-mail (RFC 5322) sent to the rule's addresses. */
#ifndef ALARMD_NOTICE_H
#define ALARMD_NOTICE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define NOTICE_ID_MAX 48

struct notice {
	char id[NOTICE_ID_MAX]; /* "3" (alarms[].id) or a health alarm's: "upload-backlog", "meter-silent:2" */
	const char *event;      /* "raised", "reminded", "recovered", "removed", or "test" */
	const char *name;       /* the rule's title: the e-mail's subject */
	int meter, phase;       /* 0: not about a meter / not one phase */
	const char *quantity;   /* the reading field: "I2", "PF"; NULL for a health alarm */
	const char *label;      /* what was watched, in words: "Current L2" */
	const char *unit;       /* "A", "s", "%", "" */
	double value, limit;
	bool high;              /* the limit crossed is the high one */
	const char *detail;     /* more words (which upload target, the wiring verdict); may be NULL */
	double ts;              /* Unix s of the event */
	const char *site;       /* hub.site, or "" */
};

/* The event as JSON: {"id","event","name","meter","phase","quantity",
 * "value","limit","limit_kind":"high"|"low","unit","label","detail","ts"},
 * without the keys that do not apply (meter 0, no quantity, no detail). */
json_t *notice_json(const struct notice *n);

/* The whole mail to send (headers and a plain-text body, CRLF line ends),
 * malloc'd, or NULL when out of memory.  The subject is the rule's name
 * ("Reminder: ", "Recovered: " or "Rule removed: " before it for those events), in RFC 2047
 * encoded words when it is not ASCII; host names the Message-ID's right
 * side.  to is the list shown in the To: header. */
char *notice_mail(const struct notice *n, const char *from, const char *const *to, size_t nto, const char *host);

/* The subject line as notice_mail writes it before encoding. */
void notice_subject(const struct notice *n, char *buf, size_t len);

#endif
