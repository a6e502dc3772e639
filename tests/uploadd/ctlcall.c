/* ctlcall: sends one control request to a daemon and prints the answer,
 * for uploadd's integration scripts ("ctlcall uploadd '{"cmd":"checkin"}'").
 * Exit 0 when the answer has "ok":true. */
#include "ctl.h"
#include "msg.h"
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <zmq.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: ctlcall DAEMON JSON\n");
		return 2;
	}
	json_error_t jerr;
	json_t *req = json_loads(argv[2], 0, &jerr);
	if (!req) {
		fprintf(stderr, "ctlcall: %s\n", jerr.text);
		return 2;
	}
	void *z = zmq_ctx_new();
	char err[512];
	json_t *resp = ctl_request(z, paths_rundir(), argv[1], req, 5000, err, sizeof err);
	json_decref(req);
	int rc = 1;
	if (resp) {
		char *text = json_dumps(resp, MSG_JSON_FLAGS);
		puts(text);
		free(text);
		rc = json_is_true(json_object_get(resp, "ok")) ? 0 : 1;
		json_decref(resp);
	} else {
		fprintf(stderr, "ctlcall: %s: %s\n", argv[1], err);
	}
	zmq_ctx_term(z);
	return rc;
}
