/* form: application/x-www-form-urlencoded, as forms post it and as a query
 * string carries it (WHATWG URL standard, "application/x-www-form-urlencoded
 * parsing"): name=value pairs joined by '&', '+' for a space, %XX for a
 * byte.  Nothing is allocated; a value is decoded into the caller's buffer. */
#ifndef WEB_FORM_H
#define WEB_FORM_H

#include <stddef.h>

/* Finds the first pair named name in s (len bytes, need not end in NUL)
 * and decodes its value into out (outlen bytes, NUL terminated).  Returns
 * 1 when found, 0 when absent, -1 when the value is badly encoded (a '%'
 * without two hex digits, a NUL byte, a control character) or does not
 * fit in out.  A name with no '=' has the empty value. */
int form_get(const char *s, size_t len, const char *name, char *out, size_t outlen);

#endif
