/* cmd_tap: prints bus traffic as JSON lines, one message a line:
 *
 *     {"topic":"meter/1/rt","payload":{"uid":...,"ts":...,"seq":...}}
 *
 * It subscribes to every publisher whose socket is in the run directory
 * and looks again every second, so daemons started later are heard too.
 * Malformed messages are reported on stderr, not printed. */
#include "eniscopectl.h"

#include "bus.h"
#include "clock.h"
#include "msg.h"
#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#define TAP_MAX_PUBLISHERS 64

struct tap {
	struct bus_sub *sub;
	char *connected[TAP_MAX_PUBLISHERS]; /* and those refused: said once */
	size_t nconnected;
	bool rundir_said;
};

static volatile sig_atomic_t s_stop;

static void s_on_signal(int sig)
{
	(void)sig;
	s_stop = 1;
}

static bool s_known(const struct tap *tap, const char *name)
{
	for (size_t i = 0; i < tap->nconnected; i++)
		if (!strcmp(tap->connected[i], name))
			return true;
	return false;
}

/* Connects to every <name>.pub not connected yet. */
static void s_scan(struct tap *tap, const char *rundir)
{
	DIR *dir = opendir(rundir);
	if (!dir) {
		/* permission denied would otherwise look like a silent bus */
		int e = errno;
		if (e != ENOENT && !tap->rundir_said)
			fprintf(stderr, "eniscopectl: cannot list %s: %s\n", rundir, strerror(e));
		tap->rundir_said = e != ENOENT;
		return;
	}
	struct dirent *de;
	while ((de = readdir(dir)) && tap->nconnected < TAP_MAX_PUBLISHERS) {
		size_t len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".pub"))
			continue;
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)(len - 4), de->d_name);
		if (s_known(tap, name))
			continue;
		if (bus_sub_connect(tap->sub, rundir, name) < 0)
			fprintf(stderr, "eniscopectl: cannot connect to %s: %s (%s/%s)\n", name, strerror(errno), rundir,
				de->d_name);
		tap->connected[tap->nconnected++] = strdup(name);
	}
	closedir(dir);
}

int cmd_tap(int argc, char **argv)
{
	long count = -1;
	double seconds = -1;
	const char *prefix = "";
	for (int i = 1; i < argc; i++) {
		char *end;
		if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			count = strtol(argv[++i], &end, 10);
			if (*end || count < 1) {
				fprintf(stderr, "eniscopectl: tap -n: not a positive count: %s\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			seconds = strtod(argv[++i], &end);
			if (*end || seconds <= 0) {
				fprintf(stderr, "eniscopectl: tap -t: not a positive number of seconds: %s\n", argv[i]);
				return 2;
			}
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "eniscopectl: tap: unknown option %s\n", argv[i]);
			return 2;
		} else {
			prefix = argv[i];
		}
	}
	signal(SIGINT, s_on_signal);
	signal(SIGTERM, s_on_signal);
	signal(SIGPIPE, s_on_signal);
	void *zctx = zmq_ctx_new();
	struct tap tap = { .sub = bus_sub_new(zctx) };
	bus_sub_subscribe(tap.sub, prefix);
	const char *rundir = paths_rundir();
	int64_t deadline = seconds > 0 ? clock_mono_ms() + (int64_t)(seconds * 1000) : INT64_MAX;
	int64_t next_scan = 0;
	int rc = 0;
	long printed = 0;
	while (!s_stop && (count < 0 || printed < count)) {
		int64_t now = clock_mono_ms();
		if (now >= deadline) {
			rc = count > 0 ? 1 : 0; /* fewer messages than asked for */
			break;
		}
		if (now >= next_scan) {
			s_scan(&tap, rundir);
			next_scan = now + 1000;
		}
		int64_t wait = next_scan < deadline ? next_scan - now : deadline - now;
		zmq_pollitem_t item = { .socket = bus_sub_socket(tap.sub), .events = ZMQ_POLLIN };
		if (zmq_poll(&item, 1, (long)wait) <= 0)
			continue;
		char *topic;
		json_t *payload;
		char err[256];
		int got;
		while ((count < 0 || printed < count) && (got = bus_sub_recv(tap.sub, &topic, &payload, err, sizeof err)) != 0) {
			if (got < 0) {
				fprintf(stderr, "eniscopectl: dropped a bad message: %s\n", err);
				continue;
			}
			json_t *line = json_pack("{s:s,s:o}", "topic", topic, "payload", payload);
			char *text = json_dumps(line, MSG_JSON_FLAGS);
			if (text && printf("%s\n", text) < 0)
				s_stop = 1;
			fflush(stdout);
			free(text);
			json_decref(line);
			free(topic);
			printed++;
		}
	}
	for (size_t i = 0; i < tap.nconnected; i++)
		free(tap.connected[i]);
	bus_sub_destroy(&tap.sub);
	zmq_ctx_term(zctx);
	return rc;
}
