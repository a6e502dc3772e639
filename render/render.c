/* render: see render.h. */
#include "render.h"

#include "config.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER "# Written by eniscope-render from %s in the hub's configuration; edits here are lost at the next boot.\n"

/* A text being built; a failed allocation makes it NULL at the end. */
struct text {
	FILE *f;
	char *buf;
	size_t len;
};

static void s_open(struct text *t)
{
	t->buf = NULL;
	t->len = 0;
	t->f = open_memstream(&t->buf, &t->len);
}

__attribute__((format(printf, 2, 3))) static void s_put(struct text *t, const char *fmt, ...)
{
	if (!t->f)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(t->f, fmt, ap);
	va_end(ap);
}

static char *s_close(struct text *t)
{
	if (!t->f)
		return NULL;
	if (fclose(t->f) != 0) {
		free(t->buf);
		return NULL;
	}
	return t->buf;
}

#define FAIL(...) (snprintf(err, errlen, __VA_ARGS__), -1)

/* value against one of the configuration's formats; "" passes when
 * may_be_empty. */
static int s_check(const char *field, const char *value, const struct cfg_format *fmt, bool may_be_empty, char *err,
		   size_t errlen)
{
	char why[256];
	if (!value || (!*value && !may_be_empty))
		return FAIL("%s: is required", field);
	if (*value && !fmt->check(value, why, sizeof why))
		return FAIL("%s: \"%.80s\": %s", field, value, why);
	return 0;
}

/* A uid for a TXT record: printable (a control character has no place in
 * an XML 1.0 document, section 2.2), at most max bytes. */
static int s_check_text(const char *field, const char *value, size_t max, char *err, size_t errlen)
{
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return FAIL("%s: has a control character (0x%02x): only printable text is allowed", field, *p);
	if (strlen(value) > max)
		return FAIL("%s: %zu bytes: at most %zu are allowed", field, strlen(value), max);
	return 0;
}

static void s_put_xml_char(struct text *t, char c)
{
	switch (c) {
	case '&': s_put(t, "&amp;"); break;
	case '<': s_put(t, "&lt;"); break;
	case '>': s_put(t, "&gt;"); break;
	case '"': s_put(t, "&quot;"); break;
	case '\'': s_put(t, "&apos;"); break;
	default: s_put(t, "%c", c);
	}
}

/* Free text (hub.site: anything an admin typed) as the content of an XML
 * element that becomes one TXT string: a control character becomes a
 * space and a byte that is not UTF-8 a '?', so the file is always
 * well-formed; cut at a character's boundary to at most max bytes.  Never
 * refused: a site name must not stop the network files at boot. */
static void s_put_xml_text(struct text *t, const char *s, size_t max)
{
	size_t used = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = text_utf8_len(p);
		if (used + (n ? n : 1) > max)
			break;
		used += n ? n : 1;
		if (n == 0) {
			s_put(t, "?");
			p++;
		} else if (n == 1) {
			s_put_xml_char(t, *p < 0x20 || *p == 0x7f ? ' ' : (char)*p);
			p++;
		} else {
			s_put(t, "%.*s", (int)n, (const char *)p);
			p += n;
		}
	}
}

/* ---- the network ---- */

static int s_check_network(const struct render_in *in, char *err, size_t errlen)
{
	if (s_check("network.interface", in->interface, &cfg_fmt_ifname, false, err, errlen) ||
	    s_check("network.hostname", in->hostname, &cfg_fmt_hostname, false, err, errlen))
		return -1;
	if (in->dhcp)
		return 0;
	if (s_check("network.ip", in->ip, &cfg_fmt_ipv4, false, err, errlen) ||
	    s_check("network.netmask", in->netmask, &cfg_fmt_netmask, false, err, errlen) ||
	    s_check("network.gateway", in->gateway, &cfg_fmt_ipv4, false, err, errlen) ||
	    s_check("network.dns1", in->dns1, &cfg_fmt_ipv4, true, err, errlen) ||
	    s_check("network.dns2", in->dns2, &cfg_fmt_ipv4, true, err, errlen))
		return -1;
	return 0;
}

/* ifupdown (interfaces(5)).  allow-hotplug, not auto: the interface comes
 * up from udev in the background, so a boot with no DHCP server does not
 * wait the 5 minutes of the fallback before starting the hub. */
static char *s_interfaces(const struct render_in *in)
{
	struct text t;
	s_open(&t);
	s_put(&t, HEADER, "network.*");
	s_put(&t, "allow-hotplug %s\n", in->interface);
	if (in->dhcp) {
		s_put(&t, "iface %s inet dhcp\n", in->interface);
	} else {
		s_put(&t, "iface %s inet static\n\taddress %s\n\tnetmask %s\n\tgateway %s\n", in->interface, in->ip,
		      in->netmask, in->gateway);
	}
	return s_close(&t);
}

