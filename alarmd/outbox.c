/* outbox: see outbox.h. */
#include "outbox.h"

#include "backoff.h"
#include "clock.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum delivery_kind { DELIVERY_MAIL, DELIVERY_WEBHOOK };

struct delivery {
	enum delivery_kind kind;
	char *text;  /* the mail, or the JSON body */
	char **to;   /* mail recipients */
	size_t nto;
	char *url;   /* webhook */
	unsigned failures, tries;
	struct backoff backoff;
	int64_t next_ms;
	struct curl_xfer *x;
	outbox_done_fn done;
	void *ud;
	struct outbox *o;
	struct delivery *next;
};

struct outbox {
	struct daemon *d;
	struct curl_loop *curl;
	const struct smtp_settings *smtp;
	struct delivery *head, *tail;
	size_t count, in_flight;
	uint64_t sent, failed, dropped, generation;
	char last_error[300];
	void (*delivered)(void *ud);
	void *delivered_ud;
};

struct outbox *outbox_new(struct daemon *d, const struct smtp_settings *smtp)
{
	struct outbox *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	o->d = d;
	o->smtp = smtp;
	if (!(o->curl = curl_loop_new(d))) {
		free(o);
		return NULL;
	}
	return o;
}

static void s_free(struct delivery *v)
{
	for (size_t i = 0; i < v->nto; i++)
		free(v->to[i]);
	free(v->to);
	free(v->text);
	free(v->url);
	free(v);
}

static void s_remove(struct outbox *o, struct delivery *v)
{
	struct delivery *prev = NULL;
	for (struct delivery *p = o->head; p; prev = p, p = p->next) {
		if (p != v)
			continue;
		if (prev)
			prev->next = p->next;
		else
			o->head = p->next;
		if (o->tail == p)
			o->tail = prev;
		break;
	}
	if (v->x) {
		curl_loop_cancel(o->curl, &v->x);
		o->in_flight--;
	}
	o->count--;
	o->generation++;
	s_free(v);
}

void outbox_on_delivered(struct outbox *o, void (*delivered)(void *ud), void *ud)
{
	o->delivered = delivered;
	o->delivered_ud = ud;
}

void outbox_destroy(struct outbox **op)
{
	struct outbox *o = *op;
	if (!o)
		return;
	while (o->head)
		s_remove(o, o->head);
	curl_loop_destroy(&o->curl);
	free(o);
	*op = NULL;
}

/* Makes room for one more: drops the oldest delivery not in flight. */
static bool s_room(struct outbox *o)
{
	if (o->count < OUTBOX_MAX)
		return true;
	for (struct delivery *v = o->head; v; v = v->next) {
		if (v->x)
			continue;
		log_warn("outbox full (%d): dropping the oldest %s", OUTBOX_MAX,
			 v->kind == DELIVERY_MAIL ? "mail" : "webhook");
		o->dropped++;
		if (v->done)
			v->done(false, "dropped: too many waiting", v->ud);
		s_remove(o, v);
		return true;
	}
	return false;
}

static struct delivery *s_add(struct outbox *o, enum delivery_kind kind, char *text, unsigned tries, char *err,
			      size_t errlen)
{
	struct delivery *v = NULL;
	if (!s_room(o) || !(v = calloc(1, sizeof *v))) {
		snprintf(err, errlen, v ? "too many deliveries in flight" : "out of memory");
		free(text);
		return NULL;
	}
	v->kind = kind;
	v->text = text;
	v->tries = tries ? tries : 1;
	v->backoff = (struct backoff)BACKOFF_INIT(OUTBOX_BASE_MS, OUTBOX_CAP_MS);
	v->o = o;
	v->next_ms = clock_mono_ms();
	if (o->tail)
		o->tail->next = v;
	else
		o->head = v;
	o->tail = v;
	o->count++;
	o->generation++;
	return v;
}

