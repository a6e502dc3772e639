/* eniscopectl: inspect and drive the hub's daemons (docs/ARCHITECTURE.md). */
#include "eniscopectl.h"

#include "log.h"
#include "paths.h"

#include <stdio.h>
#include <string.h>

static void s_usage(FILE *out)
{
	fprintf(out,
		"usage: eniscopectl [-c CONFIG] COMMAND ...\n"
		"  status [--json] [DAEMON...]      each daemon's status, or \"not running\"\n"
		"  tap [-n COUNT] [-t SECONDS] [PREFIX]\n"
		"                                   bus traffic as JSON lines {\"topic\",\"payload\"}\n"
		"  config get KEY                   a value, e.g. adc.source or meters[0].name\n"
		"  config set KEY VALUE             validate the whole document, then save atomically\n"
		"  config check FILE                validate a file; every problem, one per line\n"
		"  config show                      the complete config (secrets as ***)\n"
		"  config schema                    every key with type, range, default, label\n"
		"  config migrate                   rewrite an older config in the current version\n"
		"  call [-t MS] DAEMON JSON         one control request, e.g. '{\"cmd\":\"status\"}'; exit 0 ok,\n"
		"                                   1 error answer, 3 no answer\n"
		"  reset data                       erase stored readings, energy registers, pulse counts\n"
		"  reset all                        that, plus factory config, factory admin password, sessions\n"
		"  reset resume                     complete a reset a power cut interrupted (every daemon start does)\n"
		"environment: ENISCOPE_RUNDIR (%s), ENISCOPE_CONF (%s), ENISCOPE_DATA (%s),\n"
		"  ENISCOPE_FACTORY_CONF (%s), SVDIR (runit's services, /etc/service)\n",
		paths_rundir(), paths_config(), paths_datadir(), paths_factory_config());
}

int main(int argc, char **argv)
{
	log_init("eniscopectl");
	const char *conf = paths_config();
	int i = 1;
	if (i + 1 < argc && !strcmp(argv[i], "-c")) {
		conf = argv[i + 1];
		i += 2;
	}
	if (i >= argc || !strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
		s_usage(i >= argc ? stderr : stdout);
		return i >= argc ? 2 : 0;
	}
	const char *cmd = argv[i];
	argc -= i;
	argv += i;
	if (!strcmp(cmd, "status"))
		return cmd_status(argc, argv);
	if (!strcmp(cmd, "tap"))
		return cmd_tap(argc, argv);
	if (!strcmp(cmd, "config"))
		return cmd_config(argc, argv, conf);
	if (!strcmp(cmd, "call"))
		return cmd_call(argc, argv);
	if (!strcmp(cmd, "reset"))
		return cmd_reset(argc, argv);
	fprintf(stderr, "eniscopectl: unknown command \"%s\"\n", cmd);
	s_usage(stderr);
	return 2;
}
