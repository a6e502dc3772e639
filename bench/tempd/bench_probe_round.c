/* bench_probe_round: the cost of tempd's own work in a read round over a
 * fake w1 tree of 8 DS18B20 (a tmpfs or disk directory, so no 750 ms
 * conversion): the directory scan and the per-probe read and check.  On
 * real hardware each read adds the kernel's conversion (~750 ms), which is
 * why tempd reads one probe per timer tick. */
#include "probes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double s_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	char dir[] = "/tmp/bench-w1.XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char path[256];
	for (int k = 0; k < PROBES_MAX; k++) {
		snprintf(path, sizeof path, "%s/28-0000000000%02d", dir, k);
		mkdir(path, 0755);
		snprintf(path, sizeof path, "%s/28-0000000000%02d/w1_slave", dir, k);
		FILE *f = fopen(path, "w");
		fprintf(f, "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=%d\n", 20000 + k);
		fclose(f);
	}
	struct probes ps;
	const char *none[] = { NULL };
	probes_init(&ps, "");
	probes_configure(&ps, dir, none);
	enum { ROUNDS = 20000 };
	double t0 = s_now(), scan = 0;
	for (int r = 0; r < ROUNDS; r++) {
		double s0 = s_now();
		probes_scan(&ps, 1);
		scan += s_now() - s0;
		for (int i = 0; i < ps.n; i++)
			probes_read(&ps, i);
	}
	double dt = s_now() - t0;
	int ok = 0;
	for (int i = 0; i < ps.n; i++)
		ok += ps.p[i].state == PROBE_OK;
	printf("probe round (scan + %d reads, fake tree): %.1f us per round, scan %.1f us, %.1f us per probe read; %d/%d ok\n",
	       ps.n, dt / ROUNDS * 1e6, scan / ROUNDS * 1e6, (dt - scan) / ROUNDS / ps.n * 1e6, ok, ps.n);
	for (int k = 0; k < PROBES_MAX; k++) {
		snprintf(path, sizeof path, "%s/28-0000000000%02d/w1_slave", dir, k);
		unlink(path);
		snprintf(path, sizeof path, "%s/28-0000000000%02d", dir, k);
		rmdir(path);
	}
	rmdir(dir);
	return ok == ps.n ? 0 : 1;
}
