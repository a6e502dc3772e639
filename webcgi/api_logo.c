/* api_logo: the company logo of Interface Options (the manual: "upload
 * company Logo in .png (appears in top left corner)").  Taken only as a
 * whole, checked PNG (png.h) of at most LOGO_MAX_BYTES and LOGO_MAX_PX
 * pixels a side; stored atomically as $ENISCOPE_DATA/web/logo.png, which
 * lighttpd serves at /logo.png as image/png with nosniff (never
 * re-interpreted: the bytes were checked to be PNG from end to end). */
#include "api.h"

#include "atomic_file.h"
#include "png.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGO_MAX_BYTES (48 * 1024) /* below the API's 64 KiB body limit, so the CGI says why */
#define LOGO_MAX_PX 1024

void api_logo_get(struct api *a)
{
	const char *path = a->w.logo;
	struct stat st;
	if (stat(path, &st) < 0) {
		api_reply(a, 200, json_pack("{s:b}", "set", 0));
		return;
	}
	api_reply(a, 200, json_pack("{s:b,s:s,s:I,s:I}", "set", 1, "url", "/logo.png", "bytes", (json_int_t)st.st_size,
				    "version", (json_int_t)st.st_mtime));
}

void api_logo_put(struct api *a)
{
	if (!http_media_type(&a->w.req, "image/png")) {
		api_error(a, 415, "the logo must be sent as image/png (a PNG file)", "logo", NULL);
		return;
	}
	char why[256], msg[300];
	if (a->body_len > LOGO_MAX_BYTES) {
		snprintf(msg, sizeof msg, "the file is %zu bytes; a logo may have at most %d", a->body_len, LOGO_MAX_BYTES);
		api_error(a, 413, msg, "logo", NULL);
		return;
	}
	struct png_info info;
	if (png_check((const uint8_t *)a->body, a->body_len, LOGO_MAX_PX, LOGO_MAX_PX, &info, why, sizeof why) < 0) {
		api_error(a, 400, why, "logo", NULL);
		return;
	}
	const char *path = a->w.logo;
	if (atomic_file_write(path, a->body, a->body_len, 0644, why, sizeof why) < 0) {
		snprintf(msg, sizeof msg, "cannot store the logo: %s", why);
		api_error(a, 500, msg, NULL, NULL);
		return;
	}
	api_reply(a, 200, json_pack("{s:b,s:I,s:I,s:I}", "ok", 1, "width", (json_int_t)info.width, "height",
				    (json_int_t)info.height, "bytes", (json_int_t)a->body_len));
}

void api_logo_delete(struct api *a)
{
	const char *path = a->w.logo;
	if (unlink(path) < 0 && errno != ENOENT) {
		char msg[300];
		snprintf(msg, sizeof msg, "cannot remove the logo: %s", strerror(errno));
		api_error(a, 500, msg, NULL, NULL);
		return;
	}
	api_reply(a, 200, json_pack("{s:b}", "ok", 1));
}
