/* input: see input.h. */
#include "input.h"

#include <math.h>

void input_pulse(struct input *in, int64_t pulse_ns, int64_t now_ns, double now_wall)
{
	in->counted++;
	if (in->ntimes == INPUT_RATE_PULSES) {
		for (int i = 1; i < INPUT_RATE_PULSES; i++)
			in->times[i - 1] = in->times[i];
		in->ntimes--;
	}
	in->times[in->ntimes++] = pulse_ns;
	in->last_pulse_wall = now_wall - (double)(now_ns - pulse_ns) / 1e9;
}

uint64_t input_count(const struct input *in)
{
	int64_t c = in->base + (int64_t)in->shown;
	return c < 0 ? 0 : (uint64_t)c;
}

double input_rate(const struct input *in, int64_t now_ns)
{
	if (in->ntimes < 2)
		return 0;
	double mean = (double)(in->times[in->ntimes - 1] - in->times[0]) / (in->ntimes - 1);
	double since = (double)(now_ns - in->times[in->ntimes - 1]);
	double interval = since > mean ? since : mean;
	if (interval <= 0)
		return 0;
	return in->units_per_pulse * 3600e9 / interval;
}

/* 12 significant digits: no 12.340000000000002 from the multiplication */
static double s_tidy(double v)
{
	if (v == 0)
		return 0;
	double scale = pow(10, 11 - floor(log10(fabs(v))));
	return round(v * scale) / scale;
}

json_t *input_json(const struct input *in, int64_t now_ns)
{
	uint64_t count = input_count(in);
	return json_pack("{s:i,s:s,s:I,s:f,s:s,s:f,s:f}", "n", in->n, "name", in->name, "count", (json_int_t)count,
			 "total", s_tidy((double)count * in->units_per_pulse), "unit", in->unit, "units_per_pulse",
			 in->units_per_pulse, "rate", s_tidy(input_rate(in, now_ns)));
}
