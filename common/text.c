/* text: see text.h. */
#include "text.h"

size_t text_utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

char *text_printable(char *s, bool keep_lines)
{
	unsigned char *p = (unsigned char *)s;
	while (*p) {
		size_t n = text_utf8_len(p);
		if (n == 0) {
			*p++ = '?';
		} else if (n == 1) {
			if ((*p < 0x20 && !(keep_lines && (*p == '\n' || *p == '\t'))) || *p == 0x7f)
				*p = ' ';
			p++;
		} else {
			p += n;
		}
	}
	return s;
}