/* ISC dhclient (dhclient.conf(5)), the client ifupdown runs.  The hostname
 * is sent (option 12) so the site's DHCP server and DNS know the hub by
 * name.  No offer within `timeout` seconds: dhclient tries the leases it
 * knows, and the one declared here is the manual's fallback; with no
 * router in it dhclient-script takes it without a ping.  It never
 * expires: the hub keeps 192.168.1.227 until the next boot, as the
 * manual's troubleshooting procedure expects. */
static char *s_dhclient(const struct render_in *in)
{
	struct text t;
	s_open(&t);
	s_put(&t, HEADER, "network.hostname and network.interface");
	s_put(&t, "option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;\n"
		  "send host-name \"%s\";\n"
		  "request subnet-mask, broadcast-address, time-offset, routers,\n"
		  "\tdomain-name, domain-name-servers, domain-search, host-name,\n"
		  "\tinterface-mtu, rfc3442-classless-static-routes, ntp-servers;\n"
		  "timeout %d;\n"
		  "retry 60;\n"
		  "lease {\n"
		  "\tinterface \"%s\";\n"
		  "\tfixed-address %s;\n"
		  "\toption subnet-mask %s;\n"
		  "\trenew never;\n"
		  "\trebind never;\n"
		  "\texpire never;\n"
		  "}\n",
	      in->hostname, RENDER_DHCP_TIMEOUT_S, in->interface, RENDER_FALLBACK_IP, RENDER_FALLBACK_NETMASK);
	return s_close(&t);
}

/* resolv.conf(5), only for a static address with a DNS server. */
static char *s_resolv(const struct render_in *in)
{
	if (in->dhcp || (!*in->dns1 && !*in->dns2))
		return NULL;
	struct text t;
	s_open(&t);
	s_put(&t, HEADER, "network.dns1 and network.dns2");
	if (*in->dns1)
		s_put(&t, "nameserver %s\n", in->dns1);
	if (*in->dns2)
		s_put(&t, "nameserver %s\n", in->dns2);
	return s_close(&t);
}

static char *s_hostname(const struct render_in *in)
{
	struct text t;
	s_open(&t);
	s_put(&t, "%s\n", in->hostname);
	return s_close(&t);
}

/* chrony (chrony.conf(5)): a file in Debian's sourcedir
 * /etc/chrony/sources.d, read at start and by `chronyc reload sources`. */
static char *s_chrony(const struct render_in *in)
{
	if (!*in->ntp)
		return NULL;
	struct text t;
	s_open(&t);
	s_put(&t, HEADER, "network.ntp");
	s_put(&t, "server %s iburst\n", in->ntp);
	return s_close(&t);
}

/* Avahi's static service (avahi.service(5)): the admin pages over
 * _http._tcp, named after the host (%h), with the hub's uid, the admin
 * path and the site in TXT records (DNS-SD, RFC 6763 section 6). */
static char *s_avahi(const struct render_in *in)
{
	struct text t;
	s_open(&t);
	s_put(&t, "<?xml version=\"1.0\" standalone='no'?>\n"
		  "<!DOCTYPE service-group SYSTEM \"avahi-service.dtd\">\n"
		  "<!-- Written by eniscope-render from hub.* in the hub's configuration; edits here are lost at the "
		  "next boot. -->\n"
		  "<service-group>\n"
		  "  <name replace-wildcards=\"yes\">Eniscope hub %%h</name>\n"
		  "  <service>\n"
		  "    <type>_http._tcp</type>\n"
		  "    <port>%d</port>\n"
		  "    <txt-record>path=/admin/</txt-record>\n"
		  "    <txt-record>uid=",
	      in->http_port);
	for (const char *p = in->uid; *p; p++)
		s_put_xml_char(&t, *p);
	s_put(&t, "</txt-record>\n");
	if (*in->site) {
		s_put(&t, "    <txt-record>site=");
		s_put_xml_text(&t, in->site, RENDER_TXT_MAX - strlen("site="));
		s_put(&t, "</txt-record>\n");
	}
	s_put(&t, "  </service>\n</service-group>\n");
	return s_close(&t);
}

/* ---- updates ---- */

