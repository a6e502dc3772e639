/* eniscopectl call: one control request to one daemon, its answer on
 * stdout.  For ops engineers and scripts that need a command the other
 * sub-commands do not wrap (storaged's "history" or "stats", uploadd's
 * "checkin"): the request is passed as given, so every daemon's own
 * commands (docs/BUS.md, docs/STORE.md, ...) are reachable without a tool
 * per daemon. */
#include "eniscopectl.h"

#include "ctl.h"
#include "msg.h"
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define CALL_TIMEOUT_MS 5000

/* A daemon name becomes a socket path: letters, digits, '-' and '_' only. */
static bool s_name_valid(const char *name)
{
	if (!*name || strlen(name) > 32)
		return false;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return false;
	return true;
}

int cmd_call(int argc, char **argv)
{
	long timeout_ms = CALL_TIMEOUT_MS;
	int i = 1;
	if (i + 1 < argc && !strcmp(argv[i], "-t")) {
		char *end;
		timeout_ms = strtol(argv[i + 1], &end, 10);
		if (*end || timeout_ms < 1 || timeout_ms > 600000) {
			fprintf(stderr, "eniscopectl call: -t: \"%s\" is not a number of milliseconds 1..600000\n",
				argv[i + 1]);
			return 2;
		}
		i += 2;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: eniscopectl call [-t MS] DAEMON JSON\n");
		return 2;
	}
	if (!s_name_valid(argv[i])) {
		fprintf(stderr, "eniscopectl call: \"%s\" is not a daemon name (a-z, 0-9, '-', '_')\n", argv[i]);
		return 2;
	}
	json_error_t jerr;
	json_t *req = json_loads(argv[i + 1], 0, &jerr);
	if (!json_is_object(req) || !json_is_string(json_object_get(req, "cmd"))) {
		fprintf(stderr, "eniscopectl call: the request must be a JSON object with \"cmd\": %s\n",
			req ? "no \"cmd\" string" : jerr.text);
		json_decref(req);
		return 2;
	}
	void *z = zmq_ctx_new();
	char err[512];
	json_t *res = ctl_request(z, paths_rundir(), argv[i], req, (int)timeout_ms, err, sizeof err);
	json_decref(req);
	int rc = 1;
	if (res) {
		char *text = json_dumps(res, MSG_JSON_FLAGS);
		puts(text);
		free(text);
		rc = json_is_true(json_object_get(res, "ok")) ? 0 : 1;
		json_decref(res);
	} else {
		fprintf(stderr, "eniscopectl call: %s: %s\n", argv[i], err);
		rc = 3;
	}
	zmq_ctx_term(z);
	return rc;
}
