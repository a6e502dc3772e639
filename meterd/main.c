/* meterd: owns the metering ADC and publishes meter/<n>/rt once a second
 * for each enabled meter (docs/BUS.md), keeping the energy registers. */
#include "meterd.h"

#include "daemon_args.h"
#include "log.h"
#include "paths.h"

int main(int argc, char **argv)
{
	struct daemon_args a;
	int rc = daemon_args_parse(argc, argv, "meterd", NULL, &a);
	if (rc >= 0)
		return rc;
	log_init("meterd");

	struct meterd m = { 0 };
	char warning[1024];
	m.regs = registers_open(paths_datadir(), paths_rundir(), warning, sizeof warning);
	if (!m.regs)
		log_fatal(EXIT_TEMPORARY, "out of memory");
	if (warning[0])
		log_error("%s", warning);

	m.daemon = daemon_new("meterd", a.conf, &meterd_ops, &m);
	daemon_timer_new(m.daemon, 1000, meterd_tick, &m);
	daemon_timer_new(m.daemon, REGISTERS_SAVE_PERIOD_MS, meterd_save, &m);
	rc = daemon_run(m.daemon);

	meterd_save(m.daemon, &m);
	daemon_destroy(&m.daemon);
	registers_destroy(&m.regs);
	return rc;
}
