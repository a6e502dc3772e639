/* check_config_format: the string formats of config.h, one table of
 * (format, input, valid?) rows.  The admin page shows a format's reason
 * beside the field, so every rejection must also say why. */
#include <check.h>

#include "config.h"

#include <stdio.h>
#include <string.h>

struct row {
	const struct cfg_format *fmt;
	const char *input;
	bool valid;
};

#define L63 "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" "abcdefghij" "abc"

static const struct row s_rows[] = {
	/* hostname: one DNS label */
	{ &cfg_fmt_hostname, "eniscope", true },
	{ &cfg_fmt_hostname, "hub-1", true },
	{ &cfg_fmt_hostname, "a", true },
	{ &cfg_fmt_hostname, "42", true },
	{ &cfg_fmt_hostname, L63, true },
	{ &cfg_fmt_hostname, L63 "d", false },
	{ &cfg_fmt_hostname, "", false },
	{ &cfg_fmt_hostname, "-hub", false },
	{ &cfg_fmt_hostname, "hub-", false },
	{ &cfg_fmt_hostname, "hub.local", false },
	{ &cfg_fmt_hostname, "hub_1", false },
	{ &cfg_fmt_hostname, "hub 1", false },
	{ &cfg_fmt_hostname, "h\xc3\xbc" "b", false },

	/* host: DNS name, IPv4 or IPv6 */
	{ &cfg_fmt_host, "pool.ntp.org", true },
	{ &cfg_fmt_host, "pool.ntp.org.", true },
	{ &cfg_fmt_host, "localhost", true },
	{ &cfg_fmt_host, "broker-1.example.com", true },
	{ &cfg_fmt_host, "192.168.1.10", true },
	{ &cfg_fmt_host, "::1", true },
	{ &cfg_fmt_host, "fe80::1", true },
	{ &cfg_fmt_host, "2001:db8::ff00:42:8329", true },
	{ &cfg_fmt_host, "::ffff:192.168.1.1", true },
	{ &cfg_fmt_host, "", false },
	{ &cfg_fmt_host, "a..b", false },
	{ &cfg_fmt_host, ".example.com", false },
	{ &cfg_fmt_host, "-a.example.com", false },
	{ &cfg_fmt_host, "exa mple.com", false },
	{ &cfg_fmt_host, "example.com:1883", false },
	{ &cfg_fmt_host, "192.168.1.256", false },
	{ &cfg_fmt_host, "192.168.1", false },
	{ &cfg_fmt_host, "1::2::3", false },
	{ &cfg_fmt_host, "12345::1", false },
	{ &cfg_fmt_host, ":::", false },
	{ &cfg_fmt_host, "g::1", false },

	/* ipv4: dotted quad, no leading zeros */
	{ &cfg_fmt_ipv4, "192.168.1.227", true },
	{ &cfg_fmt_ipv4, "0.0.0.0", true },
	{ &cfg_fmt_ipv4, "255.255.255.255", true },
	{ &cfg_fmt_ipv4, "10.0.0.1", true },
	{ &cfg_fmt_ipv4, "192.168.01.1", false },
	{ &cfg_fmt_ipv4, "010.0.0.1", false },
	{ &cfg_fmt_ipv4, "256.1.1.1", false },
	{ &cfg_fmt_ipv4, "1.1.1.300", false },
	{ &cfg_fmt_ipv4, "1234.1.1.1", false },
	{ &cfg_fmt_ipv4, "1.2.3", false },
	{ &cfg_fmt_ipv4, "1.2.3.4.5", false },
	{ &cfg_fmt_ipv4, "1.2.3.4.", false },
	{ &cfg_fmt_ipv4, ".1.2.3.4", false },
	{ &cfg_fmt_ipv4, "1..2.3", false },
	{ &cfg_fmt_ipv4, "", false },
	{ &cfg_fmt_ipv4, " 1.2.3.4", false },
	{ &cfg_fmt_ipv4, "1.2.3.4 ", false },
	{ &cfg_fmt_ipv4, "1.2.3.-4", false },
	{ &cfg_fmt_ipv4, "a.b.c.d", false },
	{ &cfg_fmt_ipv4, "localhost", false },

	/* netmask: contiguous ones */
	{ &cfg_fmt_netmask, "255.255.255.0", true },
	{ &cfg_fmt_netmask, "255.255.254.0", true },
	{ &cfg_fmt_netmask, "255.255.255.128", true },
	{ &cfg_fmt_netmask, "255.255.255.255", true },
	{ &cfg_fmt_netmask, "255.0.0.0", true },
	{ &cfg_fmt_netmask, "0.0.0.0", true },
	{ &cfg_fmt_netmask, "255.0.255.0", false },
	{ &cfg_fmt_netmask, "255.255.255.1", false },
	{ &cfg_fmt_netmask, "0.255.255.255", false },
	{ &cfg_fmt_netmask, "255.255.253.0", false },
	{ &cfg_fmt_netmask, "255.255.256.0", false },
	{ &cfg_fmt_netmask, "255.255.255", false },
	{ &cfg_fmt_netmask, "/24", false },

	/* email */
	{ &cfg_fmt_email, "a@example.com", true },
	{ &cfg_fmt_email, "first.last+tag@sub.example.co.uk", true },
	{ &cfg_fmt_email, "o'brien@example.ie", true },
	{ &cfg_fmt_email, "a@b", false },
	{ &cfg_fmt_email, "@example.com", false },
	{ &cfg_fmt_email, "a@", false },
	{ &cfg_fmt_email, "example.com", false },
	{ &cfg_fmt_email, "a..b@example.com", false },
	{ &cfg_fmt_email, ".a@example.com", false },
	{ &cfg_fmt_email, "a.@example.com", false },
	{ &cfg_fmt_email, "a b@example.com", false },
	{ &cfg_fmt_email, "a@b@example.com", false },
	{ &cfg_fmt_email, "a@exa_mple.com", false },
	{ &cfg_fmt_email, "a@example..com", false },
	{ &cfg_fmt_email, "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcde@example.com", false },

	/* url: http(s) only, host, port 1..65535, no credentials, no spaces */
	{ &cfg_fmt_url, "http://example.com", true },
	{ &cfg_fmt_url, "https://example.com/api/v1/data?site=1", true },
	{ &cfg_fmt_url, "http://192.168.1.5:8086/write?db=hub", true },
	{ &cfg_fmt_url, "https://influx.example.com:1/", true },
	{ &cfg_fmt_url, "https://influx.example.com:65535/", true },
	{ &cfg_fmt_url, "http://[::1]:8086/write", true },
	{ &cfg_fmt_url, "http://[2001:db8::1]/", true },
	{ &cfg_fmt_url, "ftp://example.com/", false },
	{ &cfg_fmt_url, "mqtt://example.com/", false },
	{ &cfg_fmt_url, "example.com", false },
	{ &cfg_fmt_url, "HTTP//example.com", false },
	{ &cfg_fmt_url, "http://", false },
	{ &cfg_fmt_url, "http:///path", false },
	{ &cfg_fmt_url, "http://example.com:0/", false },
	{ &cfg_fmt_url, "http://example.com:65536/", false },
	{ &cfg_fmt_url, "http://example.com:99999999/", false },
	{ &cfg_fmt_url, "http://example.com:/", false },
	{ &cfg_fmt_url, "http://example.com:80x/", false },
	{ &cfg_fmt_url, "http://user@example.com/", false },
	{ &cfg_fmt_url, "http://user:secret@example.com/", false },
	{ &cfg_fmt_url, "http://exa mple.com/", false },
	{ &cfg_fmt_url, "http://example.com/a b", false },
	{ &cfg_fmt_url, "http://example.com/\t", false },
	{ &cfg_fmt_url, "http://bad_host!/", false },
	{ &cfg_fmt_url, "http://[::1", false },
	{ &cfg_fmt_url, "http://[not-v6]/", false },
	{ &cfg_fmt_url, "http://[::1]:0/", false },

	/* mac */
	{ &cfg_fmt_mac, "00:01:02:03:04:05", true },
	{ &cfg_fmt_mac, "AA:bb:CC:dd:EE:ff", true },
	{ &cfg_fmt_mac, "00-01-02-03-04-05", false },
	{ &cfg_fmt_mac, "00:01:02:03:04", false },
	{ &cfg_fmt_mac, "00:01:02:03:04:0g", false },
	{ &cfg_fmt_mac, "000:01:02:03:04:05", false },
	{ &cfg_fmt_mac, "00:01:02:03:04:05:", false },
	{ &cfg_fmt_mac, "0001.0203.0405", false },
	{ &cfg_fmt_mac, "", false },

	/* w1-id: family-serial */
	{ &cfg_fmt_w1_id, "28-0316a2799aff", true },
	{ &cfg_fmt_w1_id, "10-000802b4b8c2", true },
	{ &cfg_fmt_w1_id, "28_0316a2799aff", false },
	{ &cfg_fmt_w1_id, "28-0316a2799af", false },
	{ &cfg_fmt_w1_id, "28-0316a2799affa", false },
	{ &cfg_fmt_w1_id, "28-0316a2799afg", false },
	{ &cfg_fmt_w1_id, "2g-0316a2799aff", false },
	{ &cfg_fmt_w1_id, "280316a2799aff", false },
	{ &cfg_fmt_w1_id, "", false },

	/* colour */
	{ &cfg_fmt_colour, "#2e7d32", true },
	{ &cfg_fmt_colour, "#FFFFFF", true },
	{ &cfg_fmt_colour, "2e7d32", false },
	{ &cfg_fmt_colour, "#2e7d3", false },
	{ &cfg_fmt_colour, "#2e7d321", false },
	{ &cfg_fmt_colour, "#2e7d3g", false },
	{ &cfg_fmt_colour, "red", false },
	{ &cfg_fmt_colour, "", false },

	/* path: absolute, no .. component */
	{ &cfg_fmt_path, "/sys/bus/w1/devices", true },
	{ &cfg_fmt_path, "/", true },
	{ &cfg_fmt_path, "/a/..b/c", true },
	{ &cfg_fmt_path, "relative/path", false },
	{ &cfg_fmt_path, "", false },
	{ &cfg_fmt_path, "/a/../b", false },
	{ &cfg_fmt_path, "/a/..", false },
	{ &cfg_fmt_path, "../etc", false },

	/* adc-source */
	{ &cfg_fmt_adc_source, "iio", true },
	{ &cfg_fmt_adc_source, "sim", true },
	{ &cfg_fmt_adc_source, "replay:/tmp/recording.csv", true },
	{ &cfg_fmt_adc_source, "replay:", false },
	{ &cfg_fmt_adc_source, "replay", false },
	{ &cfg_fmt_adc_source, "IIO", false },
	{ &cfg_fmt_adc_source, "iio ", false },
	{ &cfg_fmt_adc_source, "simulated", false },
	{ &cfg_fmt_adc_source, "", false },

	/* pulse-source */
	{ &cfg_fmt_pulse_source, "gpio", true },
	{ &cfg_fmt_pulse_source, "sim", true },
	{ &cfg_fmt_pulse_source, "file:/run/pulses.fifo", true },
	{ &cfg_fmt_pulse_source, "file:", false },
	{ &cfg_fmt_pulse_source, "file:pulses.txt", false },
	{ &cfg_fmt_pulse_source, "file", false },
	{ &cfg_fmt_pulse_source, "GPIO", false },
	{ &cfg_fmt_pulse_source, "iio", false },
	{ &cfg_fmt_pulse_source, "", false },

	/* timezone: a tz database name */
	/* ifname: what ifupdown and dhclient's quoted strings carry */
	{ &cfg_fmt_ifname, "eth0", true },
	{ &cfg_fmt_ifname, "end0", true },
	{ &cfg_fmt_ifname, "enx001122334455", true },
	{ &cfg_fmt_ifname, "eth0.100", true },
	{ &cfg_fmt_ifname, "enx0011223344556", false },
	{ &cfg_fmt_ifname, "", false },
	{ &cfg_fmt_ifname, "..", false },
	{ &cfg_fmt_ifname, "eth 0", false },
	{ &cfg_fmt_ifname, "eth0\"", false },
	{ &cfg_fmt_ifname, "eth0\n", false },
	{ &cfg_fmt_ifname, "a/b", false },

	/* apt-word, apt-words: a suite, components (sources.list(5)) */
	{ &cfg_fmt_apt_word, "bookworm", true },
	{ &cfg_fmt_apt_word, "stable-updates", true },
	{ &cfg_fmt_apt_word, "./", true },
	{ &cfg_fmt_apt_word, "", false },
	{ &cfg_fmt_apt_word, "bookworm main", false },
	{ &cfg_fmt_apt_word, "bookworm\n", false },
	{ &cfg_fmt_apt_word, "[x]", false },
	{ &cfg_fmt_apt_words, "main", true },
	{ &cfg_fmt_apt_words, "main contrib non-free-firmware", true },
	{ &cfg_fmt_apt_words, "main  contrib", false },
	{ &cfg_fmt_apt_words, " main", false },
	{ &cfg_fmt_apt_words, "main ", false },
	{ &cfg_fmt_apt_words, "main\tcontrib", false },
	{ &cfg_fmt_apt_words, "main;reboot", false },

	/* deb-package: Debian Policy 5.6.1 */
	{ &cfg_fmt_deb_package, "eniscope-hub", true },
	{ &cfg_fmt_deb_package, "libstdc++6", true },
	{ &cfg_fmt_deb_package, "0ad", true },
	{ &cfg_fmt_deb_package, "a", false },
	{ &cfg_fmt_deb_package, "Eniscope", false },
	{ &cfg_fmt_deb_package, "-hub", false },
	{ &cfg_fmt_deb_package, "eniscope hub", false },
	{ &cfg_fmt_deb_package, "eniscope_hub", false },

	{ &cfg_fmt_timezone, "UTC", true },
	{ &cfg_fmt_timezone, "Europe/London", true },
	{ &cfg_fmt_timezone, "America/Argentina/Buenos_Aires", true },
	{ &cfg_fmt_timezone, "Etc/GMT+5", true },
	{ &cfg_fmt_timezone, "Etc/GMT-14", true },
	{ &cfg_fmt_timezone, "", false },
	{ &cfg_fmt_timezone, "/etc/localtime", false },
	{ &cfg_fmt_timezone, "../../etc/passwd", false },
	{ &cfg_fmt_timezone, "Europe/../../x", false },
	{ &cfg_fmt_timezone, "Europe/London ", false },
	{ &cfg_fmt_timezone, "Europe\\London", false },

	/* mqtt-topic: no wildcards, not a broker topic */
	{ &cfg_fmt_mqtt_topic, "eniscope", true },
	{ &cfg_fmt_mqtt_topic, "site/hub1/power", true },
	{ &cfg_fmt_mqtt_topic, "a$b", true },
	{ &cfg_fmt_mqtt_topic, "a+b", false },
	{ &cfg_fmt_mqtt_topic, "+/power", false },
	{ &cfg_fmt_mqtt_topic, "site/#", false },
	{ &cfg_fmt_mqtt_topic, "#", false },
	{ &cfg_fmt_mqtt_topic, "$SYS/broker", false },
	{ &cfg_fmt_mqtt_topic, "$", false },

	/* adc-channel: V1..V3, CT1_1..CT8_3 */
	{ &cfg_fmt_adc_channel, "V1", true },
	{ &cfg_fmt_adc_channel, "V2", true },
	{ &cfg_fmt_adc_channel, "V3", true },
	{ &cfg_fmt_adc_channel, "CT1_1", true },
	{ &cfg_fmt_adc_channel, "CT4_2", true },
	{ &cfg_fmt_adc_channel, "CT8_3", true },
	{ &cfg_fmt_adc_channel, "V0", false },
	{ &cfg_fmt_adc_channel, "V4", false },
	{ &cfg_fmt_adc_channel, "V", false },
	{ &cfg_fmt_adc_channel, "V12", false },
	{ &cfg_fmt_adc_channel, "v1", false },
	{ &cfg_fmt_adc_channel, "CT9_1", false },
	{ &cfg_fmt_adc_channel, "CT0_1", false },
	{ &cfg_fmt_adc_channel, "CT1_4", false },
	{ &cfg_fmt_adc_channel, "CT1_0", false },
	{ &cfg_fmt_adc_channel, "CT1_1x", false },
	{ &cfg_fmt_adc_channel, "CT11_1", false },
	{ &cfg_fmt_adc_channel, "CT1-1", false },
	{ &cfg_fmt_adc_channel, "ct1_1", false },
	{ &cfg_fmt_adc_channel, "CT", false },
	{ &cfg_fmt_adc_channel, "", false },

	/* iio-channel */
	{ &cfg_fmt_iio_channel, "voltage0", true },
	{ &cfg_fmt_iio_channel, "voltage13", true },
	{ &cfg_fmt_iio_channel, "in_voltage0_raw", true },
	{ &cfg_fmt_iio_channel, "altvoltage-1", true },
	{ &cfg_fmt_iio_channel, "", false },
	{ &cfg_fmt_iio_channel, "voltage 0", false },
	{ &cfg_fmt_iio_channel, "voltage/0", false },
	{ &cfg_fmt_iio_channel, "voltage.0", false },
	{ &cfg_fmt_iio_channel, "voltage0\n", false },
};

