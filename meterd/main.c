/* meterd: owns the metering ADC and publishes meter/<n>/rt once a second
 * for each enabled meter (docs/BUS.md, docs/METERING.md), keeping the
 * energy registers.  With --replay it turns a waveform file into those
 * readings on stdout instead, and exits. */
#include "meterd.h"
#include "replay_print.h"

#include "daemon_args.h"
#include "log.h"
#include "paths.h"

int main(int argc, char **argv)
{
	struct daemon_args a;
	const char *replay = NULL;
	struct meterd m = { 0 };
	const struct daemon_option options[] = {
		{ .name = "source", .key = 's', .arg = "SPEC", .value = &m.source_override,
		  .help = "sample source iio|sim|replay:FILE, instead of the config's adc.source" },
		{ .name = "replay", .key = 'r', .arg = "FILE", .value = &replay,
		  .help = "print the readings of a waveform file as JSON lines, and exit" },
		{ 0 },
	};
	int rc = daemon_args_parse(argc, argv, "meterd", options, &a);
	if (rc >= 0)
		return rc;
	log_init("meterd");
	if (replay)
		return replay_print(replay, a.conf ? a.conf : paths_config(), stdout);

	char warning[1024];
	m.regs = registers_open(paths_datadir(), paths_rundir(), warning, sizeof warning);
	if (!m.regs)
		log_fatal(EXIT_TEMPORARY, "out of memory");
	if (warning[0])
		log_error("%s", warning);

	struct daemon *d = daemon_new("meterd", a.conf, &meterd_ops, &m);
	if (meterd_init(&m, d) < 0 || !daemon_timer_new(d, REGISTERS_SAVE_PERIOD_MS, meterd_save, &m))
		log_fatal(EXIT_TEMPORARY, "cannot set up: out of memory or bus sockets");
	rc = daemon_run(d);

	meterd_save(d, &m);
	meterd_stop(&m);
	daemon_destroy(&d);
	registers_destroy(&m.regs);
	return rc;
}
