/* fuzz_counter_file: the counter files as a daemon reads them back at
 * start (a card or tmpfs copy can hold anything: a torn write, a bad
 * block, an older version).  The input is the two copies split at the
 * first NUL: the rundir (tmpfs) copy, then the SD card copy, written to a
 * scratch directory and opened as meterd does (registers_open: both merged
 * by counter_store, every register checked by msg.h's getter), then used
 * for a second and saved.  Besides not crashing: every register in a
 * reading is a number 0..MSG_VALUE_MAX, whatever the files held, and what
 * was saved opens again without a warning. */
#include "registers.h"

#include "msg.h"
#include "fuzz.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char s_top[64], s_data[96], s_run[96];

static void s_cleanup(void)
{
	char path[160];
	for (int i = 0; i < 2; i++) {
		const char *dir = i ? s_data : s_run;
		static const char *const names[] = { "meterd-registers.json", "meterd-registers.json.corrupt",
						     "meterd-registers.json.tmp" };
		for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
			snprintf(path, sizeof path, "%s/%s", dir, names[k]);
			unlink(path);
		}
	}
}

static void s_write(const char *dir, const uint8_t *data, size_t len)
{
	char path[160];
	snprintf(path, sizeof path, "%s/meterd-registers.json", dir);
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	CHECK(fwrite(data, 1, len, f) == len || len == 0);
	fclose(f);
}

static void s_in_range(const struct energy *e)
{
	const double v[] = { e->E, e->Ex, e->RE, e->REx, e->AE };
	for (size_t i = 0; i < 5; i++)
		CHECK(v[i] >= 0 && v[i] <= MSG_VALUE_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!s_top[0]) {
		snprintf(s_top, sizeof s_top, "%s", fuzz_scratch_dir());
		snprintf(s_data, sizeof s_data, "%s/data", s_top);
		snprintf(s_run, sizeof s_run, "%s/run", s_top);
		CHECK(mkdir(s_data, 0700) == 0 && mkdir(s_run, 0700) == 0);
	}
	s_cleanup();
	const uint8_t *nul = memchr(data, 0, size);
	size_t vlen = nul ? (size_t)(nul - data) : size;
	s_write(s_run, data, vlen);
	if (nul)
		s_write(s_data, nul + 1, size - vlen - 1);
	char warning[2048];
	struct registers *r = registers_open(s_data, s_run, warning, sizeof warning);
	CHECK(r != NULL);
	for (int meter = 1; meter <= 8; meter++) {
		struct meter_reading m = { .phases = 3 };
		m.P[0] = 100;
		m.S[0] = 120;
		reading_sum_phases(&m);
		registers_accumulate(r, meter, &m, 1.0);
		for (int p = 0; p < 3; p++)
			s_in_range(&m.phase_energy[p]);
		s_in_range(&m.sys_energy);
	}
	char err[512];
	CHECK(registers_save(r, true, err, sizeof err) == 0);
	registers_destroy(&r);
	r = registers_open(s_data, s_run, warning, sizeof warning);
	CHECK(r != NULL && warning[0] == '\0');
	registers_destroy(&r);
	return 0;
}
