/* secret: random tokens and constant-time comparison, for session ids,
 * CSRF tokens and password hashes.  Tokens are lowercase hex of bytes from
 * getrandom(2) (the kernel's CSPRNG); comparisons take a time that depends
 * only on the lengths, never on where two secrets first differ (OWASP
 * Session Management Cheat Sheet: ids of at least 64 bits of entropy; ours
 * carry 256). */
#ifndef WEB_SECRET_H
#define WEB_SECRET_H

#include <stdbool.h>
#include <stddef.h>

/* nbytes random bytes as 2*nbytes hex digits + NUL into hex (which must
 * hold 2*nbytes+1).  0, or -1 when the kernel gives no randomness. */
int secret_token(char *hex, size_t nbytes);
/* a and b equal, in time depending only on their lengths. */
bool secret_equal(const char *a, const char *b);
/* s is non-empty, at most max characters, all lowercase hex digits. */
bool secret_is_hex(const char *s, size_t max);

#endif
