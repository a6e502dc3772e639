/* cmd_config: read, change and check the configuration document.  Every
 * change goes through config_update(), so it is validated whole and saved
 * atomically under the lock, exactly as the admin pages save. */
#include "eniscopectl.h"

#include "config.h"
#include "msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct set_args {
	const char *key;
	json_t *value;
};

static int s_edit_set(json_t *doc, void *ud, char *err, size_t errlen)
{
	struct set_args *a = ud;
	return config_path_set(doc, a->key, a->value, err, errlen);
}

/* config migrate: config_update has already read the document migrated to
 * CONFIG_VERSION; saving it unchanged writes it in the new form. */
static int s_edit_none(json_t *doc, void *ud, char *err, size_t errlen)
{
	(void)doc, (void)ud, (void)err, (void)errlen;
	return 0;
}

/* A text or choice key takes VALUE as it is typed (so a hostname "true" stays
 * text); any other key takes it as JSON (8, false, [1,2], null). */
static json_t *s_parse_value(const struct cfg_key *k, const char *text)
{
	if ((k->type == CFG_STRING || k->type == CFG_ENUM) && !((k->flags & CFG_NULLABLE) && !strcmp(text, "null")))
		return json_string(text);
	return json_loads(text, JSON_DECODE_ANY, NULL);
}

static void s_print_value(json_t *v)
{
	if (json_is_string(v)) {
		puts(json_string_value(v));
		return;
	}
	char *text = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	puts(text ? text : "?");
	free(text);
}

/* Loads conf (load: config_load, or config_load_existing for a file named
 * to be checked) or prints why not, each problem once: a field's error
 * after the file's name, an error about the whole file (which names it
 * already) after the program's. */
static int s_load_or_report(const char *conf, struct config *(*load)(const char *, json_t **),
			    struct config **cfg)
{
	json_t *errors = NULL;
	*cfg = load(conf, &errors);
	if (!*cfg) {
		const char *field = json_string_value(json_object_get(json_array_get(errors, 0), "field"));
		bool whole_file = json_array_size(errors) == 1 && field && !*field;
		config_errors_print(errors, whole_file ? "eniscopectl" : conf, stderr);
		json_decref(errors);
		return 1;
	}
	return 0;
}

int cmd_config(int argc, char **argv, const char *conf)
{
	const char *sub = argc > 1 ? argv[1] : "";
	struct config *cfg = NULL;
	int rc = 0;
	if (!strcmp(sub, "get") && argc == 3) {
		if ((rc = s_load_or_report(conf, config_load, &cfg)))
			return rc;
		json_t *v = config_get(cfg, argv[2]);
		if (!v) {
			fprintf(stderr, "eniscopectl: config get: no key %s\n", argv[2]);
			rc = 1;
		} else {
			s_print_value(v);
		}
	} else if (!strcmp(sub, "set") && argc == 4) {
		const struct cfg_key *k = config_schema_lookup(argv[2]);
		if (!k) {
			fprintf(stderr, "eniscopectl: config set: no key %s (see eniscopectl config schema)\n", argv[2]);
			return 1;
		}
		struct set_args a = { .key = argv[2], .value = s_parse_value(k, argv[3]) };
		if (!a.value) {
			fprintf(stderr, "eniscopectl: config set %s: \"%s\" is not a valid value (a number, true/false, "
					"a JSON list or object, or null)\n", argv[2], argv[3]);
			return 1;
		}
		json_t *errors = NULL;
		if (config_update(conf, s_edit_set, &a, &errors) < 0) {
			config_errors_print(errors, "eniscopectl: config set: not saved", stderr);
			rc = 1;
		}
		json_decref(errors);
		json_decref(a.value);
	} else if (!strcmp(sub, "migrate") && argc == 2) {
		/* the package's upgrade step: a file of an older schema version is
		 * rewritten in the current one (docs/CONFIG.md, Versions), so a
		 * later downgrade or a hand edit sees what the daemons read */
		if (access(conf, F_OK) < 0) {
			printf("%s: no file, nothing to migrate\n", conf);
			return 0;
		}
		json_t *errors = NULL;
		if (config_update(conf, s_edit_none, NULL, &errors) < 0) {
			config_errors_print(errors, "eniscopectl: config migrate: not saved", stderr);
			rc = 1;
		} else {
			printf("%s: version %d\n", conf, CONFIG_VERSION);
		}
		json_decref(errors);
	} else if (!strcmp(sub, "check") && argc == 3) {
		if ((rc = s_load_or_report(argv[2], config_load_existing, &cfg)) == 0)
			printf("%s: ok\n", argv[2]);
	} else if (!strcmp(sub, "show") && argc == 2) {
		if ((rc = s_load_or_report(conf, config_load, &cfg)))
			return rc;
		json_t *shown = config_redacted(cfg);
		s_print_value(shown);
		json_decref(shown);
	} else if (!strcmp(sub, "schema") && argc == 2) {
		json_t *schema = config_schema_json();
		s_print_value(schema);
		json_decref(schema);
	} else {
		fprintf(stderr, "usage: eniscopectl config get KEY | set KEY VALUE | check FILE | show | schema | migrate\n");
		return 2;
	}
	config_destroy(&cfg);
	return rc;
}
