/* cmd_status: asks every daemon (or the named ones) for its status over its
 * control socket.  A daemon that is absent or does not answer within a
 * second is reported, never waited for. */
#include "eniscopectl.h"

#include "bus.h"
#include "ctl.h"
#include "msg.h"
#include "paths.h"

#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#define STATUS_TIMEOUT_MS 1000

static void s_print_line(const char *name, json_t *st, const char *err)
{
	if (!st) {
		printf("%-10s %s\n", name, err);
		return;
	}
	const char *state = json_string_value(json_object_get(st, "state"));
	printf("%-10s %s, pid %lld, up %llds, config %s", name, state ? state : "running",
	       (long long)json_integer_value(json_object_get(st, "pid")),
	       (long long)json_integer_value(json_object_get(st, "uptime_s")),
	       json_string_value(json_object_get(st, "config")) ?: "?");
	const char *fault = json_string_value(json_object_get(st, "fault"));
	if (fault)
		printf(", fault: %s", fault);
	if (json_is_true(json_object_get(st, "simulated")))
		printf(", SIMULATED");
	putchar('\n');
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(st, "config_errors"), i, e) {
		/* an error about the whole file has no field: it names the file */
		const char *field = json_string_value(json_object_get(e, "field"));
		printf("%-10s   config: %s%s%s\n", "", field ? field : "", field && *field ? ": " : "",
		       json_string_value(json_object_get(e, "error")));
	}
}

int cmd_status(int argc, char **argv)
{
	bool as_json = false;
	const char *only[16];
	int nonly = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			as_json = true;
		else if (nonly < 16)
			only[nonly++] = argv[i];
	}
	void *zctx = zmq_ctx_new();
	json_t *all = json_object();
	int rc = 0;
	json_t *req = json_pack("{s:s}", "cmd", "status");
	for (const char *const *name = bus_daemon_names; *name; name++) {
		bool wanted = nonly == 0;
		for (int i = 0; i < nonly; i++)
			wanted |= !strcmp(only[i], *name);
		if (!wanted)
			continue;
		char err[256];
		json_t *st = ctl_request(zctx, paths_rundir(), *name, req, STATUS_TIMEOUT_MS, err, sizeof err);
		/* asked by name: not running is a failure the caller can test */
		if (!st && nonly)
			rc = 1;
		if (as_json)
			json_object_set_new(all, *name, st ? st : json_pack("{s:b,s:s}", "ok", 0, "error", err));
		else {
			s_print_line(*name, st, err);
			json_decref(st);
		}
	}
	for (int i = 0; i < nonly; i++) {
		bool known = false;
		for (const char *const *name = bus_daemon_names; *name; name++)
			known |= !strcmp(only[i], *name);
		if (!known) {
			fprintf(stderr, "eniscopectl: no daemon called \"%s\"\n", only[i]);
			rc = 2;
		}
	}
	if (as_json) {
		char *text = json_dumps(all, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		puts(text);
		free(text);
	}
	json_decref(all);
	json_decref(req);
	zmq_ctx_term(zctx);
	return rc;
}
