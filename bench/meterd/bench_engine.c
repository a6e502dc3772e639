/* bench_engine: how fast the waveform engine runs.  Prints
 *  - seconds of 27-channel, 4 kHz signal processed per CPU-second (goal:
 *    at least 2000), for the engine alone and with the simulator making
 *    the signal;
 *  - the CPU share of a full 8-meter hub in steady state (one second of
 *    signal per second; goal: well under 1% of a core);
 *  - instructions per channel-sample, counted by callgrind: the program
 *    runs itself under `valgrind --tool=callgrind --toggle-collect=engine_feed`
 *    on a few seconds of signal and reads the total from callgrind's output.
 * The signal is the simulator's building with all eight meters enabled, so
 * every channel carries a waveform and every meter is computed. */
#include "engine.h"
#include "source_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RATE 4000.0
#define SIGNAL_S 10 /* generated once, fed round and round */

static double s_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void s_cfg(struct engine_cfg *ec, enum sim_supply supply[ENGINE_METERS])
{
	memset(ec, 0, sizeof *ec);
	ec->rate_hz = RATE;
	for (int p = 0; p < 3; p++)
		ec->v_gain[p] = 1;
	for (int m = 0; m < ENGINE_METERS; m++) {
		ec->meter[m] = (struct engine_meter_cfg){ .enabled = true, .ct_input = m + 1, .phases = 3,
							  .ct_rating_a = 100, .voltage_scale = 1, .ct_gain = { 1, 1, 1 } };
		supply[m] = m == 1 ? SIM_SOLAR : SIM_LOAD;
	}
}

/* Feeds seconds of signal from frames (SIGNAL_S long), taking every
 * meter's reading at each closed window as meterd does. */
static void s_feed(struct engine *e, const float *frames, long seconds)
{
	size_t total = (size_t)(SIGNAL_S * RATE);
	size_t block = 400; /* 100 ms, as meterd reads */
	for (long done = 0; done < seconds * (long)RATE; done += (long)block) {
		size_t at = (size_t)done % total;
		for (size_t off = 0; off < block;) {
			bool closed;
			off += engine_feed(e, frames + (at + off) * ENGINE_CHANNELS, block - off, &closed);
			if (closed)
				for (int m = 0; m < ENGINE_METERS; m++) {
					struct meter_reading r;
					engine_reading(e, m, &r);
				}
		}
	}
}

static int s_instructions(const char *self)
{
	char out[] = "/tmp/bench-callgrind.XXXXXX";
	int fd = mkstemp(out);
	if (fd < 0)
		return -1;
	close(fd);
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "valgrind --tool=callgrind --callgrind-out-file=%s --toggle-collect=engine_feed %s --callgrind-child "
		 ">/dev/null 2>&1",
		 out, self);
	int rc = system(cmd);
	FILE *f = fopen(out, "r");
	double ir = -1;
	char line[512];
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "totals:", 7) || !strncmp(line, "summary:", 8))
			ir = atof(strchr(line, ':') + 1);
	if (f)
		fclose(f);
	unlink(out);
	if (rc != 0 || ir <= 0) {
		printf("instructions per channel-sample: not measured (valgrind missing or failed)\n");
		return -1;
	}
	printf("instructions per channel-sample: %.1f (callgrind, engine_feed inclusive, 3 s of signal)\n",
	       ir / (3 * RATE * ENGINE_CHANNELS));
	return 0;
}

int main(int argc, char **argv)
{
	struct engine_cfg ec;
	enum sim_supply supply[ENGINE_METERS];
	s_cfg(&ec, supply);
	size_t nframes = (size_t)(SIGNAL_S * RATE);
	float *frames = malloc(nframes * ENGINE_CHANNELS * sizeof *frames);
	struct sim *sim = sim_new(RATE, 7);
	struct engine *e = engine_new(&ec);
	if (!frames || !sim || !e)
		return 1;
	sim_building(sim, &ec, supply, 12.5 * 3600);
	if (argc > 1 && !strcmp(argv[1], "--callgrind-child")) {
		sim_generate(sim, frames, (size_t)(3 * RATE));
		s_feed(e, frames, 3);
		goto out;
	}
	double t0 = s_cpu();
	sim_generate(sim, frames, nframes);
	double sim_cpu = s_cpu() - t0;

	long seconds = 0;
	t0 = s_cpu();
	double spent;
	do {
		s_feed(e, frames, 200);
		seconds += 200;
	} while ((spent = s_cpu() - t0) < 2.0);
	double rate = (double)seconds / spent;
	double sim_rate = SIGNAL_S / sim_cpu;
	printf("engine: %.0f s of 27-channel %g Hz signal per CPU-second (%ld s in %.2f CPU-s; goal >= 2000)\n", rate, RATE,
	       seconds, spent);
	printf("engine: %.1f ns per frame, %.2f ns per channel-sample\n", spent / ((double)seconds * RATE) * 1e9,
	       spent / ((double)seconds * RATE * ENGINE_CHANNELS) * 1e9);
	printf("simulator: %.0f s of signal per CPU-second\n", sim_rate);
	printf("8-meter hub, steady state: engine %.4f%% of one core; with the simulator making the signal %.4f%%\n",
	       100.0 / rate, 100.0 / rate + 100.0 / sim_rate);
	s_instructions(argv[0]);
out:
	engine_destroy(&e);
	sim_destroy(&sim);
	free(frames);
	return 0;
}
