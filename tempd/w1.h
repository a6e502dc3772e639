/* w1: the kernel's 1-wire thermometer files, as pure functions.
 *
 * A probe is a directory <family>-<12 hex digits> under the w1 root
 * (/sys/bus/w1/devices).  w1-therm gives two files:
 *   w1_slave      "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n"
 *                 "72 01 4b 46 7f ff 0e 10 57 t=23125\n"
 *                 (scratchpad bytes, the CRC verdict, then millidegrees);
 *   temperature   "23125\n" (newer kernels; the kernel checked the CRC).
 * A read is refused, with the reason, when the CRC line says NO, when the
 * scratchpad breaks a bit its family fixes (below), when the value is
 * 85.000 °C (the power-on value of the scratchpad: the conversion did not
 * happen, typically a power glitch on the bus), -127 °C (what a probe that
 * stopped answering reads), outside -55..125 °C (no thermometer family here
 * reads beyond it) or when the text is not of this form.
 *
 * Why the fixed bits: the CRC of nine zero bytes is zero, so a bus held
 * low (a shorted or half-unplugged probe) reads "00 ... 00 : crc=00 YES"
 * and t=0: the kernel's CRC passes it.  No real probe can answer that,
 * because its scratchpad has bits that cannot be written:
 *  - DS18B20 and DS1822 (Maxim datasheets, "Memory" and "Configuration
 *    Register" sections; the same map in both): byte 4, the configuration
 *    register, is 0 R1 R0 1 1 1 1 1 (bit 7 and bits 0-4 "reserved for
 *    internal use by the device and cannot be overwritten"); byte 5 is
 *    FFh and byte 7 is 10h; byte 6 is not checked (also reserved, but
 *    genuine parts vary it with the temperature);
 *  - DS18S20 (Maxim datasheet, "Memory"): bytes 4 and 5 are FFh (reserved)
 *    and byte 7, COUNT PER °C, is 10h;
 *  - all three ("Operation - Measuring Temperature"): the temperature
 *    register is sign-extended, so bits 15-11 (DS18B20, DS1822) or 15-8
 *    (DS18S20) are all equal.
 * DS28EA00 and MAX31826 scratchpads are not checked (not the same map). */
#ifndef TEMPD_W1_H
#define TEMPD_W1_H

#include <stdbool.h>
#include <stddef.h>

#define W1_ID_LEN 15 /* "28-0316a2799aff" */

/* The family name of a probe directory name ("DS18B20"), or NULL when the
 * name is not a thermometer this daemon reads (wrong family or form). */
const char *w1_family(const char *name);

/* Parse the contents of w1_slave / temperature into millidegrees C.
 * w1_parse_slave takes the probe's directory name (its family says which
 * scratchpad bits are fixed; a name w1_family does not know checks none).
 * 0, or -1 with a reason. */
int w1_parse_slave(const char *id, const char *text, size_t len, long *milli, char *why, size_t whylen);
int w1_parse_temperature(const char *text, size_t len, long *milli, char *why, size_t whylen);

#endif
