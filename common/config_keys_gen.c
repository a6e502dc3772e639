/* config_keys_gen: writes config_keys.h, one typed accessor per key of the
 * schema table (config_schema.c), so a daemon reads
 *
 *     cfg_meters_temp_sensor(cfg, i)     not   config_string(cfg, "meters[%d].temp_sensor")
 *
 * and a key that is not in the schema, or read as the wrong type, fails to
 * build instead of aborting at run time.  The build runs it (common's
 * meson.build) whenever the schema changes; the header lands in the build
 * directory next to the library.
 *
 * Names: cfg_<section>_<key>..., joined by '_' down the tree.  An array
 * adds an int index parameter per level (i, j, k) and gets _count; an array
 * of scalars gets _at(..., index) for one element; an array of objects at
 * the top (meters, pulses, mqtt, upload, alarms) also gets _of(elem)
 * accessors for code that keeps the element (uploadd's targets).  Types:
 * bool, long long, double, const char * (NULL when the key is null),
 * const json_t * (borrowed) for objects, maps, arrays and a nullable
 * number (alarms' limits: null is "no limit").  The config is
 * complete and validated (config.h), so every key an accessor names is
 * there; an index out of range reads as 0/NULL. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *s_out;

static const char *s_ctype(enum cfg_type t)
{
	switch (t) {
	case CFG_BOOL:
		return "bool";
	case CFG_INT:
		return "long long";
	case CFG_NUMBER:
		return "double";
	case CFG_STRING:
	case CFG_ENUM:
		return "const char *";
	default:
		return "const json_t *";
	}
}

/* The value expression of type t over the json expression e. */
static void s_value(enum cfg_type t, const char *e, char *buf, size_t len)
{
	switch (t) {
	case CFG_BOOL:
		snprintf(buf, len, "json_is_true(%s)", e);
		break;
	case CFG_INT:
		snprintf(buf, len, "(long long)json_integer_value(%s)", e);
		break;
	case CFG_NUMBER:
		snprintf(buf, len, "json_number_value(%s)", e);
		break;
	case CFG_STRING:
	case CFG_ENUM:
		snprintf(buf, len, "json_string_value(%s)", e);
		break;
	default:
		snprintf(buf, len, "%s", e);
		break;
	}
}

static const char *const s_index[] = { "i", "j", "k", "l" };

/* One function: ctype name(params) { return value; } with its comment. */
static void s_fn(const char *ctype, const char *name, const char *params, const char *value, const char *path,
		 const char *what)
{
	fprintf(s_out, "/* %s: %s */\nstatic inline %s%s%s(%s)\n{\n\treturn %s;\n}\n\n", path, what, ctype,
		ctype[strlen(ctype) - 1] == '*' ? "" : " ", name, params, value);
}

static void s_key(const struct cfg_key *k, const char *name, const char *expr, const char *params, int depth,
		  const char *path, bool deep);

/* Every key of an object whose json expression is expr; deep: and the
 * keys of its objects and arrays (not for the _of forms: their element's
 * own keys are what a holder of the element reads). */
static void s_object(const struct cfg_key *keys, const char *prefix, const char *suffix, const char *expr,
		     const char *params, int depth, const char *path, bool deep)
{
	for (const struct cfg_key *k = keys; k->name; k++) {
		char name[256], e[1024], p[512];
		snprintf(name, sizeof name, "%s_%s%s", prefix, k->name, suffix);
		snprintf(e, sizeof e, "json_object_get(%s, \"%s\")", expr, k->name);
		snprintf(p, sizeof p, "%s%s%s", path, path[0] ? "." : "", k->name);
		s_key(k, name, e, params, depth, p, deep);
	}
}

static void s_key(const struct cfg_key *k, const char *name, const char *expr, const char *params, int depth,
		  const char *path, bool deep)
{
	char value[1200];
	const char *what = k->label ? k->label : "";
	/* a nullable number or bool reads as its JSON, so null stays visible */
	enum cfg_type t = (k->flags & CFG_NULLABLE) && k->type != CFG_STRING && k->type != CFG_ENUM ? CFG_OBJECT
												       : k->type;
	s_value(t, expr, value, sizeof value);
	s_fn(s_ctype(t), name, params, value, path, what);
	if (!deep)
		return;
	if (k->type == CFG_OBJECT) {
		s_object(k->keys, name, "", expr, params, depth, path, true);
		return;
	}
	if (k->type != CFG_ARRAY)
		return;
	char count[1200], ip[512], ie[1100], ipath[512];
	snprintf(count, sizeof count, "json_array_size(%s)", expr);
	char cname[300];
	snprintf(cname, sizeof cname, "%s_count", name);
	s_fn("size_t", cname, params, count, path, "how many elements");
	const char *x = s_index[depth];
	snprintf(ip, sizeof ip, "%s, int %s", params, x);
	snprintf(ie, sizeof ie, "json_array_get(%s, (size_t)%s)", expr, x);
	snprintf(ipath, sizeof ipath, "%s[%s]", path, x);
	if (k->item->type == CFG_OBJECT) {
		s_object(k->item->keys, name, "", ie, ip, depth + 1, ipath, true);
		if (depth == 0) /* the same keys of an element already in hand */
			s_object(k->item->keys, name, "_of", "elem", "const json_t *elem", depth, ipath, false);
	} else {
		char at[300];
		snprintf(at, sizeof at, "%s_at", name);
		s_value(k->item->type, ie, value, sizeof value);
		s_fn(s_ctype(k->item->type), at, ip, value, ipath, k->item->label ? k->item->label : "");
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: config_keys_gen OUTPUT.h\n");
		return 2;
	}
	s_out = fopen(argv[1], "w");
	if (!s_out) {
		perror(argv[1]);
		return 1;
	}
	fprintf(s_out, "/* config_keys.h: typed accessors of every configuration key, written by\n"
		       " * common/config_keys_gen.c from the schema table (common/config_schema.c):\n"
		       " * do not edit.  See config_keys_gen.c for the names and types. */\n"
		       "#ifndef HUB_CONFIG_KEYS_H\n#define HUB_CONFIG_KEYS_H\n\n#include \"config.h\"\n\n"
		       "#include <stdbool.h>\n#include <stddef.h>\n\n");
	s_object(config_schema, "cfg", "", "cfg->root", "const struct config *cfg", 0, "", true);
	fprintf(s_out, "#endif\n");
	if (fclose(s_out) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
