/* source_iio: see source_iio.h. */
#include "source_iio.h"

#include "config.h"
#include "config_keys.h"
#include "log.h"

#include <errno.h>
#include <iio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IIO_BUFFER_S 0.1 /* capture blocks of 100 ms */

struct iio_map {
	struct iio_channel *ch;  /* NULL: the channel reads 0 */
	double scale, offset;    /* volts = (raw + offset) * scale / 1000 */
	size_t bytes;
	bool is_signed;
};

struct source_iio {
	struct source base;
	struct iio_context *ctx;
	struct iio_device *dev;
	struct iio_buffer *buf;
	struct iio_map map[ENGINE_CHANNELS];
	int fd;
	size_t step;             /* bytes a scan takes in the buffer */
	size_t pos, frames;      /* frames of the current buffer consumed / held */
	bool warned_partial;
};

static double s_attr(struct iio_channel *ch, const char *name, double def)
{
	double v;
	if (iio_channel_find_attr(ch, name) && iio_channel_attr_read_double(ch, name, &v) == 0)
		return v;
	return def;
}

static int s_map(struct source_iio *si, const struct config *cfg, char *err, size_t errlen)
{
	const json_t *channels = cfg_adc_channels(cfg);
	bool by_default = json_object_size(channels) == 0;
	for (int c = 0; c < ENGINE_CHANNELS; c++) {
		char name[8], def[16];
		engine_channel_name(c, name, sizeof name);
		snprintf(def, sizeof def, "voltage%d", c);
		const char *id = by_default ? def : json_string_value(json_object_get(channels, name));
		if (!id)
			continue; /* not mapped: reads 0 */
		struct iio_channel *ch = iio_device_find_channel(si->dev, id, false);
		if (!ch || !iio_channel_is_scan_element(ch)) {
			if (by_default)
				continue;
			snprintf(err, errlen, "adc.channels.%s: device %s has no input channel \"%s\" it can capture",
				 name, cfg_adc_device(cfg), id);
			return -1;
		}
		const struct iio_data_format *fmt = iio_channel_get_data_format(ch);
		struct iio_map *m = &si->map[c];
		m->ch = ch;
		m->bytes = fmt->length / 8;
		m->is_signed = fmt->is_signed;
		m->scale = s_attr(ch, "scale", 1.0);
		m->offset = s_attr(ch, "offset", 0.0);
		if (m->bytes != 1 && m->bytes != 2 && m->bytes != 4 && m->bytes != 8) {
			snprintf(err, errlen, "channel %s: samples of %u bits are not supported", id, fmt->length);
			return -1;
		}
		/* iio_channel_convert() writes every repetition: s_value()
		 * has room for one sample */
		if (fmt->repeat > 1) {
			snprintf(err, errlen, "channel %s: samples repeated %u times per scan are not supported", id,
				 fmt->repeat);
			return -1;
		}
		iio_channel_enable(ch);
	}
	if (!si->map[0].ch) {
		snprintf(err, errlen, "device %s: no channel for V1 (adc.channels)", cfg_adc_device(cfg));
		return -1;
	}
	return 0;
}

static double s_rate(struct source_iio *si, const struct config *cfg)
{
	long long want = cfg_adc_sample_rate_hz(cfg);
	double have;
	if (iio_device_attr_read_double(si->dev, "sampling_frequency", &have) < 0)
		return (double)want;
	if ((long long)have != want && iio_device_attr_write_longlong(si->dev, "sampling_frequency", want) >= 0 &&
	    iio_device_attr_read_double(si->dev, "sampling_frequency", &have) < 0)
		return (double)want;
	return have;
}

static double s_value(const struct iio_map *m, const void *src)
{
	uint8_t tmp[8];
	iio_channel_convert(m->ch, tmp, src);
	double raw;
	switch (m->bytes) {
	case 1: raw = m->is_signed ? (double)*(int8_t *)tmp : (double)*(uint8_t *)tmp; break;
	case 2: {
		uint16_t u;
		memcpy(&u, tmp, 2);
		raw = m->is_signed ? (double)(int16_t)u : (double)u;
		break;
	}
	case 4: {
		uint32_t u;
		memcpy(&u, tmp, 4);
		raw = m->is_signed ? (double)(int32_t)u : (double)u;
		break;
	}
	default: {
		uint64_t u;
		memcpy(&u, tmp, 8);
		raw = m->is_signed ? (double)(int64_t)u : (double)u;
	}
	}
	return (raw + m->offset) * m->scale / 1000.0;
}

