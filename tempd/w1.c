/* w1: see w1.h. */
#include "w1.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)

static const struct {
	const char *prefix, *name;
} s_families[] = {
	{ "28", "DS18B20" }, { "10", "DS18S20" }, { "22", "DS1822" }, { "42", "DS28EA00" }, { "3b", "MAX31826" },
};

const char *w1_family(const char *name)
{
	if (strlen(name) != W1_ID_LEN || name[2] != '-')
		return NULL;
	for (int i = 3; i < W1_ID_LEN; i++)
		if (!isxdigit((unsigned char)name[i]))
			return NULL;
	for (size_t i = 0; i < sizeof s_families / sizeof s_families[0]; i++)
		if (!strncmp(name, s_families[i].prefix, 2))
			return s_families[i].name;
	return NULL;
}

/* "[-]digits" then optional blanks/newline and nothing else */
static int s_milli(const char *p, const char *end, long *milli, char *why, size_t whylen)
{
	bool neg = p < end && *p == '-';
	if (neg)
		p++;
	if (p == end || !isdigit((unsigned char)*p))
		return WHY("no temperature value");
	long v = 0;
	while (p < end && isdigit((unsigned char)*p)) {
		if (v > 1000000)
			return WHY("temperature value out of range");
		v = v * 10 + (*p++ - '0');
	}
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p != end)
		return WHY("unexpected text after the temperature value");
	v = neg ? -v : v;
	if (v == 85000)
		return WHY("85.000 C is the power-on value: the conversion did not run");
	if (v == -127000)
		return WHY("-127 C: the probe did not answer");
	if (v < -55000 || v > 125000)
		return WHY("%.3f C is outside the probe's range (-55 to 125 C)", v / 1000.0);
	*milli = v;
	return 0;
}

int w1_parse_slave(const char *text, size_t len, long *milli, char *why, size_t whylen)
{
	if (memchr(text, '\0', len))
		return WHY("not text (NUL byte)");
	const char *nl = memchr(text, '\n', len);
	if (!nl)
		return WHY("no CRC line");
	const char *end1 = nl;
	while (end1 > text && isspace((unsigned char)end1[-1]))
		end1--;
	const char *crc = NULL;
	for (const char *p = text; p + 4 <= end1; p++)
		if (!memcmp(p, "crc=", 4))
			crc = p;
	if (!crc)
		return WHY("no crc= on the first line");
	if (end1 - text >= 3 && !memcmp(end1 - 3, "YES", 3) && end1 - 3 > crc) {
		/* fine */
	} else if (end1 - text >= 2 && !memcmp(end1 - 2, "NO", 2))
		return WHY("CRC check failed (the bus is noisy or the wiring too long)");
	else
		return WHY("CRC line ends with neither YES nor NO");
	const char *line2 = nl + 1, *end = text + len;
	const char *t = NULL;
	for (const char *p = line2; p + 2 <= end; p++)
		if (!memcmp(p, "t=", 2)) {
			t = p + 2;
			break;
		}
	if (!t)
		return WHY("no t= on the second line");
	return s_milli(t, end, milli, why, whylen);
}

int w1_parse_temperature(const char *text, size_t len, long *milli, char *why, size_t whylen)
{
	if (memchr(text, '\0', len))
		return WHY("not text (NUL byte)");
	const char *p = text, *end = text + len;
	while (p < end && isspace((unsigned char)*p))
		p++;
	return s_milli(p, end, milli, why, whylen);
}
