/* fuzz_w1: both w1 parsers (w1.h) on arbitrary bytes: never a crash,
 * never a value outside the probes' range accepted. */
#include "w1.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long milli;
	char why[160];
	/* one id per scratchpad layout, and one whose layout is not checked */
	static const char *const ids[] = { "28-000000000001", "10-000000000001", "42-000000000001" };
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		if (w1_parse_slave(ids[i], (const char *)data, size, &milli, why, sizeof why) == 0 &&
		    (milli < -55000 || milli > 125000 || milli == 85000))
			abort();
	if (w1_parse_temperature((const char *)data, size, &milli, why, sizeof why) == 0 &&
	    (milli < -55000 || milli > 125000 || milli == 85000))
		abort();
	return 0;
}
