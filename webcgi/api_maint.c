/* api_maint: the maintenance calls (docs/API.md, Maintenance).  Reset Hub
 * and Reboot are asked of paneld, which runs them (the CGI runs as the
 * web's user, which may neither reboot nor stop daemons nor erase the
 * card); the support bundle and the settings' backup and restore are made
 * here. */
#include "api.h"

#include "body.h"
#include "bus.h"
#include "clock.h"
#include "config.h"
#include "ctl.h"
#include "disk.h"
#include "os_release.h"
#include "paths.h"
#include "regular_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define S_ASK_MS 300
#define S_LOG_TAIL (64 * 1024)  /* the end of each daemon's current log */
#define S_SECRET_MIN 4          /* shorter values are not searched for: "on" would go everywhere */
#define S_BUNDLE_MAX (16 << 20) /* the archive, read back to be sent */

extern char **environ;

/* ---- Reset Hub, Reboot: paneld's commands (docs/PANEL.md) ---- */

/* The body as a JSON object, or NULL after answering 415/400. */
static json_t *s_body(struct api *a)
{
	if (!http_media_type(&a->w.req, "application/json")) {
		api_error(a, 415, "body must be application/json", NULL, NULL);
		return NULL;
	}
	json_t *body;
	char err[256];
	int rc = body_json(a->body, a->body_len, &body, err, sizeof err);
	if (rc) {
		api_error(a, rc, err, NULL, NULL);
		return NULL;
	}
	if (!json_is_object(body)) {
		json_decref(body);
		api_error(a, 400, "the body must be a JSON object {...}", NULL, NULL);
		return NULL;
	}
	return body;
}

/* paneld checks the kind ("data" or "all") */
void api_reset(struct api *a)
{
	api_daemon_field_command(a, "paneld", "reset", "kind", "\"data\" or \"all\"");
}

/* What paneld runs now, and how the last command ended. */
void api_reset_state(struct api *a)
{
	json_t *st = api_daemon_status(a, "paneld");
	if (!st)
		return;
	json_t *running = json_object_get(st, "command_running");
	json_t *last = json_object_get(json_object_get(st, "button"), "last_action");
	api_reply(a, 200, json_pack("{s:O,s:O}", "running", running ? running : json_null(), "last_action",
				    last ? last : json_null()));
	json_decref(st);
}

void api_reboot(struct api *a)
{
	api_daemon_command(a, "paneld", json_pack("{s:s}", "cmd", "reboot"), NULL);
}

/* ---- secrets: where they are in a document, and their values ---- */

/* Walks v (described by k, at path) and appends the path of every set
 * secret to paths and its value to values (either may be NULL). */
static void s_secrets(const struct cfg_key *k, const json_t *v, const char *path, json_t *paths, json_t *values)
{
	char sub[512];
	if (k->type == CFG_OBJECT && json_is_object(v)) {
		for (const struct cfg_key *c = k->keys; c->name; c++) {
			json_t *child = json_object_get(v, c->name);
			if (!child)
				continue;
			snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", c->name);
			if ((c->flags & CFG_SECRET) && json_string_length(child) > 0) {
				if (paths)
					json_array_append_new(paths, json_string(sub));
				if (values)
					json_array_append(values, child);
			} else {
				s_secrets(c, child, sub, paths, values);
			}
		}
	} else if ((k->type == CFG_ARRAY || k->type == CFG_MAP) && k->item) {
		size_t i;
		const char *key;
		json_t *el;
		if (json_is_array(v)) {
			json_array_foreach(v, i, el) {
				snprintf(sub, sizeof sub, "%s[%zu]", path, i);
				s_secrets(k->item, el, sub, paths, values);
			}
		} else if (json_is_object(v)) {
			json_object_foreach((json_t *)v, key, el) {
				snprintf(sub, sizeof sub, "%s.%s", path, key);
				s_secrets(k->item, el, sub, paths, values);
			}
		}
	}
}

static const struct cfg_key s_root = { .name = "", .type = CFG_OBJECT, .keys = config_schema };

