/* fake_storaged: a stand-in for storaged that speaks its control protocol
 * (docs/STORE.md: batch, ack, set-aside, stats) over a pre-filled,
 * in-memory store, so uploadd's tests and benchmark can run a backlog of
 * any size without waiting for minutes to pass.  It is NOT storaged: no
 * SQLite, no retention; it exists to drive the consumer side.
 *
 *   fake_storaged [-n RECORDS] [-m METERS] [-t FIRST_TS] [-u K] [-N NAME]
 *                 [-d CONSUMER:MS]
 *
 * Records are meter minutes of a plausible building (230 V, a load that
 * follows the hour of day, minute-to-minute noise as real loads have,
 * float32-rounded as storaged stores them, registers that grow by each
 * minute's energy), meter 1..METERS round-robin, ids 1..RECORDS.  With -u K every
 * K-th record claims "time":"unknown" (which uploadd must never send).
 * With -d every answer to CONSUMER's requests comes MS ms late, while every
 * other request is answered at once (a storaged slow for one consumer: its
 * socket is then a ROUTER that holds that answer, not a REP that would
 * hold them all).
 * SIGTERM stops it; it answers "status" too. */
#include "columns.h"
#include "ctl.h"
#include "log.h"
#include "paths.h"
#include "reading.h"

#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define CONSUMERS_MAX 16
#define MAC "02:00:00:00:00:01"
#define REGS 5

struct consumer {
	char name[128];
	long long cursor, served;
	long long set_aside;
};

static struct {
	long long n;
	int meters;
	long long first_ts;
	long long unknown_every;
	double (*reg)[REGS][4]; /* per record: E Ex RE REx AE, phases 1..3 and system */
	struct consumer c[CONSUMERS_MAX];
	int nc;
	long long set_aside_total;
	FILE *aside_log;
} g;

static volatile sig_atomic_t s_stop;
static void s_on_term(int sig)
{
	(void)sig;
	s_stop = 1;
}

/* float32's 7 significant digits, as storaged's answers show them */
static double s_f32(double v)
{
	if (v == 0 || !isfinite(v))
		return v;
	double scale = pow(10, 6 - floor(log10(fabs(v))));
	return round(v * scale) / scale;
}

/* Deterministic noise in [-1, 1] for record i and quantity k (a hash, so
 * any record can be made again without state). */
static double s_noise(long long i, int k)
{
	uint64_t x = (uint64_t)i * 0x9E3779B97F4A7C15ULL + (uint64_t)k * 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 31;
	x *= 0x94D049BB133111EBULL;
	x ^= x >> 29;
	return (double)(x >> 11) / (double)(1ULL << 52) - 1.0;
}

/* A minute of meter (i % meters) + 1: the load follows the hour of day
 * and differs per meter and phase, with the noise of a real building's
 * minute averages (load +-2 %, voltage +-0.3 V, PF +-0.005), so the
 * benchmark's bytes on the wire are not flattered by smooth curves. */
static void s_reading(long long i, struct meter_reading *r)
{
	int meter = (int)(i % g.meters) + 1;
	long long ts = g.first_ts + (i / g.meters) * 60;
	double hour = fmod((double)ts / 3600.0, 24.0);
	double load = 0.25 + 0.5 * exp(-pow((hour - 13.0) / 4.0, 2)) + 0.03 * meter;
	memset(r, 0, sizeof *r);
	r->phases = 3;
	for (int p = 0; p < 3; p++) {
		r->V[p] = 230.0 + 1.5 * sin(ts / 600.0 + p) + 0.3 * s_noise(i, p);
		r->I[p] = 100.0 * load * (0.9 + 0.1 * p) * (1 + 0.02 * s_noise(i, 3 + p));
		r->PF[p] = 0.93 + 0.02 * p + 0.005 * s_noise(i, 6 + p);
		r->S[p] = r->V[p] * r->I[p];
		r->P[p] = r->S[p] * r->PF[p];
		r->Q[p] = sqrt(r->S[p] * r->S[p] - r->P[p] * r->P[p]);
		r->U[p] = r->V[p] * sqrt(3.0);
	}
	r->In = 0.1 * r->I[0] * (1 + 0.1 * s_noise(i, 9));
	r->F = 50.0 + 0.02 * sin(ts / 300.0) + 0.01 * s_noise(i, 10);
	reading_sum_phases(r);
}

