/* fake_storaged: a stand-in for storaged that speaks its control protocol
 * (docs/STORE.md: batch, ack, set-aside, stats) over a pre-filled,
 * in-memory store, so uploadd's tests and benchmark can run a backlog of
 * any size without waiting for minutes to pass.  It is NOT storaged: no
 * SQLite, no retention; it exists to drive the consumer side.
 *
 *   fake_storaged [-n RECORDS] [-m METERS] [-t FIRST_TS] [-u K] [-N NAME]
 *
 * Records are meter minutes of a plausible building (230 V, a load that
 * follows the hour of day, float32-rounded as storaged stores them,
 * registers that only grow), meter 1..METERS round-robin, ids 1..RECORDS.  With -u K every
 * K-th record claims "time":"unknown" (which uploadd must never send).
 * SIGTERM stops it; it answers "status" too. */
#include "ctl.h"
#include "log.h"
#include "paths.h"
#include "reading.h"

#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define CONSUMERS_MAX 16
#define MAC "02:00:00:00:00:01"

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
	double *energy; /* cumulative Wh per record */
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

/* A minute of meter (i % meters) + 1: the load follows the hour of day
 * and differs per meter and phase, so the targets see varied numbers. */
static void s_reading(long long i, struct meter_reading *r)
{
	int meter = (int)(i % g.meters) + 1;
	long long ts = g.first_ts + (i / g.meters) * 60;
	double hour = fmod((double)ts / 3600.0, 24.0);
	double load = 0.25 + 0.5 * exp(-pow((hour - 13.0) / 4.0, 2)) + 0.03 * meter;
	memset(r, 0, sizeof *r);
	r->phases = 3;
	for (int p = 0; p < 3; p++) {
		r->V[p] = 230.0 + 1.5 * sin(ts / 600.0 + p);
		r->I[p] = 100.0 * load * (0.9 + 0.1 * p);
		r->PF[p] = 0.93 + 0.02 * p;
		r->S[p] = r->V[p] * r->I[p];
		r->P[p] = r->S[p] * r->PF[p];
		r->Q[p] = sqrt(r->S[p] * r->S[p] - r->P[p] * r->P[p]);
		r->U[p] = r->V[p] * sqrt(3.0);
	}
	r->In = 0.1 * r->I[0];
	r->F = 50.0 + 0.02 * sin(ts / 300.0);
	reading_sum_phases(r);
}

static json_t *s_record(long long i)
{
	struct meter_reading r;
	s_reading(i, &r);
	int meter = (int)(i % g.meters) + 1;
	long long ts = g.first_ts + (i / g.meters) * 60;
	char rid[96];
	snprintf(rid, sizeof rid, MAC "/meter/%d/%lld", meter, ts);
	bool unknown = g.unknown_every && (i + 1) % g.unknown_every == 0;
	json_t *v = json_object();
#define AV(name, x) json_object_set_new(v, name, json_real(s_f32(x)))
	AV("V1", r.V[0]); AV("V2", r.V[1]); AV("V3", r.V[2]); AV("V", r.Vsys);
	AV("I1", r.I[0]); AV("I2", r.I[1]); AV("I3", r.I[2]); AV("I", r.Isys); AV("In", r.In);
	AV("P1", r.P[0]); AV("P2", r.P[1]); AV("P3", r.P[2]); AV("P", r.Psys);
	AV("Q1", r.Q[0]); AV("Q2", r.Q[1]); AV("Q3", r.Q[2]); AV("Q", r.Qsys);
	AV("S1", r.S[0]); AV("S2", r.S[1]); AV("S3", r.S[2]); AV("S", r.Ssys);
	AV("PF1", r.PF[0]); AV("PF2", r.PF[1]); AV("PF3", r.PF[2]); AV("PF", r.PFsys);
	AV("F", r.F); AV("Pmin", r.Psys * 0.97); AV("Pmax", r.Psys * 1.03);
#undef AV
	double e = g.energy[i];
	static const char *const regs[] = { "E", "Ex", "RE", "REx", "AE" };
	static const double share[] = { 1.0, 0.004, 0.38, 0.02, 1.07 };
	for (int k = 0; k < 5; k++) {
		for (int p = 1; p <= 3; p++) {
			char key[8];
			snprintf(key, sizeof key, "%s%d", regs[k], p);
			json_object_set_new(v, key, json_real(e * share[k] * (0.3 + 0.05 * p)));
		}
		json_object_set_new(v, regs[k], json_real(e * share[k] * 1.05));
	}
	return json_pack("{s:I,s:s,s:s,s:i,s:I,s:s,s:i,s:o}", "id", (json_int_t)(i + 1), "rid", rid, "kind", "meter",
			 "n", meter, "ts", (json_int_t)ts, "time", unknown ? "unknown" : "synced", "count", 60,
			 "values", v);
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
		json_t *recs = json_array();
		long long i = c->cursor;
		for (; i < g.n && i < c->cursor + max; i++)
			json_array_append_new(recs, s_record(i));
		if (i > c->served)
			c->served = i;
		return json_pack("{s:o,s:b}", "records", recs, "more", i < g.n);
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

int main(int argc, char **argv)
{
	const char *name = "storaged", *aside = NULL;
	g.n = 1000;
	g.meters = 8;
	g.first_ts = 1795536000; /* 2026-11-24 00:00 UTC */
	int c;
	while ((c = getopt(argc, argv, "n:m:t:u:N:a:")) != -1) {
		switch (c) {
		case 'n': g.n = atoll(optarg); break;
		case 'm': g.meters = atoi(optarg); break;
		case 't': g.first_ts = atoll(optarg); break;
		case 'u': g.unknown_every = atoll(optarg); break;
		case 'N': name = optarg; break;
		case 'a': aside = optarg; break;
		default:
			fprintf(stderr, "usage: fake_storaged [-n N] [-m METERS] [-t TS] [-u K] [-N NAME] [-a ASIDE_LOG]\n");
			return 2;
		}
	}
	log_init("fake_storaged");
	if (g.n < 0 || g.meters < 1 || g.meters > 8 || g.first_ts % 60)
		log_fatal(2, "bad arguments");
	if (aside && !(g.aside_log = fopen(aside, "a")))
		log_fatal(2, "cannot open %s", aside);
	g.energy = calloc((size_t)g.n + 1, sizeof *g.energy);
	double acc[8] = { 0 };
	for (long long i = 0; i < g.n; i++) {
		struct meter_reading r;
		s_reading(i, &r);
		int m = (int)(i % g.meters);
		acc[m] += fabs(r.Psys) / 60.0;
		g.energy[i] = 123456.789 * (m + 1) + acc[m];
	}
	signal(SIGTERM, s_on_term);
	signal(SIGINT, s_on_term);
	void *zctx = zmq_ctx_new();
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
	free(g.energy);
	if (g.aside_log)
		fclose(g.aside_log);
	return 0;
}
