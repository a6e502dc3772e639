/* source_replay: see source_replay.h. */
#include "source_replay.h"

#include "clock.h"
#include "regular_file.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REPLAY_RATE_MIN 100.0
#define REPLAY_RATE_MAX 1e6

struct replay {
	FILE *f;
	char *name;
	char *line;
	size_t cap;
	long lineno;
	double rate;
	int ncols;
	int col[ENGINE_CHANNELS]; /* column -> channel */
	long data_offset;         /* where the rows start */
	long data_lineno;
};

static void __attribute__((format(printf, 4, 5)))
s_err(const struct replay *r, char *err, size_t errlen, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%ld: %s", r->name, r->lineno, why);
}

/* The next line without its end of line, or NULL at the end of the file
 * (or a read error, told apart by ferror). */
static char *s_line(struct replay *r)
{
	ssize_t len = getline(&r->line, &r->cap, r->f);
	if (len < 0)
		return NULL;
	r->lineno++;
	while (len > 0 && (r->line[len - 1] == '\n' || r->line[len - 1] == '\r'))
		r->line[--len] = '\0';
	return r->line;
}

static char *s_trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static int s_header(struct replay *r, char *err, size_t errlen)
{
	char *l = s_line(r);
	if (!l || strncmp(l, "#", 1)) {
		r->lineno = 1;
		s_err(r, err, errlen, "no \"# rate=<samples per second>\" line");
		return -1;
	}
	char *p = s_trim(l + 1), *end;
	if (strncmp(p, "rate=", 5)) {
		s_err(r, err, errlen, "no \"# rate=<samples per second>\" line");
		return -1;
	}
	errno = 0;
	r->rate = strtod(p + 5, &end);
	if (errno || end == p + 5 || *s_trim(end) || !isfinite(r->rate) || r->rate < REPLAY_RATE_MIN ||
	    r->rate > REPLAY_RATE_MAX) {
		s_err(r, err, errlen, "rate \"%s\" is not a number of samples per second from %g to %g", p + 5,
		      REPLAY_RATE_MIN, REPLAY_RATE_MAX);
		return -1;
	}
	l = s_line(r);
	if (!l) {
		r->lineno = 2;
		s_err(r, err, errlen, "no header line of channel names");
		return -1;
	}
	bool seen[ENGINE_CHANNELS] = { false };
	r->ncols = 0;
	for (char *save = NULL, *tok = l;; tok = NULL) {
		/* strsep-like, keeping empty fields so "V1,,V2" is an error */
		char *field = tok ? tok : save;
		if (!field)
			break;
		char *comma = strchr(field, ',');
		save = comma ? comma + 1 : NULL;
		if (comma)
			*comma = '\0';
		char *name = s_trim(field);
		int c = engine_channel_index(name);
		if (c < 0) {
			s_err(r, err, errlen, "bad header: column %d \"%.32s\" is not a channel (V1..V3, CT1_1..CT8_3)",
			      r->ncols + 1, name);
			return -1;
		}
		if (seen[c]) {
			s_err(r, err, errlen, "bad header: channel %s appears twice", name);
			return -1;
		}
		seen[c] = true;
		r->col[r->ncols++] = c;
		if (!comma)
			break;
	}
	r->data_offset = ftell(r->f);
	r->data_lineno = r->lineno;
	return 0;
}

