/* api_display: what the displays at / need beside the live stream
 * (docs/API.md, docs/DISPLAY.md): their settings, and the display
 * password's login. */
#include "api.h"

#include "body.h"
#include "config.h"
#include "config_keys.h"
#include "passwd.h"
#include "paths.h"
#include "ratelimit.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define S_FIELD_MAX (PASSWD_MAX_LEN * 2 + 1)

/* The keys of each enabled element of a slot section (meters, pulses). */
static json_t *s_enabled(const struct config *cfg, const char *section, const char *const *keys)
{
	json_t *out = json_array(), *e;
	size_t i;
	json_array_foreach(json_object_get(cfg->root, section), i, e) {
		if (!json_is_true(json_object_get(e, "enabled")))
			continue;
		json_t *o = json_object();
		for (const char *const *k = keys; *k; k++)
			json_object_set(o, *k, json_object_get(e, *k));
		json_array_append_new(out, o);
	}
	return out;
}

void api_display(struct api *a)
{
	struct config *cfg = api_config_load(a);
	if (!cfg)
		return;
	static const char *const meter_keys[] = { "id", "name", "purpose", "phase_type", "renewable_source", "colour",
						  "max_power_w", NULL };
	static const char *const pulse_keys[] = { "id", "name", "unit", NULL };
	/* the probes set on a meter: those the history has temperatures of */
	json_t *probes = json_array(), *m;
	size_t i;
	json_array_foreach(json_object_get(cfg->root, "meters"), i, m) {
		json_t *id = json_object_get(m, "temp_sensor");
		size_t j;
		json_t *seen;
		bool dup = false;
		json_array_foreach(probes, j, seen) dup |= json_equal(seen, id);
		if (json_is_string(id) && !dup)
			json_array_append(probes, id);
	}
	json_t *doc = json_pack("{s:O,s:O,s:O,s:o,s:o,s:o,s:b}", "interface", json_object_get(cfg->root, "interface"),
				"messaging", json_object_get(cfg->root, "messaging"), "renewable",
				json_object_get(cfg->root, "renewable"), "meters", s_enabled(cfg, "meters", meter_keys),
				"pulses", s_enabled(cfg, "pulses", pulse_keys), "probes", probes, "display_login",
				cfg_security_display_login(cfg));
	config_destroy(&cfg);
	/* the company logo (Interface Options' upload, served at /logo.png),
	 * its time in the URL so a new one is not taken from a cache */
	char path[PATH_MAX], url[64];
	struct stat st;
	snprintf(path, sizeof path, "%s/web/logo.png", paths_datadir());
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		snprintf(url, sizeof url, "/logo.png?v=%lld", (long long)st.st_mtime);
		json_object_set_new(doc, "logo", json_string(url));
	} else {
		json_object_set_new(doc, "logo", json_null());
	}
	api_reply(a, 200, doc);
}

void api_display_login(struct api *a)
{
	/* the same count as the admin's login: one guesser, one budget */
	char password[S_FIELD_MAX];
	const struct body_field fields[] = { { "password", password, sizeof password }, { NULL, NULL, 0 } };
	if (!api_login_fields(a, fields))
		return;
	struct config *cfg = api_config_load(a);
	if (!cfg) {
		explicit_bzero(password, sizeof password);
		return;
	}
	/* with no password set (or none required) nothing is to be had here:
	 * an empty hash never matches */
	bool ok = cfg_security_display_login(cfg) && passwd_verify(password, cfg_security_display_password_hash(cfg));
	explicit_bzero(password, sizeof password);
	config_destroy(&cfg);
	ratelimit_record(a->w.logins, a->w.req.remote_addr, a->w.now_ms, ok);
	if (!ok) {
		api_error(a, 401, "wrong password", "password", NULL);
		return;
	}
	struct session s;
	if (session_create(a->w.display_sessions, "display", false, a->w.now, &s) < 0) {
		api_error(a, 500, "cannot make a session", NULL, NULL);
		return;
	}
	web_display_cookie(&a->w, &s, a->headers, sizeof a->headers);
	api_reply(a, 200, json_pack("{s:b}", "ok", 1));
}
