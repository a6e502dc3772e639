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