int outbox_mail(struct outbox *o, char *message, const char *const *to, size_t nto, unsigned tries,
		outbox_done_fn done, void *ud, char *err, size_t errlen)
{
	if (!o->smtp->host[0] || !o->smtp->from[0]) {
		snprintf(err, errlen, "no SMTP server set (smtp.host and smtp.from)");
		free(message);
		return -1;
	}
	if (!nto) {
		snprintf(err, errlen, "no recipient");
		free(message);
		return -1;
	}
	struct delivery *v = s_add(o, DELIVERY_MAIL, message, tries, err, errlen);
	if (!v)
		return -1;
	v->to = calloc(nto, sizeof *v->to);
	for (size_t i = 0; v->to && i < nto; i++)
		if ((v->to[v->nto] = strdup(to[i])))
			v->nto++;
	if (!v->to || v->nto < nto) {
		snprintf(err, errlen, "out of memory");
		s_remove(o, v);
		return -1;
	}
	v->done = done;
	v->ud = ud;
	return 0;
}

int outbox_webhook(struct outbox *o, const char *url, char *body, unsigned tries, char *err, size_t errlen)
{
	struct delivery *v = s_add(o, DELIVERY_WEBHOOK, body, tries, err, errlen);
	if (!v)
		return -1;
	if (!(v->url = strdup(url))) {
		snprintf(err, errlen, "out of memory");
		s_remove(o, v);
		return -1;
	}
	return 0;
}

static void s_failed(struct delivery *v, const char *why)
{
	struct outbox *o = v->o;
	v->failures++;
	snprintf(o->last_error, sizeof o->last_error, "%s: %s", v->kind == DELIVERY_MAIL ? "mail" : v->url, why);
	if (v->failures >= v->tries) {
		log_error("%s not delivered after %u attempts: %s", v->kind == DELIVERY_MAIL ? "mail" : "webhook",
			  v->failures, why);
		o->failed++;
		if (v->done)
			v->done(false, why, v->ud);
		s_remove(o, v);
		return;
	}
	int64_t wait = backoff_failed(&v->backoff);
	log_warn("%s failed (%s); trying again in %lld ms", v->kind == DELIVERY_MAIL ? "mail" : "webhook", why,
		 (long long)wait);
	v->next_ms = clock_mono_ms() + wait;
}

static void s_on_done(const struct curl_result *r, void *ud)
{
	struct delivery *v = ud;
	struct outbox *o = v->o;
	v->x = NULL;
	o->in_flight--;
	bool ok = v->kind == DELIVERY_MAIL ? r->curl == 0 : r->curl == 0 && r->code >= 200 && r->code < 300;
	if (ok) {
		o->sent++;
		if (v->done)
			v->done(true, NULL, v->ud);
		s_remove(o, v);
		if (o->delivered)
			o->delivered(o->delivered_ud);
		return;
	}
	char why[400];
	if (r->curl)
		snprintf(why, sizeof why, "%s%s%.0ld", r->error, r->code ? ", server said " : "", r->code);
	else
		snprintf(why, sizeof why, "HTTP %ld %s", r->code, r->body);
	s_failed(v, why);
}

static void s_start(struct outbox *o, struct delivery *v)
{
	char err[256];
	if (v->kind == DELIVERY_MAIL) {
		const struct smtp_settings *s = o->smtp;
		if (!s->host[0] || !s->from[0]) {
			s_failed(v, "no SMTP server set (smtp.host and smtp.from)");
			return;
		}
		struct mail_request req = {
			.host = s->host, .port = s->port, .security = s->security, .username = s->username,
			.password = s->password, .ca_file = s->ca_file, .from = s->from, .to = (const char *const *)v->to, .nto = v->nto,
			.connect_timeout_s = OUTBOX_CONNECT_TIMEOUT_S, .timeout_s = OUTBOX_TIMEOUT_S,
			.message = v->text, .len = strlen(v->text),
		};
		v->x = curl_loop_mail(o->curl, &req, s_on_done, v, err, sizeof err);
	} else {
		struct http_request req = {
			.url = v->url, .content_type = "application/json", .tls_verify = true,
			.connect_timeout_s = OUTBOX_CONNECT_TIMEOUT_S, .timeout_s = OUTBOX_TIMEOUT_S,
			.body = v->text, .len = strlen(v->text),
		};
		v->x = curl_loop_post(o->curl, &req, s_on_done, v, err, sizeof err);
	}
	if (!v->x) {
		s_failed(v, err);
		return;
	}
	o->in_flight++;
}

