/* readings: GET /api/readings (docs/API.md), the one call a page makes
 * every second, kept to the least work a fork of a CGI allows: a small
 * static program (no JSON library, no ZeroMQ to load) that checks the
 * session and sends readingsd's snapshot with its age put in front. */
#include "paths.h"
#include "regular_file.h"
#include "web.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SNAPSHOT_MAX (1 << 20)
#define SNAPSHOT_STALE_S 3 /* readingsd rewrites it every second */

int main(void)
{
	struct web w;
	char err[256];
	int rc = web_init(&w, false, err, sizeof err);
	if (!rc && strcmp(w.req.method, "GET")) {
		http_send_error(stdout, 405, "Allow: GET\r\n", "only GET");
		return 0;
	}
	if (!rc)
		rc = web_auth(&w, false, err, sizeof err);
	if (rc) {
		http_send_error(stdout, rc, NULL, err);
		return 0;
	}
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/readings.json", paths_rundir());
	char why[PATH_MAX + 64];
	int fd = regular_file_open(path, 0, why, sizeof why); /* a FIFO would block */
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < 2 || st.st_size > SNAPSHOT_MAX) {
		http_send_error(stdout, 503, NULL, "readingsd: not running (no snapshot)");
		return 0;
	}
	long long age = w.now - (long long)st.st_mtime;
	if (age > SNAPSHOT_STALE_S) {
		snprintf(err, sizeof err, "readingsd: not running (snapshot %lld s old)", age);
		http_send_error(stdout, 503, NULL, err);
		return 0;
	}
	char *buf = malloc((size_t)st.st_size);
	ssize_t n = buf ? read(fd, buf, (size_t)st.st_size) : -1;
	close(fd);
	if (n < 2 || buf[0] != '{') {
		http_send_error(stdout, 503, NULL, "readingsd: snapshot unreadable");
		free(buf);
		return 0;
	}
	char head[64];
	int hl = snprintf(head, sizeof head, "{\"age_s\":%lld,", age < 0 ? 0 : age);
	fprintf(stdout, "Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
			"Cache-Control: no-store\r\nContent-Length: %zd\r\n\r\n",
		(ssize_t)hl + n - 1);
	fwrite(head, 1, (size_t)hl, stdout);
	fwrite(buf + 1, 1, (size_t)n - 1, stdout);
	free(buf);
	return 0;
}
