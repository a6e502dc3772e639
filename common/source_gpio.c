/* source_gpio: see source_gpio.h. */
#include "source_gpio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct source_gpio {
	const struct gpio_ops *ops;
	void *chip;
	void *line[EDGE_INPUTS];
	unsigned offset[EDGE_INPUTS];
	bool active_low;
	char chip_name[64];
};

struct source_gpio *source_gpio_open(const struct gpio_ops *ops, const char *consumer, const char *what, const char *chip, const unsigned lines[EDGE_INPUTS],
				     const bool want[EDGE_INPUTS], bool active_low, char *err, size_t errlen)
{
	struct source_gpio *sg = calloc(1, sizeof *sg);
	if (!sg) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	sg->ops = ops;
	sg->active_low = active_low;
	snprintf(sg->chip_name, sizeof sg->chip_name, "%s", chip);
	sg->chip = ops->chip_open(chip);
	if (!sg->chip) {
		snprintf(err, errlen, "cannot open GPIO chip %s: %s", chip, strerror(errno));
		free(sg);
		return NULL;
	}
	for (int i = 0; i < EDGE_INPUTS; i++) {
		if (!want[i])
			continue;
		sg->offset[i] = lines[i];
		sg->line[i] = ops->line_request(sg->chip, lines[i], consumer, active_low);
		if (!sg->line[i]) {
			snprintf(err, errlen, "cannot request line %u of %s for %s %d: %s", lines[i], chip, what,
				 i + 1, strerror(errno));
			source_gpio_destroy(&sg);
			return NULL;
		}
	}
	return sg;
}

void source_gpio_destroy(struct source_gpio **sgp)
{
	struct source_gpio *sg = *sgp;
	if (!sg)
		return;
	for (int i = 0; i < EDGE_INPUTS; i++)
		if (sg->line[i])
			sg->ops->line_release(sg->line[i]);
	sg->ops->chip_close(sg->chip);
	free(sg);
	*sgp = NULL;
}

int source_gpio_fd(const struct source_gpio *sg, int n)
{
	return sg->line[n - 1] ? sg->ops->line_fd(sg->line[n - 1]) : -1;
}

bool source_gpio_closed(const struct source_gpio *sg, int n)
{
	if (!sg->line[n - 1])
		return false;
	int v = sg->ops->line_value(sg->line[n - 1]);
	return v >= 0 && (v == 1) != sg->active_low;
}

int source_gpio_read(struct source_gpio *sg, int n, edge_fn on_edge, void *ud, char *err, size_t errlen)
{
	struct gpio_event ev;
	if (sg->ops->line_read(sg->line[n - 1], &ev) < 0) {
		snprintf(err, errlen, "cannot read events of line %u of %s: %s", sg->offset[n - 1], sg->chip_name,
			 strerror(errno));
		return -1;
	}
	struct pulse_edge e = { .ts_ns = ev.ts_ns, .input = n, .level = ev.rising != sg->active_low };
	on_edge(ud, &e);
	return 0;
}
