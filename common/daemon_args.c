/* daemon_args: see daemon_args.h. */
#include "daemon_args.h"

#include "paths.h"

#include <getopt.h>
#include <stdio.h>

static void s_usage(FILE *out, const char *prog, const char *once_help)
{
	fprintf(out, "usage: %s [-c CONFIG]%s\n"
		     "  -c, --config FILE  configuration (default $ENISCOPE_CONF or /etc/eniscope/config.json)\n",
		prog, once_help ? " [--once]" : "");
	if (once_help)
		fprintf(out, "  -1, --once         %s\n", once_help);
}

int daemon_args_parse(int argc, char **argv, const char *prog, const char *once_help, struct daemon_args *a)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, '1' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*a = (struct daemon_args){ 0 };
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, once_help ? "c:1h" : "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': a->conf = optarg; break;
		case '1':
			if (once_help) {
				a->once = true;
				break;
			}
			s_usage(stderr, prog, once_help);
			return 2;
		case 'h': s_usage(stdout, prog, once_help); return 0;
		default: s_usage(stderr, prog, once_help); return 2;
		}
	}
	if (optind < argc) {
		s_usage(stderr, prog, once_help);
		return 2;
	}
	return -1;
}

struct config *daemon_args_config(const struct daemon_args *a, const char *prog)
{
	json_t *errors = NULL;
	struct config *cfg = config_load(a->conf ? a->conf : paths_config(), &errors);
	if (!cfg) {
		config_errors_print(errors, prog, stderr);
		json_decref(errors);
	}
	return cfg;
}
