/* check_render: every value eniscope-render puts in a system file is
 * refused when the file's syntax could not carry it (a newline, a quote, a
 * shell or apt metacharacter, an over-long or non-ASCII name), or escaped
 * when it is free text (the site in Avahi's XML); a refused value renders
 * no file.  The normal files are compared whole in test_render.sh's golden
 * files. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static struct render_in s_normal(void)
{
	return (struct render_in){
		.interface = "eth0", .dhcp = false, .ip = "192.168.1.50", .netmask = "255.255.255.0",
		.gateway = "192.168.1.1", .dns1 = "192.168.1.2", .dns2 = "", .hostname = "eniscope",
		.ntp = "pool.ntp.org", .uid = "00:01:02:03:04:05", .site = "", .http_port = 80,
		.apt_url = "https://apt.example.com/eniscope", .apt_suite = "bookworm", .apt_components = "main",
		.apt_keyring = "/usr/share/keyrings/eniscope.gpg",
	};
}

#define LONG64 "a123456789012345678901234567890123456789012345678901234567890123"

/* Each row sets one field of the normal input to a hostile value; the
 * whole render is refused with a message naming that field. */
static const struct {
	const char *field; /* as the message names it */
	size_t offset;     /* of the const char * in struct render_in */
	const char *value;
} s_refused[] = {
#define F(m) offsetof(struct render_in, m)
	{ "network.hostname", F(hostname), "eni;reboot" },
	{ "network.hostname", F(hostname), "eni\nscope" },
	{ "network.hostname", F(hostname), "eni\"scope" },
	{ "network.hostname", F(hostname), "$(reboot)" },
	{ "network.hostname", F(hostname), "`id`" },
	{ "network.hostname", F(hostname), LONG64 },
	{ "network.hostname", F(hostname), "h\xc3\xa9llo" },
	{ "network.hostname", F(hostname), "eni scope" },
	{ "network.hostname", F(hostname), "" },
	{ "network.hostname", F(hostname), "-eniscope" },
	{ "network.interface", F(interface), "eth0\niface lo inet static" },
	{ "network.interface", F(interface), "eth0\";" },
	{ "network.interface", F(interface), "eth0 up" },
	{ "network.interface", F(interface), "averyveryverylong0" },
	{ "network.interface", F(interface), ".." },
	{ "network.ip", F(ip), "192.168.1.50\n\tup reboot" },
	{ "network.ip", F(ip), "192.168.1.256" },
	{ "network.ip", F(ip), "" },
	{ "network.netmask", F(netmask), "255.0.255.0" },
	{ "network.gateway", F(gateway), "192.168.1.1; reboot" },
	{ "network.dns1", F(dns1), "8.8.8.8\nnameserver 6.6.6.6" },
	{ "network.dns2", F(dns2), "dns.example.com" },
	{ "network.ntp", F(ntp), "pool.ntp.org iburst\nserver evil.example" },
	{ "network.ntp", F(ntp), "pool.ntp.org;reboot" },
	{ "network.ntp", F(ntp), "ntp.\xc3\xa9xample.com" },
	{ "network.ntp", F(ntp), "-bad.example" },
	{ "hub uid", F(uid), "00:01\n<evil/>" },
	{ "hub uid", F(uid), "" },
	{ "update.apt_url", F(apt_url), "https://apt.example.com/ bookworm main\ndeb http://evil.example/" },
	{ "update.apt_url", F(apt_url), "ftp://apt.example.com/" },
	{ "update.apt_url", F(apt_url), "https://apt.example.com/[x]" },
	{ "update.apt_url", F(apt_url), "https://apt.example.com/ x" },
	{ "update.apt_suite", F(apt_suite), "bookworm main" },
	{ "update.apt_suite", F(apt_suite), "bookworm\ndeb" },
	{ "update.apt_suite", F(apt_suite), "" },
	{ "update.apt_components", F(apt_components), "main\ndeb http://evil.example/ x y" },
	{ "update.apt_components", F(apt_components), "main  contrib" },
	{ "update.apt_components", F(apt_components), "main;reboot" },
	{ "update.apt_keyring", F(apt_keyring), "/k.gpg] http://evil.example/" },
	{ "update.apt_keyring", F(apt_keyring), "/a key.gpg" },
	{ "update.apt_keyring", F(apt_keyring), "relative.gpg" },
#undef F
};

