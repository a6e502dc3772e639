/* config_format: the string formats config values may be held to.  Each
 * check says why a string is not of its format, in words an installer
 * understands, because the admin page shows them beside the field. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), false)

/* One DNS label: 1..63 of [A-Za-z0-9-], not starting or ending with '-'. */
static bool s_label(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

/* The hub's own network name: one label (the manual: letters, digits and
 * '-' only). */
static bool s_hostname(const char *s, char *why, size_t whylen)
{
	if (!s_label(s, strlen(s)))
		return WHY("use 1 to 63 letters, digits and '-', not starting or ending with '-'");
	return true;
}

/* A DNS name whose last label is not all digits (RFC 3696 section 2): a
 * mistyped address such as 192.168.1.256 must not pass as a name. */
static bool s_dns_name(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > 253)
		return false;
	const char *p = s, *last = s;
	size_t last_n = 0;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (!s_label(p, n)) {
			if (dot || n != 0 || p == s)
				return false;
			break; /* one trailing dot is fine */
		}
		last = p;
		last_n = n;
		if (!dot)
			break;
		p = dot + 1;
	}
	return strspn(last, "0123456789") < last_n;
}

/* Dotted quad, each part 0..255 in decimal without leading zeros (a
 * leading zero means octal to some resolvers: 010 is 8). */
static bool s_ipv4_parse(const char *s, unsigned char out[4])
{
	const char *p = s;
	for (int i = 0; i < 4; i++) {
		if (!isdigit((unsigned char)*p))
			return false;
		unsigned v = 0;
		int digits = 0;
		const char *start = p;
		while (isdigit((unsigned char)*p)) {
			v = v * 10 + (unsigned)(*p++ - '0');
			if (++digits > 3)
				return false;
		}
		if (v > 255 || (digits > 1 && *start == '0'))
			return false;
		out[i] = (unsigned char)v;
		if (i < 3 && *p++ != '.')
			return false;
	}
	return *p == '\0';
}

static bool s_ipv4(const char *s, char *why, size_t whylen)
{
	unsigned char a[4];
	if (!s_ipv4_parse(s, a))
		return WHY("not an IPv4 address (four numbers 0-255 separated by dots, e.g. 192.168.1.227)");
	return true;
}

static bool s_netmask(const char *s, char *why, size_t whylen)
{
	unsigned char a[4];
	if (!s_ipv4_parse(s, a))
		return WHY("not a subnet mask (e.g. 255.255.255.0)");
	unsigned long m = ((unsigned long)a[0] << 24) | ((unsigned long)a[1] << 16) | ((unsigned long)a[2] << 8) | a[3];
	unsigned long inv = ~m & 0xffffffffUL;
	if ((inv & (inv + 1)) != 0)
		return WHY("not a subnet mask: its ones must be contiguous (e.g. 255.255.255.0)");
	return true;
}

static bool s_ipv6(const char *s)
{
	struct in6_addr a;
	return inet_pton(AF_INET6, s, &a) == 1;
}

/* A server: DNS name, IPv4 address, or IPv6 address in brackets-free form. */
static bool s_host(const char *s, char *why, size_t whylen)
{
	unsigned char a[4];
	if (s_ipv4_parse(s, a) || s_dns_name(s) || s_ipv6(s))
		return true;
	return WHY("not a host name or IP address");
}

static bool s_email(const char *s, char *why, size_t whylen)
{
	const char *at = strrchr(s, '@');
	size_t len = strlen(s);
	if (!at || at == s || len > 254 || (size_t)(at - s) > 64)
		return WHY("not an e-mail address (name@example.com)");
	for (const char *p = s; p < at; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".!#$%&'*+/=?^_`{|}~-", *p))
			return WHY("not an e-mail address: bad character '%c' before the @", *p);
	if (s[0] == '.' || at[-1] == '.' || strstr(s, ".."))
		return WHY("not an e-mail address: misplaced '.'");
	if (!strchr(at + 1, '.') || !s_dns_name(at + 1))
		return WHY("not an e-mail address: the part after @ is not a domain");
	return true;
}

