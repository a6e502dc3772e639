/* w1: see w1.h. */
#include "w1.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)

/* which fixed bits a family's scratchpad has (w1.h says where from) */
enum s_layout { S_UNCHECKED, S_DS18B20, S_DS18S20 };

static const struct s_fixed {
	enum s_layout layout;
	int byte;
	unsigned char mask, value;
	const char *what; /* what the byte is, and its fixed bits */
} s_fixed[] = {
	{ S_DS18B20, 4, 0x9f, 0x1f, "configuration register (0xx11111)" },
	{ S_DS18B20, 5, 0xff, 0xff, "reserved byte 5 (FF)" },
	{ S_DS18B20, 7, 0xff, 0x10, "reserved byte 7 (10)" },
	{ S_DS18S20, 4, 0xff, 0xff, "reserved byte 4 (FF)" },
	{ S_DS18S20, 5, 0xff, 0xff, "reserved byte 5 (FF)" },
	{ S_DS18S20, 7, 0xff, 0x10, "COUNT PER C, byte 7 (10)" },
};

/* the sign bits of the temperature MSB: all 0 or all 1 */
static const unsigned char s_sign_bits[] = { [S_UNCHECKED] = 0, [S_DS18B20] = 0xf8, [S_DS18S20] = 0xff };

static const struct s_family {
	const char *prefix, *name;
	enum s_layout layout;
} s_families[] = {
	{ "28", "DS18B20", S_DS18B20 },
	{ "10", "DS18S20", S_DS18S20 },
	{ "22", "DS1822", S_DS18B20 },
	{ "42", "DS28EA00", S_UNCHECKED },
	{ "3b", "MAX31826", S_UNCHECKED },
};

static const struct s_family *s_lookup(const char *name)
{
	if (strlen(name) != W1_ID_LEN || name[2] != '-')
		return NULL;
	for (int i = 3; i < W1_ID_LEN; i++)
		if (!isxdigit((unsigned char)name[i]))
			return NULL;
	for (size_t i = 0; i < sizeof s_families / sizeof s_families[0]; i++)
		if (!strncmp(name, s_families[i].prefix, 2))
			return &s_families[i];
	return NULL;
}

const char *w1_family(const char *name)
{
	const struct s_family *f = s_lookup(name);
	return f ? f->name : NULL;
}

/* The nine bytes the first line of w1_slave starts with ("%02x " each,
 * as the kernel's w1_therm prints them): 0, or -1. */
static int s_scratchpad(const char *p, const char *end, unsigned char sp[9])
{
	for (int k = 0; k < 9; k++, p += 3) {
		if (end - p < 3 || !isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) || p[2] != ' ')
			return -1;
		char hex[3] = { p[0], p[1], '\0' };
		sp[k] = (unsigned char)strtoul(hex, NULL, 16);
	}
	return 0;
}

/* The first fixed bit of the family's scratchpad that sp breaks (w1.h):
 * 0, or -1 with the reason. */
static int s_fixed_bits(const struct s_family *f, const unsigned char sp[9], char *why, size_t whylen)
{
	for (size_t i = 0; i < sizeof s_fixed / sizeof s_fixed[0]; i++) {
		const struct s_fixed *x = &s_fixed[i];
		if (x->layout == f->layout && (sp[x->byte] & x->mask) != x->value)
			return WHY("scratchpad no %s can hold: %s reads %02X (the bus or the probe answered garbage)",
				   f->name, x->what, sp[x->byte]);
	}
	unsigned char sign = s_sign_bits[f->layout];
	if ((sp[1] & sign) != 0 && (sp[1] & sign) != sign)
		return WHY("scratchpad no %s can hold: temperature MSB %02X is not sign-extended (the bus or the "
			   "probe answered garbage)", f->name, sp[1]);
	return 0;
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

int w1_parse_slave(const char *id, const char *text, size_t len, long *milli, char *why, size_t whylen)
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
	unsigned char sp[9];
	if (s_scratchpad(text, end1, sp) < 0)
		return WHY("the CRC line does not start with the 9 scratchpad bytes");
	const struct s_family *f = s_lookup(id);
	if (f && s_fixed_bits(f, sp, why, whylen) < 0)
		return -1;
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
