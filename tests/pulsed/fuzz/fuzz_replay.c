/* fuzz_replay: runs every file of the corpus directories given as
 * arguments through LLVMFuzzerTestOneInput once, so each fuzz target's
 * corpus is an ordinary test (under ASan/UBSan and valgrind). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int files = 0;
	for (int a = 1; a < argc; a++) {
		DIR *dir = opendir(argv[a]);
		if (!dir) {
			fprintf(stderr, "fuzz_replay: cannot open %s\n", argv[a]);
			return 1;
		}
		struct dirent *de;
		while ((de = readdir(dir))) {
			if (de->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", argv[a], de->d_name);
			FILE *f = fopen(path, "rb");
			if (!f)
				continue;
			uint8_t *buf = malloc(1 << 20);
			size_t n = buf ? fread(buf, 1, 1 << 20, f) : 0;
			fclose(f);
			LLVMFuzzerTestOneInput(buf, n);
			free(buf);
			files++;
		}
		closedir(dir);
	}
	printf("fuzz_replay: %d inputs replayed\n", files);
	return files ? 0 : 1;
}
