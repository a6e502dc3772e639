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
	if (!web_start_get(&w, false))
		return 0;
	char err[256];
	struct snapshot s;
	int rc = snapshot_read(w.now, &s, err, sizeof err);
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
