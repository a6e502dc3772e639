/* log: see log.h.  A line is formatted whole before one write(2), so lines
 * from several threads (paho's, libcurl's) never interleave. */
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *s_prog = "eniscope";
static enum log_level s_level = LOG_LEVEL_INFO;

static const char *const s_level_names[] = { "error", "warning", "info", "debug" };

void log_init(const char *prog)
{
	const char *slash = strrchr(prog, '/');
	s_prog = slash ? slash + 1 : prog;
	if (getenv("ENISCOPE_DEBUG"))
		s_level = LOG_LEVEL_DEBUG;
}

const char *log_prog(void)
{
	return s_prog;
}

void log_set_level(enum log_level level)
{
	s_level = level;
}

void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	if (level > s_level)
		return;
	char line[2048];
	int n = snprintf(line, sizeof line, "%s: %s: ", s_prog, s_level_names[level]);
	if (n < 0)
		return;
	int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	size_t len = m < 0 ? (size_t)n : (size_t)n + (size_t)m;
	if (len > sizeof line - 2)
		len = sizeof line - 2;
	/* one event, one line: fold embedded newlines */
	for (size_t i = (size_t)n; i < len; i++)
		if (line[i] == '\n')
			line[i] = ' ';
	line[len++] = '\n';
	ssize_t unused = write(STDERR_FILENO, line, len);
	(void)unused;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void log_fatal(int code, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: fatal: %s\n", s_prog, line);
	exit(code);
}
