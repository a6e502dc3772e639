/* log: one line per event on stderr, in the form svlogd keeps well:
 *
 *     meterd: error: cannot open /dev/iio:device0: no such file
 *
 * No timestamps (svlogd adds them).  The program name is set once by
 * log_init(); until then "eniscope" is used. */
#ifndef HUB_LOG_H
#define HUB_LOG_H

#include <stdarg.h>

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

void log_init(const char *prog);
const char *log_prog(void);
/* Lines above this level are dropped; default INFO, DEBUG when
 * ENISCOPE_DEBUG is set in the environment at log_init(). */
void log_set_level(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level level, const char *fmt, va_list ap);

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

/* "prog: fatal: message" and exit(code).  Use EXIT_TEMPORARY (111, runit's
 * convention) for failures a retry may cure, so the supervisor restarts. */
#define EXIT_TEMPORARY 111
void log_fatal(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

#endif
