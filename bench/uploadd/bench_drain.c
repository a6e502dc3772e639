/* bench_drain: how fast uploadd drains a backlog to a loopback receiver,
 * and how many bytes each meter-minute costs on the wire.
 *
 *   bench_drain [RECORDS [LATENCY_MS]]   (default 100000 meter-minutes of 8
 *                                         meters, a receiver answering at once)
 *
 * LATENCY_MS makes the receiver wait that long before each answer, as a
 * server across a WAN or 3G link does.
 *
 * Starts, in a scratch directory: the storaged stand-in pre-filled with
 * RECORDS (tests/uploadd/fake_storaged.c: storaged's record format and
 * control protocol, from memory), the test receiver (receiver.py, which
 * gunzips and parses every batch), and uploadd with one http-json target
 * (batch 1000, gzip).  Prints the drain rate, the projection for 1 million
 * records (90 days of 8 meters; goal < 2 min), gzip'd and raw bytes per
 * record (goal < 60), and the CPU seconds each process spent, which says
 * where the time goes on a loaded machine. */
#include "clock.h"
#include "ctl.h"

#include <curl/curl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

static pid_t s_spawn(char *const argv[], const char *errlog)
{
	pid_t pid = fork();
	if (pid == 0) {
		FILE *f = freopen(errlog, "a", stderr);
		(void)f;
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	return pid;
}

static void s_nap(int ms)
{
	nanosleep(&(struct timespec){ .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L }, NULL);
}

/* user + system CPU seconds of a live process */
static double s_cpu(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	unsigned long ut = 0, st = 0;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int s_remove(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static size_t s_collect(char *data, size_t size, size_t nmemb, void *ud)
{
	strncat(ud, data, size * nmemb < 4000 ? size * nmemb : 4000);
	return size * nmemb;
}

int main(int argc, char **argv)
{
	long long n = argc > 1 ? atoll(argv[1]) : 100000;
	int latency_ms = argc > 2 ? atoi(argv[2]) : 0;
	char dir[] = "/tmp/bench-up.XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	char run[256], conf[256], portfile[256], log[256], errlog[256];
	snprintf(run, sizeof run, "%s/run", dir);
	snprintf(conf, sizeof conf, "%s/config.json", dir);
	snprintf(portfile, sizeof portfile, "%s/port", dir);
	snprintf(log, sizeof log, "%s/recv.log", dir);
	snprintf(errlog, sizeof errlog, "%s/err.log", dir);
	mkdir(run, 0755);
	setenv("ENISCOPE_RUNDIR", run, 1);
	setenv("ENISCOPE_DATA", dir, 1);
	setenv("ENISCOPE_CONF", conf, 1);

	char nbuf[32];
	snprintf(nbuf, sizeof nbuf, "%lld", n);
	pid_t recv = s_spawn((char *[]){ "python3", RECEIVER_PY, portfile, log, "--summary", NULL }, errlog);
	pid_t store = s_spawn((char *[]){ FAKE_STORAGED, "-n", nbuf, "-m", "8", NULL }, errlog);
	int port = 0;
	for (int i = 0; i < 100 && !port; i++) {
		FILE *f = fopen(portfile, "r");
		if (f) {
			if (fscanf(f, "%d", &port) != 1)
				port = 0;
			fclose(f);
		}
		if (!port)
			s_nap(100);
	}
	if (!port) {
		fprintf(stderr, "bench_drain: the receiver did not start (see %s)\n", errlog);
		return 1;
	}
	FILE *c = fopen(conf, "w");
	fprintf(c,
		"{\"hub\":{\"mac\":\"02:00:00:00:00:01\"},\"upload\":[{\"name\":\"bench\",\"enabled\":true,"
		"\"url\":\"http://127.0.0.1:%d/up\",\"batch_size\":1000,\"interval_s\":1}]}\n",
		port);
	fclose(c);
	if (latency_ms > 0) {
		char url[128], body[64];
		snprintf(url, sizeof url, "http://127.0.0.1:%d/_ctl", port);
		snprintf(body, sizeof body, "{\"delay\":%.3f}", latency_ms / 1000.0);
		CURL *e = curl_easy_init();
		curl_easy_setopt(e, CURLOPT_URL, url);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, s_collect);
		char ignored[4096] = "";
		curl_easy_setopt(e, CURLOPT_WRITEDATA, ignored);
		CURLcode rc = curl_easy_perform(e);
		curl_easy_cleanup(e);
		if (rc != CURLE_OK) {
			fprintf(stderr, "bench_drain: cannot set the receiver's latency: %s\n", curl_easy_strerror(rc));
			return 1;
		}
	}
	void *z = zmq_ctx_new();
	char err[512];
	json_t *req = json_pack("{s:s}", "cmd", "stats");
	for (int i = 0; i < 100; i++) { /* the stand-in fills its store first */
		json_t *r = ctl_request(z, run, "storaged", req, 1000, err, sizeof err);
		json_decref(r);
		if (r)
			break;
		s_nap(100);
	}

	int64_t t0 = clock_mono_ms();
	double store_cpu0 = s_cpu(store);
	pid_t up = s_spawn((char *[]){ UPLOADD_EXE, NULL }, errlog);
	long long pending = -1;
	while (pending != 0 && clock_mono_ms() - t0 < 600000) {
		s_nap(100);
		json_t *r = ctl_request(z, run, "storaged", req, 2000, err, sizeof err);
		json_t *p = json_object_get(json_object_get(json_object_get(r, "consumers"), "upload:bench"), "pending");
		if (json_is_integer(p))
			pending = json_integer_value(p);
		json_decref(r);
	}
	double secs = (double)(clock_mono_ms() - t0) / 1000.0;
	double up_cpu = s_cpu(up), store_cpu = s_cpu(store) - store_cpu0, recv_cpu = s_cpu(recv);
	json_decref(req);

	char stats[4096] = "";
	char url[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/_stats", port);
	CURL *e = curl_easy_init();
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, s_collect);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, stats);
	curl_easy_perform(e);
	curl_easy_cleanup(e);
	json_t *st = json_loads(stats, 0, NULL);
	double recs = (double)json_integer_value(json_object_get(st, "records"));
	double bytes = (double)json_integer_value(json_object_get(st, "bytes"));
	double raw = (double)json_integer_value(json_object_get(st, "raw_bytes"));
	json_decref(st);

	kill(up, SIGTERM);
	kill(store, SIGTERM);
	kill(recv, SIGTERM);
	waitpid(up, NULL, 0);
	waitpid(store, NULL, 0);
	waitpid(recv, NULL, 0);
	zmq_ctx_term(z);

	if (pending != 0 || recs < (double)n) {
		fprintf(stderr, "bench_drain: not drained (pending %lld, %.0f of %lld arrived); see %s\n", pending, recs, n,
			errlog);
		return 1;
	}
	printf("records drained:              %lld meter-minutes (8 meters) in %.1f s, receiver latency %d ms\n", n,
	       secs, latency_ms);
	printf("drain rate:                   %.0f records/s (1 million in %.0f s; goal < 120 s)\n", recs / secs,
	       1e6 / (recs / secs));
	printf("on the wire (gzip):           %.1f bytes per meter-minute (goal < 60)\n", bytes / recs);
	printf("uncompressed JSON:            %.1f bytes per meter-minute\n", raw / recs);
	printf("CPU uploadd / store / receiver: %.1f / %.1f / %.1f s (uploadd %.0f us per record)\n", up_cpu, store_cpu,
	       recv_cpu, up_cpu / recs * 1e6);
	nftw(dir, s_remove, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
