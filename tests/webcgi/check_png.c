/* check_png: the logo's PNG check, over real PNG images built here and
 * each way a file can fail to be one (another format renamed, damaged,
 * cut short, too big, with bytes after its end). */
#include "png.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct buf {
	uint8_t d[8192];
	size_t n;
};

static void s_put(struct buf *b, const void *p, size_t n)
{
	ck_assert_uint_le(b->n + n, sizeof b->d);
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static void s_be32(struct buf *b, uint32_t v)
{
	uint8_t x[4] = { v >> 24, v >> 16, v >> 8, v };
	s_put(b, x, 4);
}

/* A chunk with its length and CRC (crc_delta added to spoil it). */
static void s_chunk(struct buf *b, const char *type, const void *data, uint32_t len, uint32_t crc_delta)
{
	s_be32(b, len);
	size_t at = b->n;
	s_put(b, type, 4);
	if (len)
		s_put(b, data, len);
	s_be32(b, (uint32_t)crc32(crc32(0L, Z_NULL, 0), b->d + at, len + 4) + crc_delta);
}

/* How the image is spoiled, one row each. */
enum spoil { NONE, BAD_CRC, DEPTH_3, WIDTH_0, NO_IDAT, NO_IEND, TRAILER, TWO_IHDR, IHDR_SECOND, BAD_TYPE, LONG_LEN };

/* A w x h RGBA PNG (its pixels deflated as PNG wants), spoiled as asked. */
static void s_png(struct buf *b, uint32_t w, uint32_t h, enum spoil spoil)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	b->n = 0;
	s_put(b, sig, 8);
	uint8_t ihdr[13] = { w >> 24, w >> 16, w >> 8, w, h >> 24, h >> 16, h >> 8, h, spoil == DEPTH_3 ? 3 : 8, 6, 0, 0, 0 };
	if (spoil == WIDTH_0)
		memset(ihdr, 0, 4);
	uint8_t raw[64 * (1 + 4 * 16)] = { 0 };
	size_t rawlen = h <= 64 && w <= 16 ? h * (1 + 4 * w) : 1;
	uint8_t z[1024];
	uLongf zlen = sizeof z;
	ck_assert_int_eq(compress(z, &zlen, raw, rawlen), Z_OK);
	if (spoil == IHDR_SECOND)
		s_chunk(b, "tEXt", "Title\0Logo", 10, 0);
	s_chunk(b, "IHDR", ihdr, 13, 0);
	if (spoil == TWO_IHDR)
		s_chunk(b, "IHDR", ihdr, 13, 0);
	s_chunk(b, spoil == BAD_TYPE ? "ID4T" : "tEXt", "Comment\0hub", 11, 0);
	if (spoil == LONG_LEN) {
		s_be32(b, 1000000);
		s_put(b, "IDAT", 4);
		s_put(b, z, 20);
		return;
	}
	if (spoil != NO_IDAT)
		s_chunk(b, "IDAT", z, (uint32_t)zlen, spoil == BAD_CRC);
	if (spoil != NO_IEND)
		s_chunk(b, "IEND", NULL, 0, 0);
	if (spoil == TRAILER)
		s_put(b, "<script>alert(1)</script>", 25);
}

static const struct {
	uint32_t w, h;
	enum spoil spoil;
	const char *why; /* NULL: accepted */
} s_rows[] = {
	{ 16, 8, NONE, NULL },
	{ 1024, 1024, NONE, NULL }, /* the limit itself */
	{ 1025, 8, NONE, "1025 x 8 pixels; at most 1024 x 1024" },
	{ 8, 4000000, NONE, "8 x 4000000 pixels" },
	{ 16, 8, BAD_CRC, "chunk IDAT fails its CRC check" },
	{ 16, 8, DEPTH_3, "header is not valid PNG" },
	{ 16, 8, WIDTH_0, "width and height must be 1 or more" },
	{ 16, 8, NO_IDAT, "no image data" },
	{ 16, 8, NO_IEND, "cut short (no IEND chunk at its end)" },
	{ 16, 8, TRAILER, "25 bytes follow the end" },
	{ 16, 8, TWO_IHDR, "a second IHDR" },
	{ 16, 8, IHDR_SECOND, "must begin with a 13-byte IHDR" },
	{ 16, 8, BAD_TYPE, "chunk 2 has no valid type" },
	{ 16, 8, LONG_LEN, "chunk IDAT of 1000000 bytes runs past its end" },
};