/* ---- the support bundle ---- */

struct bundle {
	char dir[64];   /* the temporary directory */
	char name[128]; /* the archive's top directory */
	json_t *secrets; /* strings never to be written: each value, and as JSON escapes it */
};

static void s_secret_value(json_t *list, const char *v)
{
	if (!v || strlen(v) < S_SECRET_MIN)
		return;
	json_array_append_new(list, json_string(v));
	json_t *s = json_string(v);
	char *esc = json_dumps(s, JSON_ENCODE_ANY);
	json_decref(s);
	if (esc) {
		esc[strlen(esc) - 1] = '\0'; /* without the quotes */
		if (strcmp(esc + 1, v))
			json_array_append_new(list, json_string(esc + 1));
		free(esc);
	}
}

/* Every occurrence of a secret in buf replaced by "***"; the new length. */
static size_t s_scrub(char *buf, size_t len, const json_t *secrets)
{
	size_t i;
	json_t *s;
	json_array_foreach(secrets, i, s) {
		const char *v = json_string_value(s);
		size_t n = strlen(v);
		char *p = buf;
		while ((p = memmem(p, len - (size_t)(p - buf), v, n))) {
			memcpy(p, "***", 3);
			memmove(p + 3, p + n, len - (size_t)(p - buf) - n);
			len -= n - 3;
			p += 3;
		}
	}
	return len;
}

/* Writes rel (under the archive's top directory) with text scrubbed. */
static int s_put(struct bundle *b, const char *rel, char *text, size_t len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s/%s", b->dir, b->name, rel);
	len = s_scrub(text, len, b->secrets);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	size_t w = fwrite(text, 1, len, f);
	return fclose(f) == 0 && w == len ? 0 : -1;
}

static int s_put_json(struct bundle *b, const char *rel, json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(doc);
	if (!text)
		return -1;
	int rc = s_put(b, rel, text, strlen(text));
	free(text);
	return rc;
}

/* The secrets of the configuration file as it is (valid or not) and the
 * password hash, whose values are searched for in everything written. */
static json_t *s_config_part(struct bundle *b)
{
	json_t *errors = NULL;
	json_t *raw = config_read_raw(paths_config(), &errors);
	if (!raw)
		return json_pack("{s:s,s:o}", "error", "the configuration file cannot be read", "errors", errors);
	json_t *values = json_array();
	s_secrets(&s_root, raw, "", NULL, values);
	size_t i;
	json_t *v;
	json_array_foreach(values, i, v)
		s_secret_value(b->secrets, json_string_value(v));
	json_decref(values);
	char cred[4096], why[256];
	size_t len;
	snprintf(cred, sizeof cred, "%s/" PATHS_WEB_CREDENTIALS, paths_datadir());
	char *text = regular_file_read(cred, 4096, &len, why, sizeof why);
	if (text) {
		char *hash = strchr(text, ':');
		if (hash) {
			hash[strcspn(hash, "\n")] = '\0';
			s_secret_value(b->secrets, hash + 1);
		}
		explicit_bzero(text, len);
		free(text);
	}
	config_redact(raw);
	struct config *cfg = config_load(paths_config(), &errors);
	json_t *doc = json_pack("{s:o,s:b}", "file", raw, "valid", cfg != NULL);
	if (!cfg)
		json_object_set_new(doc, "errors", errors);
	config_destroy(&cfg);
	return doc;
}

/* Each daemon's whole status (every daemon asked, at most S_ASK_MS each)
 * and the versions. */