/* The values of a meter minute, in this order. */
static const char *const s_names[] = {
	"V1", "V2", "V3", "V", "I1", "I2", "I3", "I", "In", "P1", "P2", "P3", "P", "Q1", "Q2", "Q3",
	"Q", "S1", "S2", "S3", "S", "PF1", "PF2", "PF3", "PF", "F", "Pmin", "Pmax",
	"E1", "E2", "E3", "E", "Ex1", "Ex2", "Ex3", "Ex", "RE1", "RE2", "RE3", "RE", "REx1", "REx2", "REx3", "REx",
	"AE1", "AE2", "AE3", "AE",
};
#define NAMES (sizeof s_names / sizeof s_names[0])

/* Record i as a row (values in vals, its source number in n). */
static void s_row(long long i, struct columns_row *row, double *vals, char *n, size_t nlen)
{
	struct meter_reading r;
	s_reading(i, &r);
	const double averages[] = {
		r.V[0], r.V[1], r.V[2], r.Vsys, r.I[0], r.I[1], r.I[2], r.Isys, r.In,
		r.P[0], r.P[1], r.P[2], r.Psys, r.Q[0], r.Q[1], r.Q[2], r.Qsys,
		r.S[0], r.S[1], r.S[2], r.Ssys, r.PF[0], r.PF[1], r.PF[2], r.PFsys, r.F,
		r.Psys * (0.95 + 0.02 * s_noise(i, 11)), r.Psys * (1.05 + 0.02 * s_noise(i, 12)),
	};
	size_t k = 0;
	for (; k < sizeof averages / sizeof averages[0]; k++)
		vals[k] = s_f32(averages[k]);
	for (int reg = 0; reg < REGS; reg++)
		for (int p = 0; p < 4; p++)
			vals[k++] = g.reg[i][reg][p];
	snprintf(n, nlen, "%d", (int)(i % g.meters) + 1);
	bool unknown = g.unknown_every && (i + 1) % g.unknown_every == 0;
	*row = (struct columns_row){ .kind = "meter", .n = n, .time = unknown ? "unknown" : "synced", .id = i + 1,
				     .ts = g.first_ts + (i / g.meters) * 60, .count = 60, .nvals = (int)NAMES,
				     .names = s_names, .vals = vals };
}

static json_t *s_record(long long i)
{
	struct columns_row row;
	double vals[NAMES];
	char n[16], rid[96];
	s_row(i, &row, vals, n, sizeof n);
	snprintf(rid, sizeof rid, MAC "/meter/%s/%lld", n, row.ts);
	json_t *v = json_object();
	for (size_t k = 0; k < NAMES; k++)
		json_object_set_new(v, s_names[k], json_real(vals[k]));
	return json_pack("{s:I,s:s,s:s,s:i,s:I,s:s,s:i,s:o}", "id", (json_int_t)row.id, "rid", rid, "kind", "meter",
			 "n", atoi(n), "ts", (json_int_t)row.ts, "time", row.time, "count", 60, "values", v);
}

/* Records [from, to) as storaged's series answer. */
static json_t *s_series(long long from, long long to, char *err, size_t errlen)
{
	struct columns *c = columns_new();
	for (long long i = from; i < to; i++) {
		struct columns_row row;
		double vals[NAMES];
		char n[16], why[160];
		s_row(i, &row, vals, n, sizeof n);
		if (columns_add(c, &row, why, sizeof why) < 0) {
			snprintf(err, errlen, "record %lld cannot be sent as series: %s", i + 1, why);
			columns_free(&c);
			return NULL;
		}
	}
	json_t *answer = json_pack("{s:o,s:I,s:I,s:b}", "series", columns_series(c), "count", (json_int_t)(to - from),
				   "last", (json_int_t)to, "more", to < g.n);
	columns_free(&c);
	return answer;
}

