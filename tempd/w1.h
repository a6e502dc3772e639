/* w1: the kernel's 1-wire thermometer files, as pure functions.
 *
 * A probe is a directory <family>-<12 hex digits> under the w1 root
 * (/sys/bus/w1/devices).  w1-therm gives two files:
 *   w1_slave      "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n"
 *                 "72 01 4b 46 7f ff 0e 10 57 t=23125\n"
 *                 (scratchpad bytes, the CRC verdict, then millidegrees);
 *   temperature   "23125\n" (newer kernels; the kernel checked the CRC).
 * A read is refused, with the reason, when the CRC line says NO, when the
 * value is 85.000 °C (the power-on value of the scratchpad: the conversion
 * did not happen, typically a power glitch on the bus), -127 °C (what a
 * probe that stopped answering reads), outside -55..125 °C (no thermometer
 * family here reads beyond it) or when the text is not of this form. */
#ifndef TEMPD_W1_H
#define TEMPD_W1_H

#include <stdbool.h>
#include <stddef.h>

#define W1_ID_LEN 15 /* "28-0316a2799aff" */

/* The family name of a probe directory name ("DS18B20"), or NULL when the
 * name is not a thermometer this daemon reads (wrong family or form). */
const char *w1_family(const char *name);

/* Parse the contents of w1_slave / temperature into millidegrees C.
 * 0, or -1 with a reason. */
int w1_parse_slave(const char *text, size_t len, long *milli, char *why, size_t whylen);
int w1_parse_temperature(const char *text, size_t len, long *milli, char *why, size_t whylen);

#endif
