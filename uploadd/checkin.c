/* checkin: see checkin.h. */
#include "checkin.h"

#include "bus.h"
#include "clock.h"
#include "ctl.h"
#include "disk.h"

#include <string.h>
#include <sys/sysinfo.h>

json_t *checkin_document(void *zctx, const char *rundir, const char *datadir, const struct hubinfo *hub,
			 const json_t *backlog, const json_t *store, const char *self, const json_t *self_status)
{
	json_t *doc = json_pack("{s:s,s:o,s:I,s:s}", "format", CHECKIN_FORMAT, "hub", hubinfo_json(hub), "time",
				(json_int_t)clock_wall(), "version", HUB_VERSION);
	struct sysinfo si;
	if (sysinfo(&si) == 0)
		json_object_set_new(doc, "uptime_s", json_integer(si.uptime));
	json_object_set_new(doc, "disk", disk_usage(datadir));
	json_object_set_new(doc, "backlog", backlog ? json_deep_copy(backlog) : json_object());
	json_object_set_new(doc, "store", store ? json_deep_copy(store) : json_null());
	json_t *daemons = json_object();
	for (size_t i = 0; bus_daemon_names[i]; i++) {
		if (!strcmp(bus_daemon_names[i], self)) {
			json_object_set_new(daemons, self, json_deep_copy(self_status));
			continue;
		}
		char err[256];
		json_t *req = json_pack("{s:s}", "cmd", "status");
		json_t *st = ctl_request(zctx, rundir, bus_daemon_names[i], req, CHECKIN_STATUS_TIMEOUT_MS, err,
					 sizeof err);
		json_decref(req);
		json_object_set_new(daemons, bus_daemon_names[i],
				    st ? st : json_pack("{s:s,s:s}", "state", "not running", "error", err));
	}
	json_object_set_new(doc, "daemons", daemons);
	return doc;
}