START_TEST(a_png_is_accepted_or_refused_with_the_reason)
{
	struct buf b;
	s_png(&b, s_rows[_i].w, s_rows[_i].h, s_rows[_i].spoil);
	struct png_info info = { 0, 0 };
	char why[256] = "";
	int rc = png_check(b.d, b.n, 1024, 1024, &info, why, sizeof why);
	if (!s_rows[_i].why) {
		ck_assert_msg(rc == 0, "row %d refused: %s", _i, why);
		ck_assert_uint_eq(info.width, s_rows[_i].w);
		ck_assert_uint_eq(info.height, s_rows[_i].h);
	} else {
		ck_assert_msg(rc == -1 && strstr(why, s_rows[_i].why), "row %d: expected \"%s\", got %d \"%s\"", _i,
			      s_rows[_i].why, rc, why);
	}
}
END_TEST

/* Other formats, as a browser or a file manager would send them renamed
 * to .png, and every cut of a good image. */
static const struct {
	const char *name;
	const char *data;
	size_t len;
	const char *why;
} s_others[] = {
	{ "JPEG", "\xff\xd8\xff\xe0\0\x10JFIF\0\1\1\0\0\1\0\1\0\0", 20, "not a PNG image (it starts like a JPEG)" },
	{ "GIF", "GIF89a\1\0\1\0\0\0\0", 13, "not a PNG image (it starts like a GIF)" },
	{ "WebP", "RIFF\x1a\0\0\0WEBPVP8L", 16, "(it starts like a WebP)" },
	{ "SVG with a script",
	  "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script></svg>", 86,
	  "not a PNG image (it is text: SVG, XML or HTML)" },
	{ "SVG after a BOM and an XML line", "\xef\xbb\xbf\n<?xml version=\"1.0\"?><svg/>", 30, "(it is text" },
	{ "HTML", "  <html><script>x</script></html>", 33, "(it is text" },
	{ "empty", "", 0, "not a PNG image" },
	{ "the signature alone", "\x89PNG\r\n\x1a\n", 8, "cut short (no IHDR chunk)" },
	{ "a PNG signature spoiled by a text transfer", "\x89PNG\n\x1a\n\0\0\0\rIHDR", 16, "not a PNG image" },
};

START_TEST(another_format_is_refused_saying_what_it_looks_like)
{
	char why[256] = "";
	int rc = png_check((const uint8_t *)s_others[_i].data, s_others[_i].len, 1024, 1024, NULL, why, sizeof why);
	ck_assert_msg(rc == -1 && strstr(why, s_others[_i].why), "%s: expected \"%s\", got %d \"%s\"", s_others[_i].name,
		      s_others[_i].why, rc, why);
}
END_TEST

START_TEST(every_cut_of_a_good_image_is_refused)
{
	struct buf b;
	s_png(&b, 16, 8, NONE);
	char why[256];
	for (size_t n = 0; n < b.n; n++)
		ck_assert_msg(png_check(b.d, n, 1024, 1024, NULL, why, sizeof why) == -1, "cut at %zu accepted", n);
	ck_assert_int_eq(png_check(b.d, b.n, 1024, 1024, NULL, why, sizeof why), 0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("png");
	TCase *tc = tcase_create("png");
	tcase_add_loop_test(tc, a_png_is_accepted_or_refused_with_the_reason, 0, (int)(sizeof s_rows / sizeof s_rows[0]));
	tcase_add_loop_test(tc, another_format_is_refused_saying_what_it_looks_like, 0,
			    (int)(sizeof s_others / sizeof s_others[0]));
	tcase_add_test(tc, every_cut_of_a_good_image_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