static int s_check_apt(const struct render_in *in, char *err, size_t errlen)
{
	if (!*in->apt_url)
		return 0;
	if (s_check("update.apt_url", in->apt_url, &cfg_fmt_url, false, err, errlen) ||
	    s_check("update.apt_suite", in->apt_suite, &cfg_fmt_apt_word, false, err, errlen) ||
	    s_check("update.apt_components", in->apt_components, &cfg_fmt_apt_words, false, err, errlen) ||
	    s_check("update.apt_keyring", in->apt_keyring, &cfg_fmt_path, false, err, errlen))
		return -1;
	/* inside [signed-by=...] a space or a ] ends the option
	 * (sources.list(5)); the URL format already refuses white space */
	if (strpbrk(in->apt_keyring, " \t\n]["))
		return FAIL("update.apt_keyring: \"%.80s\": must not contain spaces or brackets", in->apt_keyring);
	for (const unsigned char *p = (const unsigned char *)in->apt_keyring; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return FAIL("update.apt_keyring: has a control character (0x%02x)", *p);
	if (strpbrk(in->apt_url, "[]"))
		return FAIL("update.apt_url: \"%.80s\": must not contain [ or ] (an apt source's option brackets)",
			    in->apt_url);
	return 0;
}

/* One-line apt source (sources.list(5)), the keyring pinned to it. */
static char *s_apt(const struct render_in *in)
{
	if (!*in->apt_url)
		return NULL;
	struct text t;
	s_open(&t);
	s_put(&t, HEADER, "update.apt_*");
	s_put(&t, "deb [signed-by=%s] %s %s %s\n", in->apt_keyring, in->apt_url, in->apt_suite, in->apt_components);
	return s_close(&t);
}

/* ---- all of them ---- */

static const struct {
	const char *path;
	unsigned mode;
	char *(*render)(const struct render_in *in);
} s_files[RENDER_FILES] = {
	[RENDER_INTERFACES] = { "etc/network/interfaces.d/eniscope", 0644, s_interfaces },
	[RENDER_DHCLIENT] = { "etc/dhcp/dhclient.conf", 0644, s_dhclient },
	[RENDER_RESOLV] = { "etc/resolv.conf", 0644, s_resolv },
	[RENDER_HOSTNAME] = { "etc/hostname", 0644, s_hostname },
	[RENDER_CHRONY] = { "etc/chrony/sources.d/eniscope.sources", 0644, s_chrony },
	[RENDER_AVAHI] = { "etc/avahi/services/eniscope.service", 0644, s_avahi },
	[RENDER_APT] = { "etc/apt/sources.list.d/eniscope.list", 0644, s_apt },
};

/* Which files are absent on purpose (NULL text is not a failure):
 * resolv.conf is then the DHCP client's to write, and left alone; the
 * others are removed. */
static bool s_may_be_absent(const struct render_in *in, int i)
{
	return (i == RENDER_RESOLV && (in->dhcp || (!*in->dns1 && !*in->dns2))) || (i == RENDER_CHRONY && !*in->ntp) ||
	       (i == RENDER_APT && !*in->apt_url);
}

int render_all(const struct render_in *in, struct render_file out[RENDER_FILES], char *err, size_t errlen)
{
	memset(out, 0, sizeof *out * RENDER_FILES);
	if (s_check_network(in, err, errlen) ||
	    s_check("network.ntp", in->ntp, &cfg_fmt_host, true, err, errlen) ||
	    s_check_text("hub uid", in->uid, RENDER_TXT_MAX - strlen("uid="), err, errlen) ||
	    s_check_apt(in, err, errlen))
		return -1;
	if (!*in->uid)
		return FAIL("hub uid: is required");
	if (in->http_port < 1 || in->http_port > 65535)
		return FAIL("HTTP port: %d: must be 1 to 65535", in->http_port);
	for (int i = 0; i < RENDER_FILES; i++) {
		out[i].path = s_files[i].path;
		out[i].mode = s_files[i].mode;
		out[i].text = s_files[i].render(in);
		out[i].remove = !out[i].text && i != RENDER_RESOLV;
		if (!out[i].text && !s_may_be_absent(in, i)) {
			render_free(out);
			return FAIL("%s: out of memory", s_files[i].path);
		}
	}
	return 0;
}

void render_free(struct render_file out[RENDER_FILES])
{
	for (int i = 0; i < RENDER_FILES; i++) {
		free(out[i].text);
		out[i].text = NULL;
	}
}

#define HOSTS_DEFAULT                                                                                                  \
	"127.0.0.1\tlocalhost\n"                                                                                       \
	"::1\t\tlocalhost ip6-localhost ip6-loopback\n"                                                                \
	"ff02::1\t\tip6-allnodes\n"                                                                                    \
	"ff02::2\t\tip6-allrouters\n"

char *render_hosts(const char *old, size_t oldlen, const char *hostname, char *err, size_t errlen)
{
	if (s_check("network.hostname", hostname, &cfg_fmt_hostname, false, err, errlen))
		return NULL;
	if (!old) {
		old = HOSTS_DEFAULT;
		oldlen = strlen(HOSTS_DEFAULT);
	}
	if (memchr(old, '\0', oldlen)) {
		snprintf(err, errlen, "etc/hosts: has a NUL byte: not a hosts file");
		return NULL;
	}
	struct text t;
	s_open(&t);
	bool placed = false;
	const char *p = old, *end = old + oldlen;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		bool own = n >= 9 && !strncmp(p, "127.0.1.1", 9) && (n == 9 || p[9] == ' ' || p[9] == '\t');
		if (own) {
			if (!placed)
				s_put(&t, "127.0.1.1\t%s\n", hostname);
			placed = true;
		} else {
			s_put(&t, "%.*s\n", (int)n, p);
		}
		p += n + 1;
	}
	if (!placed)
		s_put(&t, "127.0.1.1\t%s\n", hostname);
	char *s = s_close(&t);
	if (!s)
		snprintf(err, errlen, "etc/hosts: out of memory");
	return s;
}