static void s_status_part(json_t **status, json_t **versions)
{
	void *z = zmq_ctx_new();
	json_t *daemons = json_object(), *dv = json_object();
	for (const char *const *n = bus_daemon_names; *n; n++) {
		char err[256];
		json_t *req = json_pack("{s:s}", "cmd", "status");
		json_t *st = ctl_request(z, paths_rundir(), *n, req, S_ASK_MS, err, sizeof err);
		json_decref(req);
		json_t *ver = json_object_get(st, "version");
		json_object_set(dv, *n, ver ? ver : json_null());
		json_object_set_new(daemons, *n, st ? st : json_pack("{s:s}", "error", err));
	}
	zmq_ctx_term(z);
	*status = json_pack("{s:o,s:o,s:I}", "daemons", daemons, "disk", disk_usage(paths_datadir()), "time",
			    (json_int_t)time(NULL));
	struct utsname u;
	char kernel[600] = "", os[256] = "";
	if (uname(&u) == 0)
		snprintf(kernel, sizeof kernel, "%s %s %s %s", u.sysname, u.release, u.version, u.machine);
	size_t len;
	char why[256];
	/* os-release(5): /etc's, else the one the system ships */
	char *rel = regular_file_read("/etc/os-release", 16384, &len, why, sizeof why);
	if (!rel)
		rel = regular_file_read("/usr/lib/os-release", 16384, &len, why, sizeof why);
	if (rel)
		os_release_value(rel, "PRETTY_NAME", os, sizeof os);
	free(rel);
	int zmaj, zmin, zpat;
	zmq_version(&zmaj, &zmin, &zpat);
	char zv[32];
	snprintf(zv, sizeof zv, "%d.%d.%d", zmaj, zmin, zpat);
	*versions = json_pack("{s:s,s:o,s:s,s:s,s:s,s:s}", "hub", HUB_VERSION, "daemons", dv, "kernel", kernel, "os", os,
			      "jansson", JANSSON_VERSION, "zeromq", zv);
}

/* The end of each daemon's current log ($ENISCOPE_LOGDIR/<name>/current,
 * svlogd's), whole lines. */
static int s_logs_part(struct bundle *b)
{
	const char *logdir = paths_logdir();
	DIR *d = opendir(logdir);
	if (!d)
		return 0; /* no logs (not under runit) is no error */
	int rc = 0;
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		if (e->d_name[0] == '.' || strlen(e->d_name) > 64)
			continue;
		char path[4200], rel[128], why[256];
		snprintf(path, sizeof path, "%s/%s/current", logdir, e->d_name);
		int fd = regular_file_open(path, O_NOFOLLOW, why, sizeof why);
		if (fd < 0)
			continue;
		off_t size = lseek(fd, 0, SEEK_END);
		off_t from = size > S_LOG_TAIL ? size - S_LOG_TAIL : 0;
		char *buf = malloc(S_LOG_TAIL + 1);
		ssize_t n = buf && size >= 0 ? pread(fd, buf, (size_t)(size - from), from) : -1;
		close(fd);
		if (n >= 0) {
			char *start = buf;
			if (from > 0 && (start = memchr(buf, '\n', (size_t)n)))
				start++;
			else if (!start)
				start = buf + n;
			snprintf(rel, sizeof rel, "logs/%s.log", e->d_name);
			rc = s_put(b, rel, start, (size_t)(buf + n - start));
		}
		free(buf);
	}
	closedir(d);
	return rc;
}

static int s_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* tar(1) of the top directory, gzipped, read back; NULL when it failed. */
static char *s_archive(struct bundle *b, size_t *len)
{
	char out[128];
	snprintf(out, sizeof out, "%s/bundle.tar.gz", b->dir);
	char *argv[] = { "tar", "-czf", out, "-C", b->dir, b->name, NULL };
	pid_t pid;
	if (posix_spawnp(&pid, "tar", NULL, NULL, argv, environ) != 0)
		return NULL;
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return NULL;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return NULL;
	char why[256];
	return regular_file_read(out, S_BUNDLE_MAX, len, why, sizeof why);
}

/* "hub" or the host name with only letters, digits and '-'. */
static void s_host(char *buf, size_t len)
{
	char h[256] = "";
	gethostname(h, sizeof h - 1);
	size_t n = 0;
	for (const char *c = h; *c && n + 1 < len; c++)
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-')
			buf[n++] = *c;
	buf[n] = '\0';
	if (!n)
		snprintf(buf, len, "hub");
}

