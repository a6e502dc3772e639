/* fake_uploadd: a stand-in for uploadd that answers "status" on
 * uploadd's control socket with one target whose backlog is the number in
 * a file (read at each request, so a test changes it while paneld runs).
 * It is NOT uploadd; it exists so paneld's test can make "an upload is
 * pending" come and go without a receiver and a store.
 *
 *   fake_uploadd BACKLOG_FILE         SIGTERM stops it */
#include "ctl.h"
#include "log.h"
#include "paths.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

static volatile sig_atomic_t s_stop;
static void s_on_term(int sig)
{
	(void)sig;
	s_stop = 1;
}

static json_t *s_handle(const char *cmd, json_t *request, void *ud, char *err, size_t errlen)
{
	(void)request;
	if (strcmp(cmd, "status")) {
		snprintf(err, errlen, "unknown command %s", cmd);
		return NULL;
	}
	long long backlog = 0;
	FILE *f = fopen(ud, "r");
	if (f) {
		if (fscanf(f, "%lld", &backlog) != 1)
			backlog = 0;
		fclose(f);
	}
	return json_pack("{s:[{s:s,s:I}]}", "targets", "name", "cloud", "backlog", (json_int_t)backlog);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: fake_uploadd BACKLOG_FILE\n");
		return 2;
	}
	log_init("fake_uploadd");
	signal(SIGTERM, s_on_term);
	void *zctx = zmq_ctx_new();
	struct ctl_server *srv = ctl_server_new(zctx, paths_rundir(), "uploadd", s_handle, argv[1]);
	if (!srv)
		log_fatal(EXIT_TEMPORARY, "cannot open uploadd's control socket");
	while (!s_stop) {
		zmq_pollitem_t it = { .socket = ctl_server_socket(srv), .events = ZMQ_POLLIN };
		if (zmq_poll(&it, 1, 200) > 0)
			ctl_server_serve(srv);
	}
	ctl_server_destroy(&srv);
	zmq_ctx_term(zctx);
	return 0;
}
