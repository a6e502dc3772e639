/* daemon_args: see daemon_args.h. */
#include "daemon_args.h"

#include "paths.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define OPTIONS_MAX 16

static size_t s_count(const struct daemon_option *extra)
{
	size_t n = 0;
	while (extra && extra[n].name)
		n++;
	return n;
}

static void s_usage(FILE *out, const char *prog, const struct daemon_option *extra)
{
	fprintf(out, "usage: %s [-c CONFIG]", prog);
	for (size_t i = 0; i < s_count(extra); i++)
		fprintf(out, extra[i].arg ? " [--%s %s]" : " [--%s]", extra[i].name, extra[i].arg);
	fprintf(out, "\n  -c, --config FILE  configuration (default $ENISCOPE_CONF or /etc/eniscope/config.json)\n");
	for (size_t i = 0; i < s_count(extra); i++) {
		char left[48];
		snprintf(left, sizeof left, "%c%c%c --%s%s%s", extra[i].key ? '-' : ' ', extra[i].key ? extra[i].key : ' ',
			 extra[i].key ? ',' : ' ', extra[i].name, extra[i].arg ? " " : "", extra[i].arg ? extra[i].arg : "");
		fprintf(out, "  %-17s  %s\n", left, extra[i].help);
	}
}

int daemon_args_parse(int argc, char **argv, const char *prog, const struct daemon_option *extra,
		      struct daemon_args *a)
{
	size_t n = s_count(extra);
	if (n > OPTIONS_MAX - 3) {
		fprintf(stderr, "%s: too many options for daemon_args\n", prog);
		return 2;
	}
	struct option opts[OPTIONS_MAX] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
	};
	char shorts[3 * OPTIONS_MAX + 1] = "c:h";
	for (size_t i = 0; i < n; i++) {
		/* options without a short name answer to a code above any char */
		opts[2 + i] = (struct option){ extra[i].name, extra[i].arg ? required_argument : no_argument, NULL,
					       extra[i].key ? extra[i].key : 256 + (int)i };
		if (extra[i].key) {
			size_t l = strlen(shorts);
			shorts[l] = extra[i].key;
			shorts[l + 1] = '\0';
			if (extra[i].arg)
				strcat(shorts, ":");
		}
	}
	*a = (struct daemon_args){ 0 };
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (c == 'c') {
			a->conf = optarg;
			continue;
		}
		if (c == 'h') {
			s_usage(stdout, prog, extra);
			return 0;
		}
		size_t i = 0;
		while (i < n && (extra[i].key ? extra[i].key : 256 + (int)i) != c)
			i++;
		if (i == n) {
			s_usage(stderr, prog, extra);
			return 2;
		}
		if (extra[i].arg)
			*extra[i].value = optarg;
		else
			*extra[i].flag = true;
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument %s\n", prog, argv[optind]);
		s_usage(stderr, prog, extra);
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

int daemon_args_once(const struct daemon_args *a, const char *prog, int (*once)(const struct config *cfg))
{
	struct config *cfg = daemon_args_config(a, prog);
	if (!cfg)
		return 1;
	int rc = once(cfg);
	config_destroy(&cfg);
	return rc;
}
