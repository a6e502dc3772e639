/* daemon_args: see daemon_args.h. */
#include "daemon_args.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void s_usage(FILE *out, const char *name)
{
	fprintf(out,
		"usage: %s [-c CONFIG]\n"
		"  -c, --config FILE  configuration (default $ENISCOPE_CONF or /etc/eniscope/config.json)\n",
		name);
}

const char *daemon_args(int argc, char **argv, const char *name)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conf = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf = optarg; break;
		case 'h': s_usage(stdout, name); exit(0);
		default: s_usage(stderr, name); exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument %s\n", name, argv[optind]);
		s_usage(stderr, name);
		exit(2);
	}
	return conf;
}