static struct consumer *s_consumer(const char *name)
{
	for (int i = 0; i < g.nc; i++)
		if (!strcmp(g.c[i].name, name))
			return &g.c[i];
	if (g.nc == CONSUMERS_MAX)
		return NULL;
	struct consumer *c = &g.c[g.nc++];
	snprintf(c->name, sizeof c->name, "%s", name);
	return c;
}

static json_t *s_handle(const char *cmd, json_t *req, void *ud, char *err, size_t errlen)
{
	(void)ud;
	if (!strcmp(cmd, "status"))
		return json_pack("{s:s,s:s,s:I}", "daemon", "storaged", "state", "running", "rows", (json_int_t)g.n);
	if (!strcmp(cmd, "stats")) {
		json_t *cs = json_object();
		for (int i = 0; i < g.nc; i++)
			json_object_set_new(cs, g.c[i].name,
					    json_pack("{s:I,s:I,s:I}", "cursor", (json_int_t)g.c[i].cursor, "pending",
						      (json_int_t)(g.n - g.c[i].cursor), "set_aside",
						      (json_int_t)g.c[i].set_aside));
		return json_pack("{s:I,s:o,s:I,s:I}", "rows", (json_int_t)g.n, "consumers", cs, "set_aside",
				 (json_int_t)g.set_aside_total, "dropped_unuploaded", (json_int_t)0);
	}
	const char *cname = json_string_value(json_object_get(req, "consumer"));
	if (!cname) {
		snprintf(err, errlen, "\"consumer\" must be a string");
		return NULL;
	}
	struct consumer *c = s_consumer(cname);
	if (!c) {
		snprintf(err, errlen, "too many consumers");
		return NULL;
	}
	if (!strcmp(cmd, "batch")) {
		json_int_t max = json_integer_value(json_object_get(req, "max"));
		if (max < 1 || max > 1000) {
			snprintf(err, errlen, "\"max\" must be 1..1000");
			return NULL;
		}
		json_int_t after = json_integer_value(json_object_get(req, "after"));
		long long from = after > c->cursor ? after : c->cursor;
		long long to = from + max < g.n ? from + max : g.n;
		if (to < from)
			to = from;
		const char *form = json_string_value(json_object_get(req, "form"));
		json_t *answer;
		if (form && !strcmp(form, "series")) {
			answer = s_series(from, to, err, errlen);
		} else {
			json_t *recs = json_array();
			for (long long i = from; i < to; i++)
				json_array_append_new(recs, s_record(i));
			answer = json_pack("{s:o,s:b}", "records", recs, "more", to < g.n);
		}
		if (answer && to > c->served)
			c->served = to;
		return answer;
	}
	if (!strcmp(cmd, "ack")) {
		json_int_t upto = json_integer_value(json_object_get(req, "upto"));
		if (upto > c->served) {
			snprintf(err, errlen, "\"upto\" %lld is beyond what was served (%lld)", (long long)upto,
				 c->served);
			return NULL;
		}
		if (upto > c->cursor)
			c->cursor = upto;
		return json_object();
	}
	if (!strcmp(cmd, "set-aside")) {
		json_t *ids = json_object_get(req, "ids");
		const char *reason = json_string_value(json_object_get(req, "reason"));
		if (!json_is_array(ids) || !reason) {
			snprintf(err, errlen, "\"ids\" must be an array and \"reason\" a string");
			return NULL;
		}
		size_t k;
		json_t *id;
		json_array_foreach (ids, k, id) {
			c->set_aside++;
			g.set_aside_total++;
			if (g.aside_log) {
				fprintf(g.aside_log, "%s %lld %s\n", c->name, (long long)json_integer_value(id), reason);
				fflush(g.aside_log);
			}
		}
		return json_object();
	}
	snprintf(err, errlen, "unknown command \"%s\"", cmd);
	return NULL;
}

