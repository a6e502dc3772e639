/* gpio_gpiod: the gpio_ops of source_gpio.h over libgpiod 1.6 (Debian 12).
 * Nothing but the library calls, so a test's table can replace exactly
 * this file. */
#include "source_gpio.h"

#include <gpiod.h>

static void *s_chip_open(const char *name)
{
	return gpiod_chip_open_by_name(name);
}

static void s_chip_close(void *chip)
{
	gpiod_chip_close(chip);
}

static void *s_line_request(void *chip, unsigned offset, const char *consumer, bool pull_up)
{
	struct gpiod_line *line = gpiod_chip_get_line(chip, offset);
	if (!line)
		return NULL;
	int flags = pull_up ? GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP : GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
	if (gpiod_line_request_both_edges_events_flags(line, consumer, flags) < 0)
		return NULL;
	return line;
}

static void s_line_release(void *line)
{
	gpiod_line_release(line);
}

static int s_line_value(void *line)
{
	return gpiod_line_get_value(line);
}

static int s_line_fd(void *line)
{
	return gpiod_line_event_get_fd(line);
}

static int s_line_read(void *line, struct gpio_event *ev)
{
	struct gpiod_line_event e;
	if (gpiod_line_event_read(line, &e) < 0)
		return -1;
	ev->ts_ns = (int64_t)e.ts.tv_sec * 1000000000 + e.ts.tv_nsec;
	ev->rising = e.event_type == GPIOD_LINE_EVENT_RISING_EDGE;
	return 0;
}

const struct gpio_ops gpio_ops_gpiod = {
	.chip_open = s_chip_open,
	.chip_close = s_chip_close,
	.line_request = s_line_request,
	.line_release = s_line_release,
	.line_value = s_line_value,
	.line_fd = s_line_fd,
	.line_read = s_line_read,
};
