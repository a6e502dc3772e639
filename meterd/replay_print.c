/* replay_print: see replay_print.h. */
#include "replay_print.h"

#include "config.h"
#include "engine.h"
#include "identity.h"
#include "log.h"
#include "msg.h"
#include "registers.h"
#include "source_replay.h"

#include <stdlib.h>

#define REPLAY_BLOCK 4096

static void s_print(FILE *out, struct engine *e, struct registers *regs, const struct engine_cfg *ec,
		    const char *mac, unsigned long long *seq)
{
	for (int i = 0; i < ENGINE_METERS; i++) {
		if (!ec->meter[i].enabled)
			continue;
		struct meter_reading r;
		engine_reading(e, i, &r);
		registers_accumulate(regs, i + 1, &r, engine_window_s(e));
		char uid[IDENTITY_UID_LEN];
		identity_meter_uid(mac, i + 1, uid);
		json_t *o = reading_to_json(&r, i + 1, uid, false);
		json_object_set_new(o, "ts", json_real(engine_signal_s(e)));
		json_object_set_new(o, "seq", json_integer((json_int_t)(*seq)++));
		char *text = json_dumps(o, MSG_JSON_FLAGS);
		if (text)
			fprintf(out, "%s\n", text);
		free(text);
		json_decref(o);
	}
}

int replay_print(const char *path, const char *conf_path, FILE *out)
{
	json_t *errors = NULL;
	struct config *cfg = config_load(conf_path, &errors);
	if (!cfg) {
		config_errors_print(errors, log_prog(), stderr);
		json_decref(errors);
		log_error("%s: configuration not valid", conf_path);
		return 1;
	}
	char err[1024];
	int rc = 1;
	struct replay *rp = replay_open(path, err, sizeof err);
	struct engine *e = NULL;
	struct registers *regs = NULL;
	float *frames = malloc(REPLAY_BLOCK * ENGINE_CHANNELS * sizeof *frames);
	if (!rp) {
		log_error("%s", err);
		goto out;
	}
	struct engine_cfg ec;
	engine_cfg_from_config(&ec, cfg);
	ec.rate_hz = replay_rate(rp);
	char mac[IDENTITY_MAC_LEN], warning[16];
	identity_mac(cfg, mac);
	e = engine_new(&ec);
	regs = registers_open(NULL, NULL, warning, sizeof warning);
	if (!frames || !e || !regs) {
		log_error("out of memory");
		goto out;
	}
	unsigned long long seq = 0;
	long n;
	while ((n = replay_read(rp, frames, REPLAY_BLOCK, err, sizeof err)) > 0) {
		for (size_t off = 0; off < (size_t)n;) {
			bool done;
			off += engine_feed(e, frames + off * ENGINE_CHANNELS, (size_t)n - off, &done);
			if (done)
				s_print(out, e, regs, &ec, mac, &seq);
		}
	}
	if (n < 0) {
		log_error("%s", err);
		goto out;
	}
	rc = fflush(out) == 0 ? 0 : 1;
out:
	free(frames);
	registers_destroy(&regs);
	engine_destroy(&e);
	replay_destroy(&rp);
	config_destroy(&cfg);
	return rc;
}
