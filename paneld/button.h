/* button: the USER button's state machine, on times the caller gives
 * (CLOCK_MONOTONIC ms in the daemon, any numbers in the tests).
 *
 * The manual, "Resetting the Eniscope Hybrid":
 *  - Hardware Reset: held more than 4 s, the hub reboots with every
 *    setting kept.  The reboot is asked for as soon as the hold reaches
 *    4 s, so the user sees it start without having to let go;
 *  - Hardware Factory Reset: held while the hub powers on, the LED goes
 *    through the sequence 1 s "Random" (powering on), 5 s off (booting),
 *    24 s "Multi LED's" (processing), 25 s flashing red (resetting), 30 s
 *    green: the "All Settings and Data" reset is made.  Let go before 30 s
 *    and nothing is reset ("the reset can be stopped before the lights
 *    turn green").
 *
 * "Held from power-on" is the button found pressed when paneld starts,
 * and the sequence's times count from then: paneld is the first program
 * that can read the button, so what happens before is the boot loader's. */
#ifndef PANELD_BUTTON_H
#define PANELD_BUTTON_H

#include "led_pattern.h"

#include <stdbool.h>
#include <stdint.h>

/* The rule's times in ms from the press (or from paneld's start). */
struct button_timing {
	int64_t reboot_ms;     /* 4000: a hold this long reboots */
	int64_t booting_ms;    /* 5000: power-on hold, LED off */
	int64_t processing_ms; /* 24000: "Multi LED's" */
	int64_t resetting_ms;  /* 25000: flashing red, still cancellable */
	int64_t reset_ms;      /* 30000: green, the factory reset is made */
};

/* The manual's times. */
extern const struct button_timing button_timing_manual;

/* The manual's times multiplied by scale (0 < scale <= 1; config
 * panel.time_scale, for tests only), each at least 1 ms. */
struct button_timing button_timing_scaled(double scale);

enum button_state {
	BUTTON_UP,
	BUTTON_HELD,        /* pressed while running: a reboot at reboot_ms */
	BUTTON_POWER_ON,    /* pressed since paneld started: the reset sequence */
	BUTTON_REBOOTING,   /* the reboot was asked for; edges are ignored */
	BUTTON_RESET_DONE,  /* the factory reset was asked for; edges are ignored */
};

enum button_action {
	BUTTON_NOTHING,
	BUTTON_REBOOT,        /* run panel.reboot_command */
	BUTTON_FACTORY_RESET, /* run panel.reset_command */
	BUTTON_CANCELLED,     /* a power-on hold let go before reset_ms */
};

struct button {
	struct button_timing t;
	enum button_state state;
	int64_t since_ms; /* when the current state began */
};

/* Starts at now_ms with the button pressed or not (a press here is a
 * hold from power-on). */
void button_init(struct button *b, const struct button_timing *t, int64_t now_ms, bool pressed);
/* The button went down (pressed) or up at now_ms.  A repeated level (a
 * bounce the source did not filter) changes nothing. */
enum button_action button_edge(struct button *b, int64_t now_ms, bool pressed);
/* Time passed: the action now due, once. */
enum button_action button_tick(struct button *b, int64_t now_ms);
/* ms from now_ms until the next thing the button changes (an action or
 * the LED's phase), -1 when nothing will without an edge. */
int64_t button_next_ms(const struct button *b, int64_t now_ms);
/* The LED pattern the button's state asks for at now_ms, and when that
 * pattern began (*start_ms); false when the button asks for none (the
 * hub's normal patterns show). */
bool button_pattern(const struct button *b, int64_t now_ms, enum led_pattern_id *p, int64_t *start_ms);
const char *button_state_name(enum button_state s);

#endif
