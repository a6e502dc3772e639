/* live: GET /api/live (docs/API.md), the displays' live readings as
 * server-sent events (WHATWG HTML, "Server-sent events"): readingsd's
 * snapshot each time it is rewritten (once a second), as GET
 * /api/readings sends it.  Each client holds one of these processes for
 * as long as it watches, so it is a small static program like readings
 * (no JSON library, no ZeroMQ): it sleeps in poll() on an inotify watch of
 * the run directory and wakes when readingsd renames a new snapshot into
 * place.  Subscribing to the bus instead would make every client a ZeroMQ
 * subscriber decoding every message (bench/webcgi/bench_live measured
 * both, webcgi/README.md).
 *
 * The stream: "retry: 2000" first (the browser reconnects 2 s after the
 * stream ends), then per snapshot "data: {...}"; "event: stale" with
 * {"error":...} when readingsd stops writing, once per change of the
 * reason; a comment line every HEARTBEAT_S of silence (so proxies and
 * lighttpd's write timeout see traffic); "event: denied" and the end when
 * the caller may no longer see the display (display password switched on,
 * session over).  It ends when the client goes (a write fails, or
 * lighttpd's SIGTERM) and exits 0. */
#include "paths.h"
#include "slots.h"
#include "snapshot.h"
#include "web.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#define RETRY_MS 2000
#define HEARTBEAT_S 10
#define RECHECK_S 30 /* access checked again this often */
/* streams at once, at most: half of lighttpd's server.max-connections
 * (256), so that display clients never leave the admin without one */
#define LIVE_MAX 128

static volatile sig_atomic_t s_stop;

static void s_on_term(int sig)
{
	(void)sig;
	s_stop = 1;
}

/* Writes all of buf to stdout; false when the client has gone. */
static bool s_write(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, buf, len);
		if (n < 0 && errno == EINTR && !s_stop)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* One event: "event: NAME\n" (unless NULL) and text as data lines, in
 * one write (one chunk for lighttpd to pass on, not one per line). */
static bool s_event(const char *name, const char *text, size_t len)
{
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	char *buf = malloc(len + lines * 7 + 80); /* "data: " + '\n' a line, the name, the blank line */
	if (!buf)
		return false;
	size_t n = name ? (size_t)sprintf(buf, "event: %.60s\n", name) : 0;
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t line = nl ? (size_t)(nl - text) : len;
		memcpy(buf + n, "data: ", 6);
		memcpy(buf + n + 6, text, line);
		n += 6 + line;
		buf[n++] = '\n';
		len -= nl ? line + 1 : line;
		text += nl ? line + 1 : line;
	}
	buf[n++] = '\n';
	bool ok = s_write(buf, n);
	free(buf);
	return ok;
}

/* {"error":"err"} as an event (err has no quote or backslash: our own text) */
static bool s_error_event(const char *name, const char *err)
{
	char buf[320];
	int n = snprintf(buf, sizeof buf, "{\"error\":\"%s\"}", err);
	return s_event(name, buf, (size_t)n);
}

static long long s_mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

static long long s_wall_s(void)
{
	return (long long)time(NULL);
}

/* Wakes on a new snapshot (readingsd renames it into place), never later
 * than a second: the inotify descriptor, -1 when there is none (then the
 * one-second timeout alone finds new snapshots). */
static int s_watch(void)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd >= 0 && inotify_add_watch(fd, paths_rundir(), IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void s_drain(int fd)
{
	char buf[4096];
	while (read(fd, buf, sizeof buf) > 0)
		;
}

int main(void)
{
	struct web w;
	if (!web_start_get(&w, true))
		return 0;
	char err[256];
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/web/live", paths_rundir());
	int slot = slots_take(dir, LIVE_MAX, err, sizeof err);
	if (slot < 0) {
		if (slot == -1)
			snprintf(err, sizeof err, "%d display streams already: try again later", LIVE_MAX);
		http_send_error(stdout, 503, "Retry-After: 10\r\n", err);
		return 0;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = s_on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	char head[160];
	int hl = snprintf(head, sizeof head,
			  "Status: 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\r\n"
			  "retry: %d\n\n",
			  RETRY_MS);
	if (!s_write(head, (size_t)hl))
		return 0;
	int ino = s_watch();
	long long sent_ns = 0, last_write = s_mono_s(), last_check = last_write;
	char last_err[256] = "";
	while (!s_stop) {
		long long mtime = snapshot_mtime_ns();
		bool ok = true;
		/* a new snapshot; or none new for too long (readingsd stopped: the
		 * same file only grows old, and that must be said); or still an
		 * error to see the end of */
		if (mtime != sent_ns || last_err[0] || s_wall_s() - mtime / 1000000000 > SNAPSHOT_STALE_S) {
			struct snapshot s;
			if (snapshot_read(s_wall_s(), &s, err, sizeof err) == 0) {
				ok = s_event(NULL, s.text, s.len);
				sent_ns = s.mtime_ns;
				last_err[0] = '\0';
				free(s.text);
				last_write = s_mono_s();
			} else if (strncmp(err, last_err, strcspn(err, "(")) || !last_err[0]) {
				/* a new reason (the snapshot's growing age in brackets is
				 * not one: once said, keep-alive comments follow) */
				ok = s_error_event("stale", err);
				snprintf(last_err, sizeof last_err, "%s", err);
				last_write = s_mono_s();
			}
		}
		long long now = s_mono_s();
		if (ok && now - last_write >= HEARTBEAT_S) {
			ok = s_write(": keep-alive\n\n", 14);
			last_write = now;
		}
		if (ok && now - last_check >= RECHECK_S) {
			last_check = now;
			w.now = s_wall_s();
			if (web_display_auth(&w, err, sizeof err)) {
				s_error_event("denied", err);
				break;
			}
		}
		if (!ok)
			break;
		/* stdout too: a pipe whose reader closed reports POLLERR at once */
		struct pollfd p[2] = { { .fd = STDOUT_FILENO, .events = 0 }, { .fd = ino, .events = POLLIN } };
		int n = poll(p, ino >= 0 ? 2 : 1, 1000);
		if (n > 0 && (p[0].revents & (POLLERR | POLLHUP)))
			break;
		if (n > 0 && ino >= 0 && (p[1].revents & POLLIN))
			s_drain(ino);
	}
	if (ino >= 0)
		close(ino);
	close(slot);
	return 0;
}
