/* hubinfo: see hubinfo.h. */
#include "hubinfo.h"

#include <stdio.h>
#include <string.h>

static void s_copy(char *dst, size_t len, const struct config *cfg, const char *path)
{
	const char *s = config_string(cfg, path);
	snprintf(dst, len, "%s", s ? s : "");
}

void hubinfo_from_config(struct hubinfo *h, const struct config *cfg)
{
	memset(h, 0, sizeof *h);
	identity_mac(cfg, h->mac);
	s_copy(h->hostname, sizeof h->hostname, cfg, "network.hostname");
	s_copy(h->company, sizeof h->company, cfg, "hub.company");
	s_copy(h->site, sizeof h->site, cfg, "hub.site");
	for (int i = 0; i < CONFIG_SLOTS; i++) {
		char key[64];
		snprintf(key, sizeof key, "meters[%d].name", i);
		s_copy(h->meter[i].name, sizeof h->meter[i].name, cfg, key);
		snprintf(key, sizeof key, "meters[%d].phase_type", i);
		s_copy(h->meter[i].phase_type, sizeof h->meter[i].phase_type, cfg, key);
		snprintf(key, sizeof key, "meters[%d].purpose", i);
		s_copy(h->meter[i].purpose, sizeof h->meter[i].purpose, cfg, key);
		snprintf(key, sizeof key, "pulses[%d].name", i);
		s_copy(h->pulse[i].name, sizeof h->pulse[i].name, cfg, key);
	}
}

static int s_slot(const char *n)
{
	if (n && n[0] >= '1' && n[0] <= '0' + CONFIG_SLOTS && !n[1])
		return n[0] - '1';
	return -1;
}

const char *hubinfo_meter_name(const struct hubinfo *h, const char *n)
{
	int i = s_slot(n);
	return i < 0 ? "" : h->meter[i].name;
}

const char *hubinfo_pulse_name(const struct hubinfo *h, const char *n)
{
	int i = s_slot(n);
	return i < 0 ? "" : h->pulse[i].name;
}

json_t *hubinfo_json(const struct hubinfo *h)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s}", "mac", h->mac, "hostname", h->hostname, "company", h->company,
			 "site", h->site, "software", HUB_VERSION);
}
