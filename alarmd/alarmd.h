/* alarmd: the application state main.c wires into the daemon skeleton.
 *
 * Every ALARMD_TICK_MS it shows each rule its value and sends what the
 * rule engine (rule.h) says: alarm/<id> on the bus, an e-mail to the
 * rule's addresses and a POST to its webhook (outbox.h).  The rules are
 * alarms[] (a meter's P, V, I or PF, one phase or each phase the meter
 * has) and the health alarms of health_alarms (health.h), which watch the
 * other daemons' statuses, asked every ALARMD_POLL_MS over ctl_client so
 * a slow daemon never stops this loop.  Every event also goes to the
 * alarm log in storaged (logbook.h); the raised alarms and the events not
 * yet logged are kept across restarts in a state file (state.h). */
#ifndef ALARMD_ALARMD_H
#define ALARMD_ALARMD_H

#include "ctl.h"
#include "daemon.h"
#include "logbook.h"
#include "notice.h"
#include "outbox.h"
#include "reading_cache.h"
#include "health.h"
#include "rule.h"

#include <stdbool.h>
#include <stdint.h>

#define ALARMD_TICK_MS 1000
#define ALARMD_POLL_MS 2000
#define ALARMD_RULES_MAX (64 + 64) /* alarms[] and the health alarms */
#define ALARMD_PROBES 16
#define ALARMD_POLLED 8 /* every daemon of bus_daemon_names but alarmd */

/* What a rule watches. */
enum watch {
	WATCH_READING,        /* alarms[]: a meter's quantity */
	WATCH_UPLOAD_BACKLOG, /* seconds the oldest undelivered record of an upload target has waited */
	WATCH_METER_SILENT,   /* seconds since a meter's last reading */
	WATCH_PROBE_SILENT,   /* seconds since a probe's last reading */
	WATCH_WIRING,         /* wiring faults meterd reports for a meter */
	WATCH_DISK_FULL,      /* % of the store's limit used (100 when the store fails) */
	WATCH_CLOCK,          /* 1 while the clock is not synchronised */
	WATCH_RESTARTS,       /* starts of a daemon seen within health_alarms.restart_window_s */
};

struct alarm_rule {
	char id[NOTICE_ID_MAX];
	enum watch watch;
	char name[129];
	int meter, phase;     /* phase 0: every phase the meter has */
	int phases;           /* how many the meter has (meters[].phase_type) */
	char quantity[4];     /* P V I PF */
	char probe[24];
	char daemon[16];      /* WATCH_RESTARTS: which */
	bool enabled;
	char emails[16][255];
	size_t nemails;
	char webhook[1025];
	struct rule r;
	/* the last value shown (for the status) and when it was raised */
	bool have;
	double value;
	int value_phase;
	char detail[256];
	double raised_ts;
	int64_t watched_ms; /* when the rule came into force (monotonic): silence counts from here at the earliest */
};

struct status_poll {
	const char *daemon;
	struct ctl_client *ctl;
	json_t *last;      /* its newest status, or NULL */
	int64_t at_ms;     /* when it came */
	uint64_t call;     /* in flight, or 0 */
	struct health_starts starts; /* its starts seen (pids) */
	struct alarmd *a;
};

struct alarmd {
	struct daemon *daemon;
	struct bus_sub *sub;
	struct reading_cache *latest;
	struct outbox *outbox;
	struct smtp_settings smtp;
	struct status_poll poll[ALARMD_POLLED]; /* bus_daemon_names' order, alarmd left out */
	struct alarm_rule *rules;
	size_t nrules;
	char site[129], host[64];
	bool require_ntp_sync;
	double backlog_since[8]; /* per upload target (by position): first seen behind, 0: not behind */
	char backlog_name[8][65];
	struct logbook logbook; /* the events owed to storaged's alarm log */
	char state_path[4200];
	bool state_dirty;       /* a raised alarm changed since the state file was written */
	uint64_t outbox_saved;  /* outbox_generation() when it was */
	json_t *restore_outbox; /* the state file's deliveries, queued once the first config has set smtp */
	double restart_window_s;
	uint64_t events;
	json_t *test_mail; /* {"to","state","error","time"} of the last test e-mail */
};

extern const struct daemon_ops alarmd_ops;

/* Opens the bus subscriptions, the outbox and the status polls on d before
 * the first config is applied; -1 with a reason. */
int alarmd_open(struct alarmd *a, struct daemon *d, char *err, size_t errlen);
/* Evaluates every rule (every ALARMD_TICK_MS). */
void alarmd_tick(struct daemon *d, void *ud);
/* Asks the watched daemons for their status (every ALARMD_POLL_MS). */
void alarmd_poll(struct daemon *d, void *ud);
void alarmd_close(struct alarmd *a);

#endif
