/* hubinfo: what the receivers are told about this hub besides the records
 * (its MAC, names, meter names), taken from the config at each apply so
 * the encoders never read the config themselves. */
#ifndef UPLOADD_HUBINFO_H
#define UPLOADD_HUBINFO_H

#include "config.h"
#include "identity.h"

#include <jansson.h>

#define HUBINFO_NAME_MAX 65

struct hubinfo {
	char mac[IDENTITY_MAC_LEN];
	char hostname[HUBINFO_NAME_MAX];
	char company[129];
	char site[129];
	struct {
		char name[HUBINFO_NAME_MAX];
		char phase_type[4];
		char purpose[12];
	} meter[CONFIG_SLOTS];
	struct {
		char name[HUBINFO_NAME_MAX];
	} pulse[CONFIG_SLOTS];
};

void hubinfo_from_config(struct hubinfo *h, const struct config *cfg);
/* meter or pulse name for "1".."8"; "" when n is not one */
const char *hubinfo_meter_name(const struct hubinfo *h, const char *n);
const char *hubinfo_pulse_name(const struct hubinfo *h, const char *n);
/* {"mac","hostname","company","site","software"} */
json_t *hubinfo_json(const struct hubinfo *h);

#endif
