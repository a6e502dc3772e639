/* replay_main: runs a fuzz target's LLVMFuzzerTestOneInput on every file in
 * the directories (or on the files) given as arguments, so the corpus,
 * including every input that once crashed, is a regression test in every
 * build, with or without clang and libFuzzer.  Files run in name order; a
 * crash or sanitizer report fails the test.  An empty or missing directory
 * is an error: a corpus that silently went away would pass. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int s_run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			fclose(f);
			fprintf(stderr, "replay: out of memory reading %s\n", path);
			return -1;
		}
		len += fread(buf + len, 1, cap - len, f);
		if (len < cap)
			break;
		cap *= 2;
		buf = realloc(buf, cap);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(buf);
		return -1;
	}
	/* named first, so a crash report says which input it was */
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	/* an exact-size copy, so a read past the input is caught */
	uint8_t *exact = malloc(len ? len : 1);
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

static int s_by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int s_only_files(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	int runs = 0, failures = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			failures++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			failures += s_run_file(argv[i]) < 0;
			runs++;
			continue;
		}
		struct dirent **names;
		int n = scandir(argv[i], &names, s_only_files, s_by_name);
		if (n <= 0) {
			fprintf(stderr, "replay: %s: no inputs\n", argv[i]);
			failures++;
			continue;
		}
		for (int k = 0; k < n; k++) {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
			failures += s_run_file(path) < 0;
			runs++;
			free(names[k]);
		}
		free(names);
	}
	printf("replay: %d inputs, %d unreadable\n", runs, failures);
	return failures ? 1 : 0;
}
