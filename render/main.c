/* eniscope-render: writes the system's network, hostname, time, discovery
 * and update-source files from the hub's configuration into a root
 * directory (/ on the hub, run at boot; a scratch directory in tests).
 * Prints the path of each file it changed, one a line, so the boot script
 * knows what to reload (docs/SYSTEM.md). */
#include "render.h"

#include "atomic_file.h"
#include "config_keys.h"
#include "daemon_args.h"
#include "identity.h"
#include "log.h"
#include "regular_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define R_FILE_MAX (1024 * 1024) /* /etc/hosts larger than this is not one */

/* mkdir -p of path's parent directories under root (which must exist). */
static int s_parents(const char *full, size_t rootlen, char *err, size_t errlen)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", full);
	for (char *p = dir + rootlen + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* Puts text at root/rel unless it is there already (an unchanged file
 * keeps its time, and its service is not reloaded); text NULL removes it.
 * 1 changed, 0 not, -1 with err. */
static int s_put(const char *root, const char *rel, const char *text, unsigned mode, char *err, size_t errlen)
{
	char full[4096];
	if (snprintf(full, sizeof full, "%s/%s", root, rel) >= (int)sizeof full) {
		snprintf(err, errlen, "%s/%s: path too long", root, rel);
		return -1;
	}
	size_t len = 0;
	char rerr[256];
	char *old = regular_file_read(full, R_FILE_MAX, &len, rerr, sizeof rerr);
	bool same = old ? text && len == strlen(text) && !memcmp(old, text, len) : !text && errno == ENOENT;
	free(old);
	if (same)
		return 0;
	if (!text) {
		if (unlink(full) < 0 && errno != ENOENT) {
			snprintf(err, errlen, "cannot remove %s: %s", full, strerror(errno));
			return -1;
		}
		return 1;
	}
	if (s_parents(full, strlen(root), err, errlen) < 0 ||
	    atomic_file_write(full, text, strlen(text), (mode_t)mode, err, errlen) < 0)
		return -1;
	return 1;
}

static void s_changed(const char *rel)
{
	printf("/%s\n", rel);
}

int main(int argc, char **argv)
{
	const char *root = "/", *port = "80";
	struct daemon_args a;
	const struct daemon_option options[] = {
		{ "root", 'r', "DIR", "write under DIR instead of / (tests, images)", &root, NULL },
		{ "http-port", 0, "PORT", "the web admin's port advertised over DNS-SD (default 80)", &port, NULL },
		{ 0 },
	};
	int rc = daemon_args_parse(argc, argv, "eniscope-render", options, &a);
	if (rc >= 0)
		return rc;
	log_init("eniscope-render");
	struct stat st;
	if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "eniscope-render: --root %s: not a directory\n", root);
		return 2;
	}
	char *end;
	long http_port = strtol(port, &end, 10);
	if (*end || end == port) {
		fprintf(stderr, "eniscope-render: --http-port %s: not a number\n", port);
		return 2;
	}
	struct config *cfg = daemon_args_config(&a, "eniscope-render");
	if (!cfg)
		return 1;
	char mac[IDENTITY_MAC_LEN];
	identity_mac(cfg, mac);
	const struct render_in in = {
		.interface = cfg_network_interface(cfg),
		.dhcp = cfg_network_dhcp(cfg),
		.ip = cfg_network_ip(cfg),
		.netmask = cfg_network_netmask(cfg),
		.gateway = cfg_network_gateway(cfg),
		.dns1 = cfg_network_dns1(cfg),
		.dns2 = cfg_network_dns2(cfg),
		.hostname = cfg_network_hostname(cfg),
		.ntp = cfg_network_ntp(cfg),
		.uid = mac,
		.site = cfg_hub_site(cfg),
		.http_port = (int)http_port,
		.apt_url = cfg_update_apt_url(cfg),
		.apt_suite = cfg_update_apt_suite(cfg),
		.apt_components = cfg_update_apt_components(cfg),
		.apt_keyring = cfg_update_apt_keyring(cfg),
	};
	/* everything is rendered before anything is written: a refused value
	 * changes no file */
	struct render_file files[RENDER_FILES];
	char err[1024];
	char rootdir[4096];
	snprintf(rootdir, sizeof rootdir, "%s", strcmp(root, "/") ? root : "");
	char hosts_path[4200];
	snprintf(hosts_path, sizeof hosts_path, "%s/etc/hosts", rootdir);
	size_t hosts_len = 0;
	char *hosts_old = regular_file_read(hosts_path, R_FILE_MAX, &hosts_len, err, sizeof err);
	if (!hosts_old && errno != ENOENT) {
		fprintf(stderr, "eniscope-render: %s\n", err);
		config_destroy(&cfg);
		return 1;
	}
	char *hosts = NULL;
	bool ok = render_all(&in, files, err, sizeof err) == 0;
	if (ok && !(hosts = render_hosts(hosts_old, hosts_len, in.hostname, err, sizeof err))) {
		render_free(files);
		ok = false;
	}
	if (!ok) {
		fprintf(stderr, "eniscope-render: %s (no file written)\n", err);
		free(hosts_old);
		config_destroy(&cfg);
		return 1;
	}
	free(hosts_old);
	config_destroy(&cfg);
	rc = 0;
	for (int i = 0; i < RENDER_FILES; i++) {
		if (!files[i].text && !files[i].remove)
			continue;
		int c = s_put(rootdir, files[i].path, files[i].text, files[i].mode, err, sizeof err);
		if (c < 0) {
			fprintf(stderr, "eniscope-render: %s\n", err);
			rc = 1;
		} else if (c) {
			s_changed(files[i].path);
		}
	}
	int c = s_put(rootdir, "etc/hosts", hosts, 0644, err, sizeof err);
	if (c < 0) {
		fprintf(stderr, "eniscope-render: %s\n", err);
		rc = 1;
	} else if (c) {
		s_changed("etc/hosts");
	}
	free(hosts);
	render_free(files);
	return rc;
}