#define NROWS ((int)(sizeof s_rows / sizeof s_rows[0]))

START_TEST(format_accepts_valid_and_rejects_invalid_strings_with_a_reason)
{
	const struct row *r = &s_rows[_i];
	char why[256];
	memset(why, 0, sizeof why);
	bool got = r->fmt->check(r->input, why, sizeof why);
	ck_assert_msg(got == r->valid, "%s(\"%s\") = %s, expected %s (why: %s)", r->fmt->name, r->input,
		      got ? "valid" : "invalid", r->valid ? "valid" : "invalid", why);
	if (r->valid)
		return;
	ck_assert_msg(strlen(why) > 0, "%s(\"%s\") rejected without a reason", r->fmt->name, r->input);

	/* the reason goes into the caller's buffer, whatever its size */
	char small[8];
	memset(small, 'X', sizeof small);
	ck_assert(!r->fmt->check(r->input, small, 4));
	ck_assert_msg(memchr(small, '\0', 4) != NULL, "%s: reason not terminated within 4 bytes", r->fmt->name);
	ck_assert_msg(small[4] == 'X' && small[7] == 'X', "%s(\"%s\") wrote past whylen", r->fmt->name, r->input);
}
END_TEST

/* A table that never exercises a format proves nothing about it. */
START_TEST(every_format_has_both_valid_and_invalid_rows)
{
	const struct cfg_format *const all[] = {
		&cfg_fmt_hostname, &cfg_fmt_host,	&cfg_fmt_ipv4,	     &cfg_fmt_netmask,	 &cfg_fmt_email,
		&cfg_fmt_url,	   &cfg_fmt_mac,	&cfg_fmt_w1_id,	     &cfg_fmt_colour,	 &cfg_fmt_path,
		&cfg_fmt_adc_source, &cfg_fmt_timezone, &cfg_fmt_mqtt_topic, &cfg_fmt_adc_channel, &cfg_fmt_iio_channel,
	};
	for (size_t f = 0; f < sizeof all / sizeof all[0]; f++) {
		int good = 0, bad = 0;
		for (int i = 0; i < NROWS; i++)
			if (s_rows[i].fmt == all[f])
				s_rows[i].valid ? good++ : bad++;
		ck_assert_msg(good > 0 && bad > 0, "format %s: %d valid and %d invalid rows", all[f]->name, good, bad);
		ck_assert_ptr_nonnull(all[f]->name);
		ck_assert_int_gt(strlen(all[f]->name), 0);
	}
}
END_TEST

START_TEST(url_with_credentials_says_to_use_the_fields)
{
	const char *const urls[] = { "http://user@example.com/", "https://user:secret@example.com:8086/" };
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		char why[256] = "";
		ck_assert(!cfg_fmt_url.check(urls[i], why, sizeof why));
		ck_assert_msg(strstr(why, "user") && strstr(why, "password"), "%s: reason \"%s\" does not mention credentials",
			      urls[i], why);
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("config_format");
	TCase *tc = tcase_create("formats");
	tcase_add_loop_test(tc, format_accepts_valid_and_rejects_invalid_strings_with_a_reason, 0, NROWS);
	tcase_add_test(tc, every_format_has_both_valid_and_invalid_rows);
	tcase_add_test(tc, url_with_credentials_says_to_use_the_fields);
	suite_add_tcase(s, tc);
	return s;
}
