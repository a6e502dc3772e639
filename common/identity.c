/* identity: see identity.h. */
#include "identity.h"

#include "config_keys.h"
#include "log.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

static int s_read_mac(const char *ifname, char mac[IDENTITY_MAC_LEN])
{
	char path[512];
	snprintf(path, sizeof path, "/sys/class/net/%s/address", ifname);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[64] = "";
	int rc = fgets(line, sizeof line, f) && strlen(line) >= 17 ? 0 : -1;
	fclose(f);
	if (rc == 0) {
		memcpy(mac, line, 17);
		mac[17] = '\0';
		if (!strcmp(mac, "00:00:00:00:00:00"))
			rc = -1;
	}
	return rc;
}

void identity_mac(const struct config *cfg, char mac[IDENTITY_MAC_LEN])
{
	const char *set = cfg ? cfg_hub_mac(cfg) : NULL;
	if (set) {
		snprintf(mac, IDENTITY_MAC_LEN, "%s", set);
		return;
	}
	/* the lowest-named interface, so the choice is stable across boots */
	char best[256] = "";
	DIR *dir = opendir("/sys/class/net");
	struct dirent *de;
	char candidate[IDENTITY_MAC_LEN];
	while (dir && (de = readdir(dir))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "lo"))
			continue;
		if ((!best[0] || strcmp(de->d_name, best) < 0) && s_read_mac(de->d_name, candidate) == 0)
			snprintf(best, sizeof best, "%s", de->d_name);
	}
	if (dir)
		closedir(dir);
	if (best[0] && s_read_mac(best, mac) == 0)
		return;
	static int warned;
	if (!warned++)
		log_warn("no network interface with a MAC address; set hub.mac so meter uids are unique");
	snprintf(mac, IDENTITY_MAC_LEN, "00:00:00:00:00:00");
}

void identity_meter_uid(const char *mac, int meter_id, char uid[IDENTITY_UID_LEN])
{
	snprintf(uid, IDENTITY_UID_LEN, "%.17s:%02x:%02x", mac, (meter_id >> 8) & 0xff, meter_id & 0xff);
}
