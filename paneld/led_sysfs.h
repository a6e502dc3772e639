/* led_sysfs: the RGB LED through the kernel's LED class
 * (Documentation/leds/leds-class.rst): <dir>/<name>/brightness takes a
 * decimal 0..max_brightness.  "On" is max_brightness (read once when the
 * LED is opened; 1 when the file cannot be read, which any LED takes).
 *
 * An LED that is absent (no such directory, or its brightness cannot be
 * opened) is a no-op with one log line, so a board with another LED, or
 * none, still runs every other job.  Writes are made only when the colour
 * changes. */
#ifndef PANELD_LED_SYSFS_H
#define PANELD_LED_SYSFS_H

#include <stdbool.h>

struct led_sysfs {
	struct led_sysfs_one {
		char path[4096]; /* .../brightness; "" when absent */
		unsigned max;
		bool on;
		bool written; /* on is what the LED holds */
		bool failing; /* the last write failed (logged once) */
	} led[3];         /* red, green, blue: bit i of an enum led_rgb */
	unsigned writes;  /* brightness writes made (for the status) */
	unsigned missing; /* LEDs absent */
};

/* Looks up dir/<names[i]> for red, green, blue; logs each one absent. */
void led_sysfs_open(struct led_sysfs *l, const char *dir, const char *const names[3]);
/* Shows rgb (enum led_rgb bits).  A failed write is logged and retried
 * at the next call. */
void led_sysfs_show(struct led_sysfs *l, unsigned rgb);

#endif