static bool s_url(const char *s, char *why, size_t whylen)
{
	const char *rest;
	if (!strncmp(s, "http://", 7))
		rest = s + 7;
	else if (!strncmp(s, "https://", 8))
		rest = s + 8;
	else
		return WHY("must start with http:// or https://");
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return WHY("must not contain spaces or control characters");
	/* user:password@ would otherwise read as a host and a bad port */
	if (memchr(rest, '@', strcspn(rest, "/?#")))
		return WHY("put user names and passwords in their own fields, not in the URL");
	const char *after; /* what follows the host */
	char host[256];
	if (rest[0] == '[') { /* IPv6 literal: [::1] */
		const char *close = strchr(rest, ']');
		size_t n = close ? (size_t)(close - rest - 1) : 0;
		if (!close || n >= sizeof host)
			return WHY("has a bad IPv6 address (in brackets, as [2001:db8::1])");
		memcpy(host, rest + 1, n);
		host[n] = '\0';
		if (!s_ipv6(host))
			return WHY("has a bad IPv6 address \"%s\"", host);
		after = close + 1;
		if (*after && !strchr(":/?#", *after))
			return WHY("has something after the IPv6 address's ]");
	} else {
		size_t hostlen = strcspn(rest, ":/?#");
		if (hostlen == 0)
			return WHY("has no host after the scheme");
		if (hostlen >= sizeof host)
			return WHY("host name too long");
		memcpy(host, rest, hostlen);
		host[hostlen] = '\0';
		if (!s_host(host, why, whylen))
			return WHY("has a bad host \"%s\"", host);
		after = rest + hostlen;
	}
	if (*after == ':') {
		const char *port = after + 1;
		size_t n = strspn(port, "0123456789");
		long v = n && n <= 5 ? strtol(port, NULL, 10) : 0;
		if (v < 1 || v > 65535 || (port[n] && port[n] != '/' && port[n] != '?'))
			return WHY("has a bad port (1-65535)");
	}
	return true;
}

static bool s_hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool s_mac(const char *s, char *why, size_t whylen)
{
	if (strlen(s) != 17)
		return WHY("not a MAC address (six hex pairs, 00:01:02:03:04:05)");
	for (int i = 0; i < 6; i++)
		if (!s_hex_run(s + 3 * i, 2) || (i < 5 && s[3 * i + 2] != ':'))
			return WHY("not a MAC address (six hex pairs, 00:01:02:03:04:05)");
	return true;
}

/* A 1-wire slave id as the kernel names it: family-serial, "28-0316a2799aff". */
static bool s_w1_id(const char *s, char *why, size_t whylen)
{
	if (strlen(s) != 15 || s[2] != '-' || !s_hex_run(s, 2) || !s_hex_run(s + 3, 12))
		return WHY("not a 1-wire probe id (e.g. 28-0316a2799aff)");
	return true;
}

static bool s_colour(const char *s, char *why, size_t whylen)
{
	if (strlen(s) != 7 || s[0] != '#' || !s_hex_run(s + 1, 6))
		return WHY("not a colour (#rrggbb)");
	return true;
}

int config_time_of_day(const char *s)
{
	if (strlen(s) != 5 || s[2] != ':' || strspn(s, "0123456789:") != 5)
		return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h == 24 && m == 0)
		return 24 * 60;
	return h < 24 && m < 60 ? h * 60 + m : -1;
}

static bool s_time_of_day(const char *s, char *why, size_t whylen)
{
	if (config_time_of_day(s) < 0)
		return WHY("not a time of day (HH:MM, 00:00 to 24:00)");
	return true;
}

/* A password as crypt(3) stores it, yescrypt (what webcgi/passwd.c makes),
 * or "" for none: never the password itself. */
