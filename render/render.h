/* render: the system's files that follow from the hub's configuration
 * (docs/SYSTEM.md): the network interface (ifupdown), the DHCP client
 * (dhclient: hostname sent, the manual's 5-minute fallback to
 * 192.168.1.227), the static DNS servers, the hostname, chrony's NTP
 * server, Avahi's service and the apt source of updates.
 *
 * Every function here is pure: it takes the values as strings, checks each
 * against what its file's syntax can carry (refusing, never escaping, what
 * would end a word, a line or a quoted string; escaping XML), and returns
 * the file's text.  The configuration's own formats already refuse the
 * same values; these checks do not rely on it, so a value that reached a
 * file by another road is still refused. */
#ifndef HUB_RENDER_H
#define HUB_RENDER_H

#include <stdbool.h>
#include <stddef.h>

/* The manual's Network Setup: "If DHCP is selected and a DHCP server cannot
 * be found, the Eniscope will revert to a default fixed address of
 * 192.168.1.227", after 5 minutes (its Troubleshooting section). */
#define RENDER_FALLBACK_IP "192.168.1.227"
#define RENDER_FALLBACK_NETMASK "255.255.255.0"
#define RENDER_DHCP_TIMEOUT_S 300

/* DNS-SD's limit on one TXT string, key=value (RFC 6763 section 6.1). */
#define RENDER_TXT_MAX 255

struct render_in {
	const char *interface; /* network.interface */
	bool dhcp;
	const char *ip, *netmask, *gateway, *dns1, *dns2; /* "" when unset */
	const char *hostname;                          /* network.hostname */
	const char *ntp;                               /* "" for none */
	const char *uid;                               /* the hub's uid (its MAC) */
	const char *site;                              /* hub.site, free text */
	int http_port;                                 /* advertised over DNS-SD */
	const char *apt_url;                           /* "" for no source */
	const char *apt_suite, *apt_components, *apt_keyring;
};

/* One file under the target root. */
struct render_file {
	const char *path; /* relative to the root, "etc/hostname" */
	char *text;       /* malloc'd; NULL: not ours to write */
	bool remove;      /* text NULL: remove the file (else leave it alone) */
	unsigned mode;
};

enum render_id {
	RENDER_INTERFACES,
	RENDER_DHCLIENT,
	RENDER_RESOLV,
	RENDER_HOSTNAME,
	RENDER_CHRONY,
	RENDER_AVAHI,
	RENDER_APT,
	RENDER_FILES,
};

/* Renders every file into out[RENDER_FILES] (each text freed with
 * render_free).  0, or -1 with "field: what was found: what is allowed" in
 * err and nothing in out to free: one bad value renders no file at all.
 * RENDER_RESOLV is NULL and not removed (left to the DHCP client) unless
 * the address is static and a DNS server is given; RENDER_CHRONY without
 * an NTP server and RENDER_APT without a URL are NULL and removed.
 * hub.site is never refused (see s_put_xml_text); every other value is. */
int render_all(const struct render_in *in, struct render_file out[RENDER_FILES], char *err, size_t errlen);
void render_free(struct render_file out[RENDER_FILES]);

/* /etc/hosts with the 127.0.1.1 line (Debian's name for the host's own
 * name, Debian Reference 5.1.2) set to hostname and every other line of
 * old kept; old NULL: Debian's default file.  NULL with err when the
 * hostname is refused or old has a NUL byte. */
char *render_hosts(const char *old, size_t oldlen, const char *hostname, char *err, size_t errlen);

#endif
