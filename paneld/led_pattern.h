/* led_pattern: what the front LED shows, as pure data over time.
 *
 * The LED is one RGB LED (three sysfs LEDs: red, green, blue).  A pattern
 * is a cycle of colour steps; what it shows at a moment depends only on
 * the time since the pattern started, so the tests give the time.
 *
 * Patterns (the manual's "LED Indication" and "Hardware Factory Reset"):
 *  - normal:          white on/off, each 1 s;
 *  - upload_pending:  white/blue, each 1 s (an upload target has a backlog);
 *  - ntp_failed:      white/red, each 1 s (the clock is not synchronised);
 *  - booting:         off (a USER-button hold from power-on, 5..24 s);
 *  - processing:      red, green, blue, 250 ms each (24..25 s, "Multi LED's");
 *  - resetting:       red on/off, 250 ms each (25..30 s, "Flashing Red");
 *  - factory_reset:   green, steady (30 s: the reset is made);
 *  - powering_on:     white, steady (0..5 s: the manual's "Random");
 *  - rebooting:       white, steady (the USER button asked for a reboot). */
#ifndef PANELD_LED_PATTERN_H
#define PANELD_LED_PATTERN_H

#include <stdbool.h>
#include <stdint.h>

/* A colour as three bits: one per LED of the RGB LED. */
enum led_rgb {
	LED_OFF = 0,
	LED_RED = 1,
	LED_GREEN = 2,
	LED_BLUE = 4,
	LED_WHITE = LED_RED | LED_GREEN | LED_BLUE,
};

enum led_pattern_id {
	LED_NORMAL,
	LED_UPLOAD_PENDING,
	LED_NTP_FAILED,
	LED_POWERING_ON,
	LED_BOOTING,
	LED_PROCESSING,
	LED_RESETTING,
	LED_FACTORY_RESET,
	LED_REBOOTING,
	LED_PATTERNS
};

/* The pattern's name as the status shows it ("normal", "upload_pending"...). */
const char *led_pattern_name(enum led_pattern_id p);
/* The colour shown elapsed_ms (>= 0) after the pattern started. */
unsigned led_pattern_colour(enum led_pattern_id p, int64_t elapsed_ms);
/* How long from elapsed_ms until the colour next changes, in ms (> 0);
 * -1 for a steady pattern. */
int64_t led_pattern_next_change(enum led_pattern_id p, int64_t elapsed_ms);

/* The pattern of normal operation, by the manual's order: a failed NTP
 * sync wins over a pending upload (a wrong clock makes the data wrong, a
 * backlog only late).  ntp_failed: the clock is not synchronised
 * (common/clock.h); upload_pending: an upload target's backlog is > 0. */
enum led_pattern_id led_pattern_choose(bool ntp_failed, bool upload_pending);

#endif