static bool s_crypt_hash(const char *s, char *why, size_t whylen)
{
	if (*s && (strncmp(s, "$y$", 3) ||
		   strspn(s, "$./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != strlen(s)))
		return WHY("not a yescrypt hash (\"$y$...\"): set the password through the admin pages or the API");
	return true;
}

static bool s_path(const char *s, char *why, size_t whylen)
{
	if (s[0] != '/')
		return WHY("must be an absolute path (starting with /)");
	if (strstr(s, "/../") || (strlen(s) >= 3 && !strcmp(s + strlen(s) - 3, "/..")))
		return WHY("must not contain /../");
	return true;
}

static bool s_adc_source(const char *s, char *why, size_t whylen)
{
	if (!strcmp(s, "iio") || !strcmp(s, "sim"))
		return true;
	if (!strncmp(s, "replay:", 7)) {
		if (!s[7])
			return WHY("replay: needs a file, as replay:/path/to/recording.csv");
		return true;
	}
	return WHY("must be iio, sim or replay:FILE");
}

/* An edge source: "gpio" (the libgpiod lines), other (the simulator for
 * pulse inputs, nothing for the button), or file:PATH, a file or FIFO of
 * edges (docs/PULSES.md); example names the FIFO in the refusal. */
static bool s_edge_source(const char *s, const char *other, const char *example, char *why, size_t whylen)
{
	if (!strcmp(s, "gpio") || !strcmp(s, other))
		return true;
	if (!strncmp(s, "file:", 5)) {
		if (s[5] != '/')
			return WHY("file: needs an absolute path, as file:%s", example);
		return true;
	}
	return WHY("must be gpio, %s or file:PATH", other);
}

/* pulse_input.source (pulsed) */
static bool s_pulse_source(const char *s, char *why, size_t whylen)
{
	return s_edge_source(s, "sim", "/run/pulses.fifo", why, whylen);
}

/* panel.button (paneld) */
static bool s_button_source(const char *s, char *why, size_t whylen)
{
	return s_edge_source(s, "none", "/run/button.fifo", why, whylen);
}

/* A directory name under /sys/class/leds ("devicename:colour:function",
 * Documentation/leds/leds-class.rst): one path component. */
static bool s_led_name(const char *s, char *why, size_t whylen)
{
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return WHY("must be an LED's name, not . or ..");
	if (strchr(s, '/'))
		return WHY("must be an LED's name under the LED directory, without /");
	return true;
}

static bool s_timezone(const char *s, char *why, size_t whylen)
{
	if (!*s || strstr(s, "..") || s[0] == '/' || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(s))
		return WHY("not a time zone name (e.g. Europe/London, UTC)");
	return true;
}

/* What MQTT allows in a topic an application publishes to: no wildcards,
 * not a $SYS-style topic. */
static bool s_mqtt_topic(const char *s, char *why, size_t whylen)
{
	if (strpbrk(s, "+#"))
		return WHY("must not contain the wildcards + or #");
	if (s[0] == '$')
		return WHY("must not start with $ (reserved for the broker)");
	return true;
}

/* Logical ADC channel names: V1..V3 and CT<k>_<p>, k 1..8, p 1..3. */
static bool s_adc_channel(const char *s, char *why, size_t whylen)
{
	if (s[0] == 'V' && s[1] >= '1' && s[1] <= '3' && !s[2])
		return true;
	if (!strncmp(s, "CT", 2) && s[2] >= '1' && s[2] <= '8' && s[3] == '_' && s[4] >= '1' && s[4] <= '3' && !s[5])
		return true;
	return WHY("not an ADC channel name (V1..V3, CT1_1..CT8_3)");
}

static bool s_iio_channel(const char *s, char *why, size_t whylen)
{
	if (!*s || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != strlen(s))
		return WHY("not an IIO channel id (e.g. voltage3)");
	return true;
}

/* A network interface's name as the kernel allows it (dev_valid_name in
 * net/core/dev.c): 1..15 bytes, no '/', no white space, not . or ..; this
 * one also keeps to letters, digits and "_.-", what ifupdown's stanzas and
 * dhclient's quoted strings can carry without escapes. */
static bool s_ifname(const char *s, char *why, size_t whylen)
{
	size_t n = strlen(s);
	if (n == 0 || n > 15 || !strcmp(s, ".") || !strcmp(s, "..") ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != n)
		return WHY("not a network interface name (1 to 15 letters, digits, '_', '.' or '-', e.g. eth0)");
	return true;
}

/* One word of an apt source line (a suite or a component, sources.list(5)):
 * what Debian archives use, so nothing in it can end the word or the line. */
static bool s_apt_word(const char *s, char *why, size_t whylen)
{
	if (!*s || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+~/-") != strlen(s))
		return WHY("use letters, digits and . _ + ~ / - only (e.g. bookworm)");
	return true;
}

/* Words separated by single spaces ("main contrib"). */
static bool s_apt_words(const char *s, char *why, size_t whylen)
{
	if (!*s || s[0] == ' ' || s[strlen(s) - 1] == ' ' || strstr(s, "  "))
		return WHY("use words separated by single spaces (e.g. main contrib)");
	for (const char *p = s; *p; p++)
		if (*p != ' ' && !strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+~/-", *p))
			return WHY("use letters, digits and . _ + ~ / - only, words separated by spaces");
	return true;
}

/* A Debian package name (Debian Policy 5.6.1): lower case letters, digits,
 * + - . ; at least two characters, starting with a letter or digit. */
static bool s_deb_package(const char *s, char *why, size_t whylen)
{
	size_t n = strlen(s);
	if (n < 2 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])) ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789+-.") != n)
		return WHY("not a Debian package name (lower case letters, digits, + - ., e.g. eniscope-hub)");
	return true;
}

const struct cfg_format cfg_fmt_hostname = { "hostname", s_hostname };
const struct cfg_format cfg_fmt_host = { "host", s_host };
const struct cfg_format cfg_fmt_ipv4 = { "ipv4", s_ipv4 };
const struct cfg_format cfg_fmt_netmask = { "netmask", s_netmask };
const struct cfg_format cfg_fmt_email = { "email", s_email };
const struct cfg_format cfg_fmt_url = { "url", s_url };
const struct cfg_format cfg_fmt_mac = { "mac", s_mac };
const struct cfg_format cfg_fmt_w1_id = { "w1-id", s_w1_id };
const struct cfg_format cfg_fmt_colour = { "colour", s_colour };
const struct cfg_format cfg_fmt_path = { "path", s_path };
const struct cfg_format cfg_fmt_adc_source = { "adc-source", s_adc_source };
const struct cfg_format cfg_fmt_pulse_source = { "pulse-source", s_pulse_source };
const struct cfg_format cfg_fmt_button_source = { "button-source", s_button_source };
const struct cfg_format cfg_fmt_led_name = { "led-name", s_led_name };
const struct cfg_format cfg_fmt_timezone = { "timezone", s_timezone };
const struct cfg_format cfg_fmt_time_of_day = { "time-of-day", s_time_of_day };
const struct cfg_format cfg_fmt_crypt_hash = { "crypt-hash", s_crypt_hash };
const struct cfg_format cfg_fmt_mqtt_topic = { "mqtt-topic", s_mqtt_topic };
const struct cfg_format cfg_fmt_adc_channel = { "adc-channel", s_adc_channel };
const struct cfg_format cfg_fmt_iio_channel = { "iio-channel", s_iio_channel };
const struct cfg_format cfg_fmt_ifname = { "ifname", s_ifname };
const struct cfg_format cfg_fmt_apt_word = { "apt-word", s_apt_word };
const struct cfg_format cfg_fmt_apt_words = { "apt-words", s_apt_words };
const struct cfg_format cfg_fmt_deb_package = { "deb-package", s_deb_package };