static long s_read(struct source *s, float *frames, size_t max, char *err, size_t errlen)
{
	struct source_iio *si = (struct source_iio *)s;
	if (si->pos >= si->frames) {
		ssize_t n = iio_buffer_refill(si->buf);
		if (n == -EAGAIN)
			return 0;
		if (n < 0) {
			char why[128];
			iio_strerror((int)-n, why, sizeof why);
			snprintf(err, errlen, "reading the IIO buffer: %s", why);
			return -1;
		}
		si->frames = (size_t)n / si->step;
		if ((size_t)n % si->step && !si->warned_partial) {
			log_warn("IIO buffer ended in the middle of a scan; the partial scan was dropped");
			si->warned_partial = true;
		}
		si->pos = 0;
	}
	size_t n = si->frames - si->pos;
	if (n > max)
		n = max;
	size_t step = si->step;
	memset(frames, 0, n * ENGINE_CHANNELS * sizeof *frames);
	for (int c = 0; c < ENGINE_CHANNELS; c++) {
		const struct iio_map *m = &si->map[c];
		if (!m->ch)
			continue;
		const uint8_t *p = (const uint8_t *)iio_buffer_first(si->buf, m->ch) + si->pos * step;
		for (size_t f = 0; f < n; f++, p += step)
			frames[f * ENGINE_CHANNELS + (size_t)c] = (float)s_value(m, p);
	}
	si->pos += n;
	return (long)n;
}

static int s_fd(struct source *s)
{
	return ((struct source_iio *)s)->fd;
}

static void s_destroy(struct source *s)
{
	struct source_iio *si = (struct source_iio *)s;
	if (si->buf)
		iio_buffer_destroy(si->buf);
	if (si->ctx)
		iio_context_destroy(si->ctx);
	free(si);
}

static const struct source_ops s_ops = { .read = s_read, .fd = s_fd, .destroy = s_destroy };

struct source *source_iio_new(const struct config *cfg, char *err, size_t errlen)
{
	struct source_iio *si = calloc(1, sizeof *si);
	if (!si) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	si->base = (struct source){ .ops = &s_ops, .kind = "iio" };
	si->fd = -1;
	const char *uri = cfg_adc_uri(cfg), *devname = cfg_adc_device(cfg);
	char why[128];
	si->ctx = iio_create_context_from_uri(uri);
	if (!si->ctx) {
		iio_strerror(errno, why, sizeof why);
		snprintf(err, errlen, "IIO context %s: %s", uri, why);
		goto fail;
	}
	si->dev = iio_context_find_device(si->ctx, devname);
	if (!si->dev) {
		snprintf(err, errlen, "IIO context %s has no device %s", uri, devname);
		goto fail;
	}
	if (s_map(si, cfg, err, errlen) < 0)
		goto fail;
	si->base.rate_hz = s_rate(si, cfg);
	if (!(si->base.rate_hz >= 100 && si->base.rate_hz <= 1e6)) {
		snprintf(err, errlen, "device %s: sampling_frequency %g is not usable", devname, si->base.rate_hz);
		goto fail;
	}
	size_t samples = (size_t)(si->base.rate_hz * IIO_BUFFER_S);
	si->buf = iio_device_create_buffer(si->dev, samples, false);
	if (!si->buf) {
		iio_strerror(errno, why, sizeof why);
		snprintf(err, errlen, "device %s: cannot start capture: %s", devname, why);
		goto fail;
	}
	/* The kernel pads each scan to a multiple of its largest element
	 * (iio_compute_scan_bytes); libiio 0.24 leaves that padding out of
	 * iio_buffer_step() (fixed in 0.25), which would read every scan
	 * after the first from the wrong place: three 32-bit channels and one
	 * 16-bit make scans of 16 bytes, not 14.  Only the mapped channels
	 * are enabled. */
	size_t largest = 1;
	for (int c = 0; c < ENGINE_CHANNELS; c++)
		if (si->map[c].ch && si->map[c].bytes > largest)
			largest = si->map[c].bytes;
	ptrdiff_t step = iio_buffer_step(si->buf);
	if (step <= 0) {
		snprintf(err, errlen, "device %s: no scan size", devname);
		goto fail;
	}
	si->step = ((size_t)step + largest - 1) / largest * largest;
	int rc = iio_buffer_set_blocking_mode(si->buf, false);
	si->fd = rc == 0 ? iio_buffer_get_poll_fd(si->buf) : rc;
	if (si->fd < 0) {
		iio_strerror(-si->fd, why, sizeof why);
		snprintf(err, errlen, "device %s: no descriptor to wait on: %s", devname, why);
		goto fail;
	}
	return &si->base;
fail:
	s_destroy(&si->base);
	return NULL;
}
