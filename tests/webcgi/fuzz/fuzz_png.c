/* fuzz_png: any bytes through png_check.  Either they are a PNG within the
 * limits (signature, IHDR first, IEND last at the very end) or the answer
 * says why not. */
#include "png.h"

#include "fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct png_info info = { 0, 0 };
	char why[256] = "";
	int rc = png_check(data, size, 64, 64, &info, why, sizeof why);
	CHECK(rc == 0 || rc == -1);
	if (rc == 0) {
		CHECK(size >= 8 + 25 + 12 + 12 && !memcmp(data + 1, "PNG", 3) && !memcmp(data + 12, "IHDR", 4));
		CHECK(!memcmp(data + size - 8, "IEND", 4));
		CHECK(info.width >= 1 && info.width <= 64 && info.height >= 1 && info.height <= 64);
	} else {
		CHECK(why[0] != '\0');
	}
	return 0;
}
