/* api_config: the schema and one config section at a time, read and
 * written with the shared schema's validation and atomic save
 * (common/config.h, docs/API.md).  Secrets never leave the hub: a read
 * shows each as null with whether it is set; a write that leaves one null
 * keeps it. */
#include "api.h"

#include "body.h"
#include "config.h"
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void api_schema(struct api *a)
{
	api_reply(a, 200, config_schema_json());
}

static int s_by_name(const void *x, const void *y)
{
	return strcmp(json_string_value(*(json_t *const *)x), json_string_value(*(json_t *const *)y));
}

/* The time zones the system has, for interface.timezone: the names of
 * tzdata's zones and links (tzdata.zi, "Z NAME ..." and "L TARGET NAME",
 * zic(8)) under $TZDIR (glibc's variable; default /usr/share/zoneinfo),
 * sorted; ["UTC"] when the list cannot be read. */
void api_timezones(struct api *a)
{
	const char *dir = getenv("TZDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/tzdata.zi", dir && *dir ? dir : "/usr/share/zoneinfo");
	json_t *names = json_array();
	FILE *f = fopen(path, "re");
	char line[512], name[128];
	while (f && fgets(line, sizeof line, f))
		if ((line[0] == 'Z' && sscanf(line, "Z %127s", name) == 1) ||
		    (line[0] == 'L' && sscanf(line, "L %*s %127s", name) == 1))
			json_array_append_new(names, json_string(name));
	if (f)
		fclose(f);
	size_t n = json_array_size(names);
	if (n == 0) {
		json_array_append_new(names, json_string("UTC"));
		n = 1;
	}
	json_t **v = malloc(n * sizeof *v);
	if (!v) {
		json_decref(names);
		api_error(a, 500, "out of memory", NULL, NULL);
		return;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(names, i));
	qsort(v, n, sizeof *v, s_by_name);
	json_array_clear(names);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(names, v[i]);
	free(v);
	api_reply(a, 200, json_pack("{s:o}", "timezones", names));
}

/* The schema row of a top-level section, NULL for none (or "version"). */
static const struct cfg_key *s_section(const char *name)
{
	for (const struct cfg_key *k = config_schema; k->name; k++)
		if (!strcmp(k->name, name) && (k->type == CFG_OBJECT || k->type == CFG_ARRAY))
			return k;
	return NULL;
}

/* The object an array section holds (meters' meter), or the section. */
static const struct cfg_key *s_object_of(const struct cfg_key *k)
{
	return k->type == CFG_ARRAY ? k->item : k;
}

/* Replaces every secret in obj (an object described by keys) with null,
 * noting in secrets under prefix.key whether it was set. */
static void s_hide(json_t *obj, const struct cfg_key *okey, const char *prefix, json_t *secrets)
{
	if (!json_is_object(obj) || !okey->keys)
		return;
	for (const struct cfg_key *k = okey->keys; k->name; k++) {
		json_t *v = json_object_get(obj, k->name);
		if (!v || !(k->flags & CFG_SECRET))
			continue;
		char path[256];
		snprintf(path, sizeof path, "%s.%s", prefix, k->name);
		json_object_set_new(secrets, path, json_boolean(json_is_string(v) && *json_string_value(v)));
		json_object_set_new(obj, k->name, json_null());
	}
}

/* {"section","value","secrets"} for the section of cfg. */
static json_t *s_view(const struct config *cfg, const struct cfg_key *sec)
{
	json_t *value = json_deep_copy(json_object_get(cfg->root, sec->name));
	json_t *secrets = json_object();
	if (sec->type == CFG_ARRAY) {
		size_t i;
		json_t *e;
		json_array_foreach(value, i, e) {
			char prefix[64];
			snprintf(prefix, sizeof prefix, "%s[%zu]", sec->name, i);
			s_hide(e, sec->item, prefix, secrets);
		}
	} else {
		s_hide(value, sec, sec->name, secrets);
	}
	return json_pack("{s:s,s:o,s:o}", "section", sec->name, "value", value, "secrets", secrets);
}

struct config *api_config_load(struct api *a)
{
	json_t *errors = NULL;
	struct config *cfg = config_load(paths_config(), &errors);
	if (!cfg)
		api_error(a, 500, "the configuration file is not valid", NULL, errors);
	return cfg;
}

void api_config_get(struct api *a)
{
	const struct cfg_key *sec = s_section(a->arg);
	if (!sec) {
		api_error(a, 404, "no such config section", NULL, NULL);
		return;
	}
	struct config *cfg = api_config_load(a);
	if (!cfg)
		return;
	api_reply(a, 200, s_view(cfg, sec));
	config_destroy(&cfg);
}

/* ---- writing ---- */

struct put {
	const struct cfg_key *sec;
	json_t *value; /* the body */
};

/* The key of okey's objects that identifies one in a list (title, name,
 * id: CFG_UNIQUE), NULL when none. */
static const char *s_identity(const struct cfg_key *okey)
{
	for (const struct cfg_key *k = okey->keys; k && k->name; k++)
		if (k->flags & CFG_UNIQUE)
			return k->name;
	return NULL;
}

/* Sets the keys of from into to, a null secret keeping to's value. */
static void s_merge(json_t *to, json_t *from, const struct cfg_key *okey)
{
	const char *name;
	json_t *v;
	json_object_foreach(from, name, v) {
		const struct cfg_key *k = NULL;
		for (const struct cfg_key *s = okey->keys; s && s->name; s++)
			if (!strcmp(s->name, name))
				k = s;
		if (k && (k->flags & CFG_SECRET) && json_is_null(v))
			continue;
		json_object_set(to, name, v);
	}
}

