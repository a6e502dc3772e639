/* text: bytes from outside the hub (a child's output, an admin's free
 * text) made fit for JSON strings and XML text, which take UTF-8 only. */
#ifndef HUB_TEXT_H
#define HUB_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the UTF-8 sequence at s (1..4), or 0 when s does not start
 * one (RFC 3629 section 4: no overlong forms, no surrogates, nothing above
 * U+10FFFF).  s is NUL-terminated; a NUL ends a sequence early. */
size_t text_utf8_len(const unsigned char *s);

/* In place: each byte that does not begin or belong to a UTF-8 sequence
 * becomes '?', each control character a space (line breaks and tabs too
 * unless keep_lines), so the text is valid UTF-8 of printable characters.
 * Returns s. */
char *text_printable(char *s, bool keep_lines);

#endif