/* -d: answers held for a while: [envelope...][empty] then the text */
#define HELD_MAX 64
static struct held {
	zmq_msg_t env[4];
	int nenv;
	char *text;
	long long due_ms;
} s_held[HELD_MAX];
static int s_nheld;

static long long s_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void s_send_held(void *sock, struct held *h)
{
	for (int k = 0; k < h->nenv; k++)
		zmq_msg_send(&h->env[k], sock, ZMQ_SNDMORE);
	zmq_send(sock, h->text, strlen(h->text), 0);
	free(h->text);
}

/* One request on the ROUTER socket: answered now, or held until due. */
static void s_router_request(void *sock, const char *delay_consumer, long delay_ms)
{
	struct held h = { .nenv = 0 };
	zmq_msg_t body;
	zmq_msg_init(&body);
	for (;;) { /* the envelope up to and with the empty frame, then the body */
		zmq_msg_t m;
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, sock, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			break;
		}
		bool more = zmq_msg_more(&m);
		if (!more) {
			zmq_msg_move(&body, &m);
			zmq_msg_close(&m);
			break;
		}
		if (h.nenv < 4) {
			zmq_msg_init(&h.env[h.nenv]);
			zmq_msg_move(&h.env[h.nenv++], &m);
		}
		zmq_msg_close(&m);
	}
	json_t *req = json_loadb(zmq_msg_data(&body), zmq_msg_size(&body), 0, NULL);
	zmq_msg_close(&body);
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	char err[256] = "bad request";
	json_t *resp = cmd ? s_handle(cmd, req, NULL, err, sizeof err) : NULL;
	if (!resp)
		resp = ctl_error(err);
	else if (!json_object_get(resp, "ok"))
		json_object_set_new(resp, "ok", json_true());
	h.text = json_dumps(resp, JSON_COMPACT);
	const char *consumer = json_string_value(json_object_get(req, "consumer"));
	bool late = consumer && !strcmp(consumer, delay_consumer) && s_nheld < HELD_MAX;
	json_decref(resp);
	json_decref(req);
	h.due_ms = s_now_ms() + (late ? delay_ms : 0);
	if (late) {
		s_held[s_nheld++] = h;
		return;
	}
	s_send_held(sock, &h);
	for (int k = 0; k < h.nenv; k++)
		zmq_msg_close(&h.env[k]);
}

/* -d's loop: a ROUTER where storaged's REP would be. */
static void s_serve_router(void *zctx, const char *name, const char *delay)
{
	char consumer[128];
	const char *colon = strrchr(delay, ':');
	if (!colon || colon == delay || (size_t)(colon - delay) >= sizeof consumer)
		log_fatal(2, "-d wants CONSUMER:MS, not %s", delay);
	memcpy(consumer, delay, (size_t)(colon - delay));
	consumer[colon - delay] = '\0';
	long delay_ms = atol(colon + 1);
	char endpoint[256];
	if (paths_endpoint(endpoint, sizeof endpoint, paths_rundir(), name, "ctl") < 0)
		log_fatal(2, "no endpoint for %s", name);
	void *sock = zmq_socket(zctx, ZMQ_ROUTER);
	int linger = 0;
	zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
	unlink(endpoint + strlen("ipc://"));
	if (zmq_bind(sock, endpoint) < 0)
		log_fatal(EXIT_TEMPORARY, "cannot bind %s", endpoint);
	log_info("serving %lld records as %s, answers to %s %ld ms late", g.n, name, consumer, delay_ms);
	while (!s_stop) {
		long long now = s_now_ms(), wait = 500;
		for (int i = 0; i < s_nheld; i++)
			if (s_held[i].due_ms - now < wait)
				wait = s_held[i].due_ms - now;
		zmq_pollitem_t it = { .socket = sock, .events = ZMQ_POLLIN };
		if (zmq_poll(&it, 1, wait > 0 ? wait : 0) > 0)
			s_router_request(sock, consumer, delay_ms);
		now = s_now_ms();
		for (int i = 0; i < s_nheld;) {
			if (s_held[i].due_ms > now) {
				i++;
				continue;
			}
			s_send_held(sock, &s_held[i]);
			for (int k = 0; k < s_held[i].nenv; k++)
				zmq_msg_close(&s_held[i].env[k]);
			s_held[i] = s_held[--s_nheld];
		}
	}
	zmq_close(sock);
	unlink(endpoint + strlen("ipc://"));
}

