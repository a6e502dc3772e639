/* png: is a file a plain, whole PNG image of a sensible size?  The company
 * logo (PUT /api/logo) is served back as image/png to every visitor of
 * the display, so it is taken only when its bytes say PNG from the first to
 * the last: the signature, IHDR first with a valid header, every chunk's
 * length within the file and its CRC right, at least one IDAT, IEND last
 * and nothing after it (PNG specification, W3C 2003 / ISO/IEC 15948,
 * sections 5 and 11).  A JPEG renamed .png, an SVG (with or without a
 * script), an HTML page or a truncated upload fail at the first step they
 * break.  Nothing is decoded: the pixels are the browser's business, within
 * the dimensions allowed. */
#ifndef WEBCGI_PNG_H
#define WEBCGI_PNG_H

#include <stddef.h>
#include <stdint.h>

struct png_info {
	uint32_t width, height; /* pixels */
};

/* 0 when data[0..len) is a PNG no wider than max_w and no higher than
 * max_h pixels, with its dimensions in info (may be NULL); -1 with the
 * first reason it is not (e.g. "not a PNG image (it starts like a JPEG)")
 * in why. */
int png_check(const uint8_t *data, size_t len, uint32_t max_w, uint32_t max_h, struct png_info *info, char *why,
	      size_t whylen);

#endif
