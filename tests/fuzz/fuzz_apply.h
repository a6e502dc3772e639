/* fuzz_apply.h: what every config-apply fuzz target does with its input.
 * The input is a configuration document; it is validated as the daemons
 * load it (config_from_json); a refused one must say why, an accepted one
 * is handed to the daemon's apply twice, as after a start and a reload of
 * the same file (the second finds everything already in place). */
#ifndef TESTS_FUZZ_APPLY_H
#define TESTS_FUZZ_APPLY_H

#include "config.h"
#include "fuzz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

typedef int (*fuzz_apply_fn)(const struct config *cfg, char *err, size_t errlen);

static inline void fuzz_apply(const uint8_t *data, size_t size, fuzz_apply_fn apply)
{
	char *text = fuzz_copy(data, size);
	json_t *doc = json_loadb(text, size, JSON_REJECT_DUPLICATES, NULL);
	free(text);
	if (!doc)
		return;
	json_t *errors = NULL;
	struct config *cfg = config_from_json(doc, &errors);
	json_decref(doc);
	if (!cfg) {
		CHECK(json_array_size(errors) > 0);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	/* a config lives until the next successful apply (daemon.h) */
	static struct config *live;
	bool taken = false;
	for (int round = 0; round < 2; round++) {
		char err[512] = "";
		int rc = apply(cfg, err, sizeof err);
		CHECK(rc == 0 || (rc == -1 && err[0]));
		taken |= rc == 0;
	}
	if (taken) {
		config_destroy(&live);
		live = cfg;
	} else {
		config_destroy(&cfg);
	}
}

#endif
