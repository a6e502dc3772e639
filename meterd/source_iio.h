/* source_iio: the metering ADC through libiio (0.24).  A context from
 * adc.uri ("local:" on the hub), the device adc.device (name, label or
 * id), the channel map adc.channels (logical V1..V3, CT1_1..CT8_3 to IIO
 * channel ids; {} means voltage0..voltage26 in that order, and channels
 * the device lacks then read 0), each channel's scale and offset, the
 * device's sampling_frequency (set to adc.sample_rate_hz when it differs
 * and the attribute is writable) and a buffered, non-blocking capture read
 * when its descriptor is readable.  Values follow the IIO ABI: (raw +
 * offset) * scale is in millivolts.  Any error is returned to meterd, which
 * reports it and opens the source again later. */
#ifndef METERD_SOURCE_IIO_H
#define METERD_SOURCE_IIO_H

#include "source.h"

struct source *source_iio_new(const struct config *cfg, char *err, size_t errlen);

#endif
