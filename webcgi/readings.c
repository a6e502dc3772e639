/* readings: GET /api/readings (docs/API.md), the one call a page makes
 * every second, kept to the least work a fork of a CGI allows: a small
 * static program (no JSON library, no ZeroMQ to load) that checks the
 * session and sends readingsd's snapshot with its age put in front. */
#include "snapshot.h"
#include "web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	struct snapshot s;
	if (!rc)
		rc = snapshot_read(w.now, &s, err, sizeof err);
	if (rc) {
		http_send_error(stdout, rc, NULL, err);
		return 0;
	}
	fprintf(stdout, "Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
			"Cache-Control: no-store\r\nContent-Length: %zu\r\n\r\n",
		s.len);
	fwrite(s.text, 1, s.len, stdout);
	free(s.text);
	return 0;
}