static const char s_readme[] =
	"Eniscope hub support bundle\n"
	"\n"
	"versions.json  this software, each daemon, the kernel, the OS, libraries\n"
	"status.json    every daemon's whole status (eniscopectl status), the data disk\n"
	"config.json    the configuration file with every secret (the schema's secret keys) as \"***\",\n"
	"               and whether it validates (with the reasons when not)\n"
	"logs/          the end of each daemon's current log\n"
	"\n"
	"Never included: the admin password file, sessions, the HTTPS key.  Every secret value of\n"
	"the configuration and the password hash are searched for in everything written here and\n"
	"replaced by \"***\" (docs/API.md, GET /api/support).\n";

void api_support(struct api *a)
{
	struct bundle b = { .secrets = json_array() };
	char host[64], stamp[32];
	s_host(host, sizeof host);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(b.name, sizeof b.name, "eniscope-support-%s-%s", host, stamp);
	const char *tmp = getenv("TMPDIR");
	snprintf(b.dir, sizeof b.dir, "%s/eniscope-support.XXXXXX", tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(b.dir)) {
		json_decref(b.secrets);
		api_error(a, 500, "cannot make a temporary directory", NULL, NULL);
		return;
	}
	char path[512];
	snprintf(path, sizeof path, "%s/%s", b.dir, b.name);
	int ok = mkdir(path, 0700) == 0;
	snprintf(path, sizeof path, "%s/%s/logs", b.dir, b.name);
	ok = ok && mkdir(path, 0700) == 0;
	json_t *config = s_config_part(&b); /* first: it gathers the secrets */
	json_t *status, *versions;
	s_status_part(&status, &versions);
	char readme[sizeof s_readme];
	memcpy(readme, s_readme, sizeof readme);
	ok = ok && s_put(&b, "README.txt", readme, strlen(readme)) == 0;
	ok = s_put_json(&b, "config.json", config) == 0 && ok;
	ok = s_put_json(&b, "status.json", status) == 0 && ok;
	ok = s_put_json(&b, "versions.json", versions) == 0 && ok;
	ok = ok && s_logs_part(&b) == 0;
	size_t len = 0;
	char *tgz = ok ? s_archive(&b, &len) : NULL;
	nftw(b.dir, s_rm, 8, FTW_DEPTH | FTW_PHYS);
	json_decref(b.secrets);
	if (!tgz) {
		api_error(a, 500, "the support bundle could not be made", NULL, NULL);
		return;
	}
	snprintf(a->headers, sizeof a->headers, "Content-Disposition: attachment; filename=\"%s.tar.gz\"\r\n", b.name);
	http_send_typed(stdout, 200, "application/gzip", a->headers, tgz, len);
	free(tgz);
}

/* ---- backup and restore of the settings ---- */

#define S_BACKUP_FORMAT "eniscope-settings"

void api_backup(struct api *a)
{
	json_t *errors = NULL;
	json_t *doc = config_read_raw(paths_config(), &errors);
	if (!doc) {
		api_error(a, 500, "the configuration file cannot be read", NULL, errors);
		return;
	}
	json_t *paths = json_array();
	s_secrets(&s_root, doc, "", paths, NULL);
	char host[64], stamp[32], created[32];
	s_host(host, sizeof host);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *out = json_pack("{s:s,s:s,s:s,s:s,s:b,s:o,s:s,s:o}", "format", S_BACKUP_FORMAT, "created", created,
				"hub", host, "software", HUB_VERSION, "secrets_included", json_array_size(paths) > 0,
				"secrets", paths, "warning",
				"this file holds the hub's passwords and tokens in clear (the keys listed in "
				"\"secrets\"): keep it as safe as they are",
				"config", doc);
	snprintf(a->headers, sizeof a->headers,
		 "Content-Disposition: attachment; filename=\"eniscope-settings-%s-%s.json\"\r\n", host, stamp);
	api_reply(a, 200, out);
}

/* A redacted "***" (what a support bundle or `config show` gives) where
 * a secret goes: an error naming each, so it never becomes a password. */