void outbox_run(struct outbox *o)
{
	int64_t now = clock_mono_ms();
	bool started = false;
	for (struct delivery *v = o->head, *next; v; v = next) {
		next = v->next; /* s_start may remove v */
		if (v->x || v->next_ms > now)
			continue;
		s_start(o, v);
		started = true;
	}
	if (started)
		curl_loop_kick(o->curl);
}

void outbox_forget(struct outbox *o, void *ud)
{
	for (struct delivery *v = o->head; v; v = v->next)
		if (v->ud == ud)
			v->done = NULL;
}

json_t *outbox_status(const struct outbox *o)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:s?}", "pending", (json_int_t)o->count, "in_flight",
			 (json_int_t)o->in_flight, "sent", (json_int_t)o->sent, "failed", (json_int_t)o->failed,
			 "dropped", (json_int_t)o->dropped, "last_error", o->last_error[0] ? o->last_error : NULL);
}

json_t *outbox_owed(const struct outbox *o)
{
	json_t *list = json_array();
	for (const struct delivery *v = o->head; v; v = v->next) {
		if (v->done)
			continue;
		json_t *e;
		if (v->kind == DELIVERY_MAIL) {
			json_t *to = json_array();
			for (size_t i = 0; i < v->nto; i++)
				json_array_append_new(to, json_string(v->to[i]));
			e = json_pack("{s:s,s:o}", "mail", v->text, "to", to);
		} else {
			e = json_pack("{s:s,s:s}", "url", v->url, "body", v->text);
		}
		json_object_set_new(e, "failures", json_integer(v->failures));
		json_object_set_new(e, "tries", json_integer(v->tries));
		json_array_append_new(list, e);
	}
	return list;
}

void outbox_restore(struct outbox *o, const json_t *owed)
{
	size_t i;
	const json_t *e;
	char err[256];
	json_array_foreach(owed, i, e) {
		const char *mail = json_string_value(json_object_get(e, "mail"));
		const char *url = json_string_value(json_object_get(e, "url"));
		const char *body = json_string_value(json_object_get(e, "body"));
		const json_t *to = json_object_get(e, "to");
		json_int_t tries = json_integer_value(json_object_get(e, "tries"));
		json_int_t failures = json_integer_value(json_object_get(e, "failures"));
		if (tries < 1 || tries > OUTBOX_TRIES || failures < 0 || failures >= tries ||
		    (mail ? !json_is_array(to) || !json_array_size(to) || json_array_size(to) > 16 : !url || !body)) {
			log_warn("outbox: delivery %zu kept from before the restart is not sound: dropped", i);
			continue;
		}
		int rc;
		snprintf(err, sizeof err, "out of memory");
		if (mail) {
			const char *list[16];
			size_t n = 0, k;
			const json_t *t;
			json_array_foreach(to, k, t)
				if (json_is_string(t))
					list[n++] = json_string_value(t);
			char *text = strdup(mail);
			rc = text ? outbox_mail(o, text, list, n, (unsigned)tries, NULL, NULL, err, sizeof err) : -1;
		} else {
			char *text = strdup(body);
			rc = text ? outbox_webhook(o, url, text, (unsigned)tries, err, sizeof err) : -1;
		}
		if (rc < 0)
			log_warn("outbox: delivery %zu kept from before the restart not queued: %s", i, err);
		else
			o->tail->failures = (unsigned)failures;
	}
}

uint64_t outbox_generation(const struct outbox *o)
{
	return o->generation;
}
