/* source_gpio: edges from GPIO lines through libgpiod 1.6 (pulse_input
 * .source "gpio", panel.button "gpio"): one line per enabled input (pulses[].gpio_line on
 * pulse_input.gpio_chip), requested for both edges, each line's event
 * descriptor watched by the daemon's zmq_poll, events read with the
 * kernel's timestamps (CLOCK_MONOTONIC on Linux >= 5.7).
 *
 * The library is reached only through struct gpio_ops, the line-request
 * boundary: gpio_ops_gpiod is libgpiod itself; a test supplies its own
 * table (events from a pipe) and everything after the table is the code
 * the daemon runs.  A dry contact usually closes to ground against a
 * pull-up (pulse_input.active_low): then a falling edge is a closing. */
#ifndef COMMON_SOURCE_GPIO_H
#define COMMON_SOURCE_GPIO_H

#include "edge.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gpio_event {
	int64_t ts_ns;
	bool rising;
};

struct gpio_ops {
	/* NULL with errno set, as the library does */
	void *(*chip_open)(const char *name);
	void (*chip_close)(void *chip);
	void *(*line_request)(void *chip, unsigned offset, const char *consumer, bool pull_up);
	void (*line_release)(void *line);
	int (*line_value)(void *line);               /* 0/1, -1 with errno */
	int (*line_fd)(void *line);                  /* the event descriptor */
	int (*line_read)(void *line, struct gpio_event *ev); /* 0, -1 with errno */
};

extern const struct gpio_ops gpio_ops_gpiod;

struct source_gpio;

/* Opens chip and requests lines[i] for every input i+1 with want[i], as
 * consumer (the program's name, which gpioinfo shows).  what names an input
 * in errors ("pulse input", "USER button").  NULL with a reason (the chip
 * or the first line that failed, and why). */
struct source_gpio *source_gpio_open(const struct gpio_ops *ops, const char *consumer, const char *what, const char *chip, const unsigned lines[EDGE_INPUTS],
				     const bool want[EDGE_INPUTS], bool active_low, char *err, size_t errlen);
void source_gpio_destroy(struct source_gpio **sg);
/* Input n's (1..8) event descriptor, -1 when not requested. */
int source_gpio_fd(const struct source_gpio *sg, int n);
/* Whether input n's contact is closed now (from the line's value). */
bool source_gpio_closed(const struct source_gpio *sg, int n);
/* Reads one waiting event of input n and hands on its edge.  -1 with a
 * reason when the read failed. */
int source_gpio_read(struct source_gpio *sg, int n, edge_fn on_edge, void *ud, char *err, size_t errlen);

#endif