START_TEST(hostile_value_is_refused)
{
	struct render_in in = s_normal();
	*(const char **)((char *)&in + s_refused[_i].offset) = s_refused[_i].value;
	struct render_file out[RENDER_FILES];
	char err[512] = "";
	ck_assert_msg(render_all(&in, out, err, sizeof err) == -1, "%s = \"%s\" was rendered", s_refused[_i].field,
		      s_refused[_i].value);
	ck_assert_msg(!strncmp(err, s_refused[_i].field, strlen(s_refused[_i].field)) &&
			      err[strlen(s_refused[_i].field)] == ':',
		      "message \"%s\" does not name %s", err, s_refused[_i].field);
	for (int i = 0; i < RENDER_FILES; i++)
		ck_assert_ptr_null(out[i].text);
}
END_TEST

/* A free-text site never stops the render; what it carries comes out as
 * XML text on one line (escaped, control characters as spaces, invalid
 * UTF-8 as '?', cut at a character to fit a TXT string). */
static const struct {
	const char *site, *txt;
} s_sites[] = {
	{ "Acme & <Sons> \"HQ\" 'n'", "site=Acme &amp; &lt;Sons&gt; &quot;HQ&quot; &apos;n&apos;</txt-record>" },
	{ "a\nb\rc\td\x7f", "site=a b c d </txt-record>" },
	{ "</txt-record><txt-record>admin=1", "site=&lt;/txt-record&gt;&lt;txt-record&gt;admin=1</txt-record>" },
	{ "Caf\xc3\xa9 Z\xc3\xbcrich \xe2\x82\xac", "site=Caf\xc3\xa9 Z\xc3\xbcrich \xe2\x82\xac</txt-record>" },
	{ "bad \xff\xc3 utf8 \xed\xa0\x80", "site=bad ?\? utf8 ?\?\?</txt-record>" },
	{ "$(reboot) `id` ; | &&", "site=$(reboot) `id` ; | &amp;&amp;</txt-record>" },
};

START_TEST(site_is_escaped)
{
	struct render_in in = s_normal();
	in.site = s_sites[_i].site;
	struct render_file out[RENDER_FILES];
	char err[512] = "";
	ck_assert_msg(render_all(&in, out, err, sizeof err) == 0, "%s", err);
	const char *x = out[RENDER_AVAHI].text;
	ck_assert_msg(strstr(x, s_sites[_i].txt), "no \"%s\" in\n%s", s_sites[_i].txt, x);
	/* one TXT line for the site, and the document's other lines as ever */
	const char *line = strstr(x, "    <txt-record>site=");
	ck_assert_ptr_nonnull(line);
	ck_assert_ptr_eq(strchr(line, '\n'), strstr(line, "</txt-record>") + strlen("</txt-record>"));
	render_free(out);
}
END_TEST

/* 128 four-byte characters (hub.site's limit is 128 characters): cut to
 * the TXT string's 255 bytes at a character, never mid-sequence. */
START_TEST(long_site_is_cut_at_a_character)
{
	char site[128 * 4 + 1] = "";
	for (int i = 0; i < 128; i++)
		strcat(site, "\xf0\x9f\x94\x8c");
	struct render_in in = s_normal();
	in.site = site;
	struct render_file out[RENDER_FILES];
	char err[512] = "";
	ck_assert_msg(render_all(&in, out, err, sizeof err) == 0, "%s", err);
	const char *v = strstr(out[RENDER_AVAHI].text, "site=") + strlen("site=");
	size_t n = (size_t)(strstr(v, "</txt-record>") - v);
	ck_assert_uint_eq(n, (RENDER_TXT_MAX - strlen("site=")) / 4 * 4);
	ck_assert_uint_le(n + strlen("site="), RENDER_TXT_MAX);
	render_free(out);
}
END_TEST

