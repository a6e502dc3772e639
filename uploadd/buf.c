/* buf: see buf.h. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int s_dump_cb(const char *data, size_t len, void *ud)
{
	buf_append(ud, data, len);
	return 0;
}

static void s_put_int(struct buf *b, json_int_t v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

void buf_put_json(struct buf *b, const json_t *j, size_t flags)
{
	/* compact objects, arrays and integers are written here: jansson
	 * formats each integer through snprintf, and a batch of series is
	 * tens of thousands of them; the rest is jansson's */
	if (!(flags & JSON_COMPACT) || (flags & JSON_SORT_KEYS)) {
		json_dump_callback(j, s_dump_cb, b, flags);
		return;
	}
	if (json_is_integer(j)) {
		s_put_int(b, json_integer_value(j));
	} else if (json_is_array(j)) {
		buf_putc(b, '[');
		for (size_t i = 0; i < json_array_size(j); i++) {
			if (i)
				buf_putc(b, ',');
			buf_put_json(b, json_array_get(j, i), flags);
		}
		buf_putc(b, ']');
	} else if (json_is_object(j)) {
		const char *key;
		json_t *v;
		bool first = true;
		buf_putc(b, '{');
		json_object_foreach((json_t *)j, key, v)
		{
			json_t *k = json_string(key);
			if (!first)
				buf_putc(b, ',');
			first = false;
			json_dump_callback(k, s_dump_cb, b, flags | JSON_ENCODE_ANY);
			json_decref(k);
			buf_putc(b, ':');
			buf_put_json(b, v, flags);
		}
		buf_putc(b, '}');
	} else {
		json_dump_callback(j, s_dump_cb, b, flags | JSON_ENCODE_ANY);
	}
}

bool buf_reserve(struct buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (b->len + extra + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void buf_append(struct buf *b, const void *data, size_t len)
{
	if (!buf_reserve(b, len))
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[128];
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n < sizeof small) {
		buf_append(b, small, (size_t)n);
		return;
	}
	if (!buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

bool buf_failed(const struct buf *b)
{
	return b->failed;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

void buf_free(struct buf *b)
{
	free(b->data);
	*b = (struct buf){ 0 };
}
