/* ctlreq: sends one control request to a daemon and prints the answer, for
 * the integration tests.  Exit 0 when the answer has "ok": true, 1 when it
 * is an error answer, 2 when there was no answer.
 *   usage: ctlreq DAEMON JSON [TIMEOUT_MS] */
#include "ctl.h"
#include "msg.h"
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <zmq.h>

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: ctlreq DAEMON JSON [TIMEOUT_MS]\n");
		return 2;
	}
	json_error_t jerr;
	json_t *req = json_loads(argv[2], 0, &jerr);
	if (!req) {
		fprintf(stderr, "ctlreq: request is not JSON: %s\n", jerr.text);
		return 2;
	}
	void *z = zmq_ctx_new();
	char err[512];
	json_t *res = ctl_request(z, paths_rundir(), argv[1], req, argc == 4 ? atoi(argv[3]) : 5000, err, sizeof err);
	json_decref(req);
	int rc = 2;
	if (res) {
		char *text = json_dumps(res, MSG_JSON_FLAGS);
		puts(text);
		free(text);
		rc = json_is_true(json_object_get(res, "ok")) ? 0 : 1;
		json_decref(res);
	} else {
		fprintf(stderr, "ctlreq: %s\n", err);
	}
	zmq_ctx_term(z);
	return rc;
}
