/* paneld: the application state main.c wires into the daemon skeleton:
 * the LED's pattern and why, the USER button and its source, and the
 * command a button action started (docs/PANEL.md). */
#ifndef PANELD_PANELD_H
#define PANELD_PANELD_H

#include "button.h"
#include "ctl.h"
#include "daemon.h"
#include "fault.h"
#include "led_pattern.h"
#include "led_sysfs.h"
#include "source_file.h"
#include "source_gpio.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define PANELD_POLL_MS 1000        /* clock sync, a regular button file, the command's end */
#define PANELD_UPLOADD_PERIOD_MS 5000 /* uploadd's backlog (it refreshes it every 10 s) */
#define PANELD_UPLOADD_TIMEOUT_MS 2000

struct paneld {
	struct daemon *daemon;
	const struct gpio_ops *gpio_ops;
	struct daemon_timer *wake; /* one-shot: the LED's next step or the button's next deadline */
	struct ctl_client *uploadd;
	uint64_t uploadd_call; /* in flight, 0: none */
	struct led_sysfs leds;
	char leds_key[4400]; /* the LED settings leds was opened with */
	enum led_pattern_id pattern;
	int64_t pattern_start_ms;
	char reason[512];
	bool require_sync, ntp_failed;
	bool upload_pending;
	char upload_why[256];
	/* the button */
	char button_key[4400]; /* the source settings it was opened with */
	struct source_gpio *gpio;
	struct source_file *file;
	bool button_started; /* button_init made (at the first source opened) */
	bool level;          /* pressed, as the source's edges last said */
	struct button button;
	struct fault button_fault; /* why the button cannot be read */
	struct fault command_fault; /* why a button's command could not run */
	json_t *reboot_cmd, *reset_cmd; /* arrays of strings */
	pid_t child;      /* the command running, 0: none */
	char child_what[32];
	char last_action[512];
};

extern const struct daemon_ops paneld_ops;

void paneld_init(struct paneld *p, const struct gpio_ops *gpio_ops);
void paneld_fini(struct paneld *p);
/* Every PANELD_POLL_MS: the clock's sync, a regular button file, whether
 * the command ended. */
void paneld_poll(struct daemon *d, void *ud);
/* Every PANELD_UPLOADD_PERIOD_MS: asks uploadd for its backlog. */
void paneld_ask_uploadd(struct daemon *d, void *ud);
/* The one-shot timer's callback: the button's deadlines, the LED's next step. */
void paneld_wake(struct daemon *d, void *ud);

#endif
