/* source_file: see source_file.h. */
#include "source_file.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct source_file {
	int fd;
	bool fifo;
	struct edge_reader rd; /* calls back with sf: s_edge forwards */
	edge_fn on_edge;
	void *ud;
	uint64_t bad_lines;
	char last_bad[512];
	char path[4096];
};

static void s_edge(void *ud, const struct pulse_edge *e)
{
	struct source_file *sf = ud;
	sf->on_edge(sf->ud, e);
}

static void s_bad(void *ud, unsigned long line, const char *why)
{
	struct source_file *sf = ud;
	sf->bad_lines++;
	snprintf(sf->last_bad, sizeof sf->last_bad, "%s:%lu: %s", sf->path, line, why);
	log_warn("%s (line skipped)", sf->last_bad);
}

struct source_file *source_file_open(const char *path, edge_fn on_edge, void *ud, char *err, size_t errlen)
{
	struct source_file *sf = calloc(1, sizeof *sf);
	if (!sf) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(sf->path, sizeof sf->path, "%s", path);
	sf->on_edge = on_edge;
	sf->ud = ud;
	edge_reader_init(&sf->rd, s_edge, s_bad, sf);
	struct stat st;
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		free(sf);
		return NULL;
	}
	sf->fifo = S_ISFIFO(st.st_mode);
	if (!sf->fifo && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "cannot read edges from %s: not a regular file or a FIFO", path);
		free(sf);
		return NULL;
	}
	sf->fd = open(path, (sf->fifo ? O_RDWR : O_RDONLY) | O_NONBLOCK | O_CLOEXEC);
	if (sf->fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		free(sf);
		return NULL;
	}
	return sf;
}

void source_file_destroy(struct source_file **sfp)
{
	if (!*sfp)
		return;
	close((*sfp)->fd);
	free(*sfp);
	*sfp = NULL;
}

int source_file_fd(const struct source_file *sf)
{
	return sf->fifo ? sf->fd : -1;
}

int source_file_read(struct source_file *sf, bool at_end, char *err, size_t errlen)
{
	int rc = 0;
	char buf[65536];
	for (;;) {
		ssize_t n = read(sf->fd, buf, sizeof buf);
		if (n > 0) {
			edge_reader_feed(&sf->rd, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN) {
			snprintf(err, errlen, "cannot read %s: %s", sf->path, strerror(errno));
			rc = -1;
		}
		break;
	}
	if (at_end)
		edge_reader_finish(&sf->rd);
	return rc;
}

uint64_t source_file_bad_lines(const struct source_file *sf)
{
	return sf->bad_lines;
}

const char *source_file_last_bad(const struct source_file *sf)
{
	return sf->last_bad;
}