/* The element of list whose key equals v's, NULL when none. */
static json_t *s_find(json_t *list, const char *key, json_t *v)
{
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		if (json_is_object(e) && v && json_equal(json_object_get(e, key), v))
			return e;
	}
	return NULL;
}

static int s_edit(json_t *doc, void *ud, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	struct put *p = ud;
	const struct cfg_key *sec = p->sec, *okey = s_object_of(sec);
	json_t *old = json_object_get(doc, sec->name);
	if (sec->type == CFG_OBJECT) {
		json_t *to = json_is_object(old) ? json_incref(old) : json_object();
		s_merge(to, p->value, okey);
		json_object_set_new(doc, sec->name, to);
		return 0;
	}
	json_t *list = json_array();
	if (sec->flags & CFG_SLOTS) {
		/* slots: the file's elements stay, the body's are merged by id */
		size_t i;
		json_t *e;
		if (json_is_array(old))
			json_array_foreach(old, i, e) json_array_append_new(list, json_deep_copy(e));
		json_array_foreach(p->value, i, e) {
			json_t *to = s_find(list, "id", json_object_get(e, "id"));
			if (!to) {
				to = json_object();
				json_array_append_new(list, to);
			}
			s_merge(to, e, okey);
		}
	} else {
		/* a list: the body's replaces it; secrets kept by identity */
		const char *id = s_identity(okey);
		size_t i;
		json_t *e;
		json_array_foreach(p->value, i, e) {
			json_t *was = id ? s_find(old, id, json_object_get(e, id)) : json_array_get(old, i);
			json_t *to = json_object();
			for (const struct cfg_key *k = okey->keys; was && k->name; k++) {
				json_t *v = json_object_get(was, k->name);
				if ((k->flags & CFG_SECRET) && v)
					json_object_set(to, k->name, v);
			}
			s_merge(to, e, okey);
			json_array_append_new(list, to);
		}
	}
	json_object_set_new(doc, sec->name, list);
	return 0;
}

/* The body's shape: an object for an object section, a list of objects
 * (each with an "id" for slots) for a list.  NULL when fine. */
static const char *s_shape(const struct cfg_key *sec, const json_t *v)
{
	if (sec->type == CFG_OBJECT)
		return json_is_object(v) ? NULL : "must be an object";
	if (!json_is_array(v))
		return "must be a list";
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		if (!json_is_object(e))
			return "every element must be an object";
		if ((sec->flags & CFG_SLOTS) && !json_is_integer(json_object_get(e, "id")))
			return "every element needs its \"id\"";
	}
	return NULL;
}

/* A key of the body that may be set on the hub only (CFG_LOCAL) and
 * differs from its value now: its path in field, else false.  Only the
 * object sections have such keys; a value equal to the one in force
 * passes, so a form that sends a whole section back is not refused. */
static bool s_local_changed(const struct cfg_key *sec, const json_t *body, const struct config *cfg, char *field,
			    size_t fieldlen)
{
	if (sec->type != CFG_OBJECT)
		return false;
	for (const struct cfg_key *k = sec->keys; k->name; k++) {
		json_t *v = json_object_get(body, k->name);
		if (!(k->flags & CFG_LOCAL) || !v)
			continue;
		snprintf(field, fieldlen, "%s.%s", sec->name, k->name);
		if (!cfg || !json_equal(v, config_get(cfg, field)))
			return true;
	}
	return false;
}

void api_config_put(struct api *a)
{
	const struct cfg_key *sec = s_section(a->arg);
	if (!sec) {
		api_error(a, 404, "no such config section", NULL, NULL);
		return;
	}
	if (!http_media_type(&a->w.req, "application/json")) {
		api_error(a, 415, "body must be application/json", NULL, NULL);
		return;
	}
	char err[512];
	struct put p = { .sec = sec };
	int rc = body_json(a->body, a->body_len, &p.value, err, sizeof err);
	if (rc) {
		api_error(a, rc, err, NULL, NULL);
		return;
	}
	const char *why = s_shape(sec, p.value);
	if (why) {
		snprintf(err, sizeof err, "%s: %s", sec->name, why);
		api_error(a, 400, err, sec->name, NULL);
		json_decref(p.value);
		return;
	}
	/* against the values in force; a file that is not valid (a PUT may be
	 * what repairs it) against the defaults */
	struct config *now = config_load(paths_config(), NULL);
	if (!now) {
		json_t *empty = json_object();
		now = config_from_json(empty, NULL);
		json_decref(empty);
	}
	char field[256];
	bool local = s_local_changed(sec, p.value, now, field, sizeof field);
	config_destroy(&now);
	if (local) {
		snprintf(err, sizeof err, "%s: is set on the hub itself (eniscopectl config set, or the file), not over the web",
			 field);
		api_error(a, 403, err, field, NULL);
		json_decref(p.value);
		return;
	}
	json_t *errors = NULL;
	rc = config_update(paths_config(), s_edit, &p, &errors);
	json_decref(p.value);
	if (rc < 0) {
		json_t *first = json_array_get(errors, 0);
		const char *field = json_string_value(json_object_get(first, "field"));
		snprintf(err, sizeof err, "%s%s%s", field && *field ? field : "", field && *field ? ": " : "",
			 json_string_value(json_object_get(first, "error")));
		api_error(a, 400, err, field && *field ? field : NULL, errors);
		return;
	}
	json_decref(errors);
	struct config *cfg = api_config_load(a);
	if (!cfg)
		return;
	json_t *view = s_view(cfg, sec);
	json_object_set_new(view, "ok", json_true());
	api_reply(a, 200, view);
	config_destroy(&cfg);
}