static json_t *s_redacted_secrets(const json_t *cfg)
{
	json_t *paths = json_array(), *values = json_array(), *errors = json_array();
	s_secrets(&s_root, cfg, "", paths, values);
	for (size_t i = 0; i < json_array_size(values); i++)
		if (!strcmp(json_string_value(json_array_get(values, i)), "***"))
			json_array_append_new(errors, json_pack("{s:O,s:s}", "field", json_array_get(paths, i), "error",
								"\"***\" is a hidden value (from a support bundle), "
								"not the secret: give the value, or restore a backup"));
	json_decref(paths);
	json_decref(values);
	return errors;
}

/* The keys set on the hub only (CFG_LOCAL: commands daemons run, some as
 * root) are never taken from a file sent over the web, as a PUT never
 * changes them (docs/API.md): doc gets the values the hub's file holds now
 * (or none), and the path of each whose value the file would have changed
 * goes to kept. */
static void s_keep_local(json_t *doc, json_t *kept)
{
	json_t *errors = NULL;
	json_t *now = config_read_raw(paths_config(), &errors); /* unreadable: none set */
	json_decref(errors);
	for (const struct cfg_key *sec = config_schema; sec->name; sec++) {
		if (sec->type != CFG_OBJECT)
			continue;
		for (const struct cfg_key *k = sec->keys; k->name; k++) {
			if (!(k->flags & CFG_LOCAL))
				continue;
			json_t *mine = json_object_get(json_object_get(now, sec->name), k->name);
			json_t *obj = json_object_get(doc, sec->name);
			json_t *theirs = json_object_get(obj, k->name);
			if (obj && !json_is_object(obj))
				continue; /* refused by the validation */
			if ((mine || theirs) && !(mine && theirs && json_equal(mine, theirs))) {
				char path[256];
				snprintf(path, sizeof path, "%s.%s", sec->name, k->name);
				json_array_append_new(kept, json_string(path));
			}
			if (mine && !obj)
				json_object_set_new(doc, sec->name, obj = json_object());
			if (mine)
				json_object_set(obj, k->name, mine);
			else if (obj)
				json_object_del(obj, k->name);
		}
	}
	json_decref(now);
}

void api_restore(struct api *a)
{
	json_t *body = s_body(a);
	if (!body)
		return;
	const json_t *cfg = body;
	json_t *format = json_object_get(body, "format");
	if (format) {
		if (!json_is_string(format) || strcmp(json_string_value(format), S_BACKUP_FORMAT)) {
			json_decref(body);
			api_error(a, 400, "format: not a settings backup of this hub (\"" S_BACKUP_FORMAT "\")", "format",
				  NULL);
			return;
		}
		cfg = json_object_get(body, "config");
		if (!json_is_object(cfg)) {
			json_decref(body);
			api_error(a, 400, "config: a backup holds the settings as an object under \"config\"", "config",
				  NULL);
			return;
		}
	}
	json_t *version = json_object_get(cfg, "version");
	json_int_t from = json_is_integer(version) ? json_integer_value(version) : 0;
	json_t *doc = json_deep_copy(cfg);
	json_decref(body);
	json_t *kept = json_array();
	s_keep_local(doc, kept);
	json_t *errors = s_redacted_secrets(doc);
	if (json_array_size(errors) == 0) {
		json_decref(errors);
		errors = NULL;
		if (config_replace(paths_config(), doc, &errors) == 0) {
			json_decref(doc);
			json_decref(errors);
			api_reply(a, 200, json_pack("{s:b,s:I,s:i,s:o}", "ok", 1, "version_from", from, "version",
						    CONFIG_VERSION, "local_kept", kept));
			return;
		}
	}
	json_decref(doc);
	json_decref(kept);
	json_t *first = json_array_get(errors, 0);
	const char *field = json_string_value(json_object_get(first, "field"));
	char err[512];
	snprintf(err, sizeof err, "%s%s%s", field && *field ? field : "", field && *field ? ": " : "",
		 json_string_value(json_object_get(first, "error")));
	api_error(a, 400, err, field && *field ? field : NULL, errors);
}
