/* png: see png.h. */
#include "png.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

static const uint8_t s_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static uint32_t s_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What a file that is not a PNG looks like, for a reason a person can act
 * on (the usual mistake: another format renamed). */
static const char *s_kind(const uint8_t *d, size_t len)
{
	if (len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
		return " (it starts like a JPEG)";
	if (len >= 6 && (!memcmp(d, "GIF87a", 6) || !memcmp(d, "GIF89a", 6)))
		return " (it starts like a GIF)";
	if (len >= 12 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4))
		return " (it starts like a WebP)";
	size_t i = 0;
	if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf)
		i = 3;
	while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	if (i < len && d[i] == '<')
		return " (it is text: SVG, XML or HTML)";
	return "";
}

/* Valid bit depths per colour type (PNG 11.2.2, table 11.1). */
static bool s_depth_ok(uint8_t colour, uint8_t depth)
{
	switch (colour) {
	case 0:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
	case 3:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8;
	case 2:
	case 4:
	case 6:
		return depth == 8 || depth == 16;
	default:
		return false;
	}
}

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)

int png_check(const uint8_t *data, size_t len, uint32_t max_w, uint32_t max_h, struct png_info *info, char *why,
	      size_t whylen)
{
	if (len < sizeof s_signature || memcmp(data, s_signature, sizeof s_signature))
		return WHY("not a PNG image%s", s_kind(data, len));
	size_t at = sizeof s_signature;
	bool idat = false;
	for (unsigned n = 0;; n++) {
		if (len - at < 12)
			return WHY("the PNG image is cut short (%s)", n ? "no IEND chunk at its end" : "no IHDR chunk");
		uint32_t clen = s_be32(data + at);
		const uint8_t *type = data + at + 4;
		for (int i = 0; i < 4; i++)
			if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z')))
				return WHY("damaged PNG image: chunk %u has no valid type", n + 1);
		if (clen > 0x7fffffffu || clen > len - at - 12)
			return WHY("the PNG image is cut short (chunk %.4s of %u bytes runs past its end)", (const char *)type,
				   clen);
		uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), type, clen + 4);
		if (crc != s_be32(data + at + 8 + clen))
			return WHY("damaged PNG image: chunk %.4s fails its CRC check", (const char *)type);
		const uint8_t *body = data + at + 8;
		if (n == 0) {
			if (memcmp(type, "IHDR", 4) || clen != 13)
				return WHY("damaged PNG image: it must begin with a 13-byte IHDR chunk");
			uint32_t w = s_be32(body), h = s_be32(body + 4);
			if (w == 0 || h == 0 || w > 0x7fffffffu || h > 0x7fffffffu)
				return WHY("damaged PNG image: width and height must be 1 or more (are %u x %u)", w, h);
			if (!s_depth_ok(body[9], body[8]) || body[10] != 0 || body[11] != 0 || body[12] > 1)
				return WHY("damaged PNG image: its header is not valid PNG");
			if (w > max_w || h > max_h)
				return WHY("the image is %u x %u pixels; at most %u x %u are allowed", w, h, max_w, max_h);
			if (info) {
				info->width = w;
				info->height = h;
			}
		} else if (!memcmp(type, "IHDR", 4)) {
			return WHY("damaged PNG image: a second IHDR chunk");
		} else if (!memcmp(type, "IDAT", 4)) {
			idat = true;
		} else if (!memcmp(type, "IEND", 4)) {
			at += 12 + clen;
			if (!idat)
				return WHY("damaged PNG image: no image data (IDAT)");
			if (at != len)
				return WHY("%zu bytes follow the end of the PNG image (IEND)", len - at);
			return 0;
		}
		at += 12 + (size_t)clen;
	}
}