int main(int argc, char **argv)
{
	const char *name = "storaged", *aside = NULL, *delay = NULL;
	g.n = 1000;
	g.meters = 8;
	g.first_ts = 1795536000; /* 2026-11-24 00:00 UTC */
	int c;
	while ((c = getopt(argc, argv, "n:m:t:u:N:a:d:")) != -1) {
		switch (c) {
		case 'n': g.n = atoll(optarg); break;
		case 'm': g.meters = atoi(optarg); break;
		case 't': g.first_ts = atoll(optarg); break;
		case 'u': g.unknown_every = atoll(optarg); break;
		case 'N': name = optarg; break;
		case 'a': aside = optarg; break;
		case 'd': delay = optarg; break;
		default:
			fprintf(stderr, "usage: fake_storaged [-n N] [-m METERS] [-t TS] [-u K] [-N NAME] [-a ASIDE_LOG] "
					"[-d CONSUMER:MS]\n");
			return 2;
		}
	}
	log_init("fake_storaged");
	if (g.n < 0 || g.meters < 1 || g.meters > 8 || g.first_ts % 60)
		log_fatal(2, "bad arguments");
	if (aside && !(g.aside_log = fopen(aside, "a")))
		log_fatal(2, "cannot open %s", aside);
	g.reg = calloc((size_t)g.n + 1, sizeof *g.reg);
	if (!g.reg)
		log_fatal(2, "out of memory for %lld records", g.n);
	for (long long i = 0; i < g.n; i++) {
		struct meter_reading r;
		s_reading(i, &r);
		int m = (int)(i % g.meters);
		/* the minute's energy, +-1 % as the register's last second and the
		 * average's seconds do not line up exactly */
		double jitter = 1 + 0.01 * s_noise(i, 13);
		for (int p = 0; p < 4; p++) {
			double P = p < 3 ? r.P[p] : r.Psys, Q = p < 3 ? r.Q[p] : r.Qsys, S = p < 3 ? r.S[p] : r.Ssys;
			double minute[REGS] = { fmax(P, 0), fmax(-P, 0), fmax(Q, 0), fmax(-Q, 0), S };
			for (int k = 0; k < REGS; k++) {
				double before = i >= g.meters ? g.reg[i - g.meters][k][p] : 12345.678 * (m + 1) * (k + 1) + p;
				g.reg[i][k][p] = before + minute[k] / 60.0 * jitter;
			}
		}
	}
	signal(SIGTERM, s_on_term);
	signal(SIGINT, s_on_term);
	void *zctx = zmq_ctx_new();
	if (delay) {
		s_serve_router(zctx, name, delay);
		zmq_ctx_term(zctx);
		free(g.reg);
		return 0;
	}
	struct ctl_server *srv = ctl_server_new(zctx, paths_rundir(), name, s_handle, NULL);
	if (!srv)
		log_fatal(EXIT_TEMPORARY, "cannot bind");
	log_info("serving %lld records as %s", g.n, name);
	while (!s_stop) {
		zmq_pollitem_t it = { .socket = ctl_server_socket(srv), .events = ZMQ_POLLIN };
		if (zmq_poll(&it, 1, 500) > 0)
			ctl_server_serve(srv);
	}
	ctl_server_destroy(&srv);
	zmq_ctx_term(zctx);
	free(g.reg);
	if (g.aside_log)
		fclose(g.aside_log);
	return 0;
}
