/* fuzz.h: what every fuzz target needs.  A target checks its invariants
 * with CHECK, which aborts so that libFuzzer (and the corpus replay under
 * the sanitizers) reports the input; fuzz_copy hands the parser an
 * allocation of exactly the input's length, so AddressSanitizer catches a
 * read one byte past it (bus frames and files are not NUL-terminated). */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) \
	do { \
		if (!(cond)) \
			abort(); \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void *fuzz_copy(const uint8_t *data, size_t len)
{
	void *p = malloc(len ? len : 1);
	CHECK(p != NULL);
	if (len)
		memcpy(p, data, len);
	return p;
}

/* A bus message as a subscriber gets it: the input is the two frames split
 * at its first NUL (topic, then payload; no NUL: all topic), each in an
 * allocation of exactly its length, decoded as bus_sub_recv does
 * (msg_decode).  The payload, with the topic as a string in *topic (to
 * free), or NULL when refused (then err says why: checked here). */
json_t *fuzz_bus_message(const uint8_t *data, size_t size, char **topic);

/* A scratch directory for targets that read files (a store, counter
 * files): made once, removed with everything in it when the process
 * exits.  Returns its path. */
const char *fuzz_scratch_dir(void);

#endif