/* A uid with spaces is legal in a TXT string: escaped only where XML needs it. */
START_TEST(uid_with_spaces_is_kept)
{
	struct render_in in = s_normal();
	in.uid = "hub 42 & <b>";
	struct render_file out[RENDER_FILES];
	char err[512] = "";
	ck_assert_msg(render_all(&in, out, err, sizeof err) == 0, "%s", err);
	ck_assert_ptr_nonnull(strstr(out[RENDER_AVAHI].text, "<txt-record>uid=hub 42 &amp; &lt;b&gt;</txt-record>\n"));
	render_free(out);
}
END_TEST

START_TEST(uid_too_long_is_refused)
{
	char uid[300];
	memset(uid, 'u', sizeof uid - 1);
	uid[sizeof uid - 1] = '\0';
	struct render_in in = s_normal();
	in.uid = uid;
	struct render_file out[RENDER_FILES];
	char err[512] = "";
	ck_assert_int_eq(render_all(&in, out, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "at most 251"));
}
END_TEST

/* Which files are written, removed or left alone. */
START_TEST(optional_files)
{
	struct render_in in = s_normal();
	in.dhcp = true;
	in.ntp = "";
	in.apt_url = "";
	in.ip = "junk that DHCP ignores";
	struct render_file out[RENDER_FILES];
	char err[512] = "";
	ck_assert_msg(render_all(&in, out, err, sizeof err) == 0, "%s", err);
	ck_assert(!out[RENDER_RESOLV].text && !out[RENDER_RESOLV].remove); /* the DHCP client's */
	ck_assert(!out[RENDER_CHRONY].text && out[RENDER_CHRONY].remove);
	ck_assert(!out[RENDER_APT].text && out[RENDER_APT].remove);
	ck_assert_str_eq(out[RENDER_INTERFACES].text + strcspn(out[RENDER_INTERFACES].text, "\n") + 1,
			 "allow-hotplug eth0\niface eth0 inet dhcp\n");
	render_free(out);
}
END_TEST

static const struct {
	const char *old; /* NULL: no file */
	const char *want;
} s_hosts[] = {
	{ NULL, "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\n"
		"ff02::2\t\tip6-allrouters\n127.0.1.1\thub7\n" },
	{ "127.0.0.1 localhost\n127.0.1.1 old.example old\n10.0.0.9 server\n",
	  "127.0.0.1 localhost\n127.0.1.1\thub7\n10.0.0.9 server\n" },
	{ "127.0.1.1\told\n# 127.0.1.1 comment kept\n127.0.1.1 twice\n127.0.1.10 other",
	  "127.0.1.1\thub7\n# 127.0.1.1 comment kept\n127.0.1.10 other\n" },
	{ "", "127.0.1.1\thub7\n" },
};

START_TEST(hosts_line)
{
	char err[256] = "";
	char *h = render_hosts(s_hosts[_i].old, s_hosts[_i].old ? strlen(s_hosts[_i].old) : 0, "hub7", err, sizeof err);
	ck_assert_msg(h, "%s", err);
	ck_assert_str_eq(h, s_hosts[_i].want);
	free(h);
}
END_TEST

START_TEST(hosts_refuses)
{
	char err[256] = "";
	ck_assert_ptr_null(render_hosts(NULL, 0, "a\n127.0.0.1 bank.example", err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "network.hostname:"));
	ck_assert_ptr_null(render_hosts("a\0b", 3, "hub7", err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("render");
	tcase_add_loop_test(tc, hostile_value_is_refused, 0, sizeof s_refused / sizeof s_refused[0]);
	tcase_add_loop_test(tc, site_is_escaped, 0, sizeof s_sites / sizeof s_sites[0]);
	tcase_add_test(tc, long_site_is_cut_at_a_character);
	tcase_add_test(tc, uid_with_spaces_is_kept);
	tcase_add_test(tc, uid_too_long_is_refused);
	tcase_add_test(tc, optional_files);
	tcase_add_loop_test(tc, hosts_line, 0, sizeof s_hosts / sizeof s_hosts[0]);
	tcase_add_test(tc, hosts_refuses);
	suite_add_tcase(s, tc);
	return s;
}
