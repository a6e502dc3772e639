/* buf: a growable byte buffer for request bodies.  Allocation failure is
 * sticky: every later append is a no-op and buf_failed() says so, so a
 * builder checks once at the end instead of after every append. */
#ifndef UPLOADD_BUF_H
#define UPLOADD_BUF_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data; /* NUL-terminated when len > 0 */
	size_t len, cap;
	bool failed;
};

/* Makes room for extra more bytes (and the NUL); false when out of memory. */
bool buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
/* j as JSON text (jansson flags; JSON_ENCODE_ANY for a bare string or number) */
void buf_put_json(struct buf *b, const json_t *j, size_t flags);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool buf_failed(const struct buf *b);
void buf_reset(struct buf *b); /* len 0, keeps the memory */
void buf_truncate(struct buf *b, size_t len); /* back to len (<= b->len) */
void buf_free(struct buf *b);

#endif
