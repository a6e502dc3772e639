/* identity: who this hub is on the wire.  A meter's uid is the hub's MAC
 * followed by the meter number as two more bytes, as in the manual's
 * example "00:01:02:03:04:05:00:01" for meter 1, so readings from many hubs
 * never collide at a receiver. */
#ifndef HUB_IDENTITY_H
#define HUB_IDENTITY_H

#include "config.h"

#define IDENTITY_MAC_LEN 18 /* "00:01:02:03:04:05" + NUL */
#define IDENTITY_UID_LEN 24 /* mac + ":00:01" + NUL */

/* hub.mac when set, else the first non-loopback interface's address in
 * /sys/class/net, else 00:00:00:00:00:00 (logged once). */
void identity_mac(const struct config *cfg, char mac[IDENTITY_MAC_LEN]);
void identity_meter_uid(const char *mac, int meter_id, char uid[IDENTITY_UID_LEN]);

#endif
