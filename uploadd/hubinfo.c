/* hubinfo: see hubinfo.h. */
#include "hubinfo.h"

#include "config_keys.h"

#include <stdio.h>
#include <string.h>

static void s_copy(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", s ? s : "");
}

void hubinfo_from_config(struct hubinfo *h, const struct config *cfg)
{
	memset(h, 0, sizeof *h);
	identity_mac(cfg, h->mac);
	s_copy(h->hostname, sizeof h->hostname, cfg_network_hostname(cfg));
	s_copy(h->company, sizeof h->company, cfg_hub_company(cfg));
	s_copy(h->site, sizeof h->site, cfg_hub_site(cfg));
	for (int i = 0; i < CONFIG_SLOTS; i++) {
		s_copy(h->meter[i].name, sizeof h->meter[i].name, cfg_meters_name(cfg, i));
		s_copy(h->meter[i].phase_type, sizeof h->meter[i].phase_type, cfg_meters_phase_type(cfg, i));
		s_copy(h->meter[i].purpose, sizeof h->meter[i].purpose, cfg_meters_purpose(cfg, i));
		s_copy(h->pulse[i].name, sizeof h->pulse[i].name, cfg_pulses_name(cfg, i));
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
