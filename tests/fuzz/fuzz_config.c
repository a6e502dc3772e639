/* fuzz_config: config validation on arbitrary JSON.  The input is parsed as
 * the loader would (duplicates refused) but also accepting any value and NUL
 * in strings, since config_from_json takes whatever json_t a caller built.
 *
 * Properties beyond not crashing:
 *  - refused: a non-empty array of {"field":string,"error":non-empty string};
 *  - accepted: the complete config validates again unchanged (defaults and
 *    slots are a fixed point), has all eight slots, and can be redacted;
 *  - config_migrate either succeeds leaving version CONFIG_VERSION or
 *    refuses with a reason;
 *  - a JSON string input is also tried as a key path: config_get,
 *    config_schema_lookup and config_path_set must agree on what exists. */
#include "config.h"
#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct config *s_defaults; /* for config_get on fuzzed paths */

static void s_paths(const char *path)
{
	if (!s_defaults) {
		json_t *empty = json_object();
		s_defaults = config_from_json(empty, NULL);
		json_decref(empty);
		CHECK(s_defaults != NULL);
	}
	const struct cfg_key *k = config_schema_lookup(path);
	json_t *v = config_get(s_defaults, path);
	/* every value of a complete config has a schema row */
	if (v && *path)
		CHECK(k != NULL);
	json_t *doc = json_object();
	char err[256] = "";
	int rc = config_path_set(doc, path, json_null(), err, sizeof err);
	if (rc == 0)
		CHECK(k != NULL);
	else
		CHECK(err[0] != '\0');
	json_decref(doc);
}

static void s_check_errors(const json_t *errors)
{
	CHECK(json_is_array(errors) && json_array_size(errors) > 0);
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e) {
		CHECK(json_is_string(json_object_get(e, "field")));
		const char *why = json_string_value(json_object_get(e, "error"));
		CHECK(why && *why);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL,
				 &jerr);
	if (!doc)
		return 0;
	if (json_is_string(doc) && strlen(json_string_value(doc)) == json_string_length(doc))
		s_paths(json_string_value(doc));

	json_t *errors = NULL;
	struct config *cfg = config_from_json(doc, &errors);
	if (!cfg) {
		s_check_errors(errors);
		json_decref(errors);
	} else {
		json_t *again_errors = NULL;
		struct config *again = config_from_json(cfg->root, &again_errors);
		CHECK(again != NULL);
		CHECK(json_equal(again->root, cfg->root));
		config_destroy(&again);
		CHECK(json_array_size(config_get(cfg, "meters")) == CONFIG_SLOTS);
		CHECK(json_array_size(config_get(cfg, "pulses")) == CONFIG_SLOTS);
		CHECK(config_int(cfg, "version") == CONFIG_VERSION);
		json_t *red = config_redacted(cfg);
		CHECK(json_is_object(red));
		json_decref(red);
		config_destroy(&cfg);
	}

	if (json_is_object(doc)) {
		json_t *copy = json_deep_copy(doc);
		char err[256] = "";
		if (config_migrate(copy, err, sizeof err) == 0)
			CHECK(json_integer_value(json_object_get(copy, "version")) == CONFIG_VERSION);
		else
			CHECK(err[0] != '\0');
		json_decref(copy);
	}
	json_decref(doc);
	return 0;
}
