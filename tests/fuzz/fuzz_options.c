/* fuzz_options: linked into every fuzz target and corpus replay.  The
 * sanitizers read these defaults (the environment's *SAN_OPTIONS still
 * win): UBSan halts on its first report instead of printing and going on,
 * and both abort, so the replay test fails and libFuzzer saves the input
 * (issue 13: a 1e70 "ts" was reported and the fuzzer kept nothing).
 * Without sanitizers nothing calls them. */
const char *__ubsan_default_options(void);
const char *__asan_default_options(void);

const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:abort_on_error=1:print_stacktrace=1";
}

const char *__asan_default_options(void)
{
	return "abort_on_error=1";
}

/* ---- fuzz_scratch_dir (fuzz.h) ---- */
#include "fuzz.h"

#include <ftw.h>
#include <stdio.h>
#include <unistd.h>

static char s_scratch[64];

static int s_remove(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static void s_remove_scratch(void)
{
	nftw(s_scratch, s_remove, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_scratch_dir(void)
{
	if (!s_scratch[0]) {
		/* tmpfs where there is one: the targets fsync what they write */
		snprintf(s_scratch, sizeof s_scratch, "%s/eniscope-fuzz.XXXXXX",
			 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		CHECK(mkdtemp(s_scratch) != NULL);
		atexit(s_remove_scratch);
	}
	return s_scratch;
}

/* ---- fuzz_bus_message (fuzz.h) ---- */
#include "msg.h"

json_t *fuzz_bus_message(const uint8_t *data, size_t size, char **topic)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	size_t plen = nul ? size - tlen - 1 : 0;
	char *t = fuzz_copy(data, tlen);
	char *p = fuzz_copy(nul ? nul + 1 : data, plen);
	char err[256] = "";
	*topic = NULL;
	json_t *msg = msg_decode(t, tlen, p, plen, topic, err, sizeof err);
	CHECK(msg || err[0]);
	free(t);
	free(p);
	return msg;
}