struct replay *replay_open_stream(FILE *f, const char *name, char *err, size_t errlen)
{
	struct replay *r = calloc(1, sizeof *r);
	if (!r || !(r->name = strdup(name))) {
		free(r);
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	r->f = f;
	if (s_header(r, err, errlen) < 0)
		replay_destroy(&r);
	return r;
}

struct replay *replay_open(const char *path, char *err, size_t errlen)
{
	/* a regular file only: a FIFO would block meterd in open(), and a
	 * replay loops by seeking back to its first row */
	char why[512];
	int fd = regular_file_open(path, 0, why, sizeof why);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
	if (!f) {
		if (fd >= 0) {
			snprintf(why, sizeof why, "%s: %s", path, strerror(errno));
			close(fd);
		}
		snprintf(err, errlen, "cannot open the replay: %s", why);
		return NULL;
	}
	return replay_open_stream(f, path, err, errlen);
}

void replay_destroy(struct replay **rp)
{
	struct replay *r = *rp;
	if (!r)
		return;
	fclose(r->f);
	free(r->line);
	free(r->name);
	free(r);
	*rp = NULL;
}

double replay_rate(const struct replay *r)
{
	return r->rate;
}

/* One data row into frame; 0, or -1 with the reason. */
static int s_row(struct replay *r, char *l, float *frame, char *err, size_t errlen)
{
	int cols = 1;
	for (const char *c = l; (c = strchr(c, ',')); c++)
		cols++;
	if (cols != r->ncols) {
		s_err(r, err, errlen, "%d columns, the header has %d", cols, r->ncols);
		return -1;
	}
	memset(frame, 0, ENGINE_CHANNELS * sizeof *frame);
	char *field = l;
	for (int col = 0; col < cols; col++) {
		char *comma = strchr(field, ',');
		if (comma)
			*comma = '\0';
		char *s = s_trim(field), *end;
		double v = strtod(s, &end);
		if (end == s || *end || !isfinite(v) || fabs(v) > 1e30) {
			char name[8];
			engine_channel_name(r->col[col], name, sizeof name);
			s_err(r, err, errlen, "column %d (%s): \"%.32s\" is not a number", col + 1, name, s);
			return -1;
		}
		frame[r->col[col]] = (float)v;
		if (comma)
			field = comma + 1;
	}
	return 0;
}

long replay_read(struct replay *r, float *frames, size_t max, char *err, size_t errlen)
{
	size_t n = 0;
	while (n < max) {
		char *l = s_line(r);
		if (!l) {
			if (ferror(r->f)) {
				s_err(r, err, errlen, "cannot read: %s", strerror(errno));
				return -1;
			}
			break;
		}
		if (!*s_trim(l))
			continue;
		if (s_row(r, l, frames + n * ENGINE_CHANNELS, err, errlen) < 0)
			return -1;
		n++;
	}
	return (long)n;
}

int replay_rewind(struct replay *r, char *err, size_t errlen)
{
	if (fseek(r->f, r->data_offset, SEEK_SET) < 0) {
		s_err(r, err, errlen, "cannot go back to the first row: %s", strerror(errno));
		return -1;
	}
	r->lineno = r->data_lineno;
	return 0;
}

/* The daemon's paced replay source. */
struct source_replay {
	struct source base;
	struct replay *r;
	long long start_ns;
	unsigned long long done;
};

static long s_src_read(struct source *s, float *frames, size_t max, char *err, size_t errlen)
{
	struct source_replay *sr = (struct source_replay *)s;
	size_t due = source_due(s->rate_hz, sr->start_ns, clock_mono_ns(), &sr->done, max);
	size_t got = 0;
	bool rewound = false;
	while (got < due) {
		long n = replay_read(sr->r, frames + got * ENGINE_CHANNELS, due - got, err, errlen);
		if (n < 0)
			return -1;
		if (n == 0) {
			if (rewound) {
				snprintf(err, errlen, "replay file has no rows");
				return -1;
			}
			if (replay_rewind(sr->r, err, errlen) < 0)
				return -1;
			rewound = true;
			continue;
		}
		rewound = false;
		got += (size_t)n;
	}
	sr->done += got;
	return (long)got;
}

static void s_src_destroy(struct source *s)
{
	struct source_replay *sr = (struct source_replay *)s;
	replay_destroy(&sr->r);
	free(sr);
}

static const struct source_ops s_ops = { .read = s_src_read, .destroy = s_src_destroy };

struct source *source_replay_new(const char *path, char *err, size_t errlen)
{
	struct replay *r = replay_open(path, err, errlen);
	if (!r)
		return NULL;
	struct source_replay *sr = calloc(1, sizeof *sr);
	if (!sr) {
		replay_destroy(&r);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	sr->base = (struct source){ .ops = &s_ops, .kind = "replay", .rate_hz = replay_rate(r) };
	sr->r = r;
	sr->start_ns = clock_mono_ns();
	return &sr->base;
}
