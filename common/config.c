/* config: loading, validation, defaults, migration and the read-modify-write
 * of the configuration document.  See config.h for the invariants.
 *
 * Validation walks the schema and the document together and builds a new,
 * complete document as it goes; it never stops at the first error, so an
 * admin page can mark every bad field at once.  Checks that span several keys
 * (a static address needs a gateway, two meters cannot share a CT input)
 * run on the complete document afterwards. */
#include "config.h"

#include "atomic_file.h"
#include "log.h"
#include "msg.h"
#include "regular_file.h"
#include "zone.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH_MAX_LEN 256

static void s_error(json_t *errors, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Drops an incomplete UTF-8 sequence that truncation left at the end of s. */
static void s_utf8_trim(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	if (want != n - i + 1)
		s[i - 1] = '\0';
}

/* Every error must be recorded: a lost one would let a bad document
 * through.  Paths and messages are cut to fixed buffers, possibly inside a
 * UTF-8 character, and jansson refuses invalid UTF-8, so the cut is
 * trimmed, and anything still refused (a file name in another encoding) is
 * recorded with its non-ASCII bytes as '?'. */
static void s_error(json_t *errors, const char *field, const char *fmt, ...)
{
	char f[PATH_MAX_LEN], msg[512];
	snprintf(f, sizeof f, "%s", field);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	s_utf8_trim(f);
	s_utf8_trim(msg);
	json_t *e = json_pack("{s:s,s:s}", "field", f, "error", msg);
	if (!e) {
		for (char *p = f; *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		for (char *p = msg; *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		e = json_pack("{s:s,s:s}", "field", f, "error", msg);
	}
	json_array_append_new(errors, e);
}

static void s_path_key(char *out, const char *base, const char *key)
{
	snprintf(out, PATH_MAX_LEN, "%s%s%s", base, *base ? "." : "", key);
}

static void s_path_index(char *out, const char *base, size_t i)
{
	snprintf(out, PATH_MAX_LEN, "%s[%zu]", base, i);
}

/* The default of k as JSON, with "{id}" replaced by the slot id. */
static json_t *s_default(const struct cfg_key *k, int slot_id)
{
	if (!k->def)
		return NULL;
	char text[256];
	const char *mark = strstr(k->def, "{id}");
	if (mark)
		snprintf(text, sizeof text, "%.*s%d%s", (int)(mark - k->def), k->def, slot_id, mark + 4);
	else
		snprintf(text, sizeof text, "%s", k->def);
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	if (!v) {
		log_error("schema default of %s does not parse: %s", k->name ? k->name : "element", text);
		abort();
	}
	return v;
}

/* UTF-8 code points in s (jansson has checked it is valid UTF-8). */
static size_t s_utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Whether code point cp prints as nothing, or as something it is not: C0
 * and C1 controls, no-break and zero-width spaces, soft hyphen, line and
 * paragraph separators, bidi controls, the byte order mark. */
static bool s_invisible(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp == 0xad || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202f) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xfeff;
}

/* Copies text (at most max characters of it, "..." marking a cut) so that
 * every character that would print as nothing shows as its code point
 * (<U+00A0>), and a byte that is not UTF-8 as its value (<byte 0xff>):
 * jansson's "near '\xef\xbb\xbf'" and a value with a no-break space in it
 * would otherwise show an invisible culprit. */
static void s_visible(char *out, size_t outlen, const char *text, size_t max)
{
	size_t o = 0, chars = 0;
	out[0] = '\0';
	const unsigned char *p = (const unsigned char *)text;
	for (; *p && o + 16 < outlen && chars < max; chars++) {
		unsigned cp = *p, n = 1;
		if (cp >= 0xc0 && cp < 0xf8) {
			n = cp >= 0xf0 ? 4 : cp >= 0xe0 ? 3 : 2;
			cp &= 0x7fu >> n;
			for (unsigned i = 1; i < n; i++) {
				if ((p[i] & 0xc0) != 0x80) {
					n = 1;
					cp = *p;
					break;
				}
				cp = cp << 6 | (p[i] & 0x3fu);
			}
		}
		if (n == 1 && cp >= 0x80)
			o += (size_t)snprintf(out + o, outlen - o, "<byte 0x%02x>", cp);
		else if (s_invisible(cp))
			o += (size_t)snprintf(out + o, outlen - o, "<U+%04X>", cp);
		else {
			memcpy(out + o, p, n);
			o += n;
			out[o] = '\0';
		}
		p += n;
	}
	if (*p)
		snprintf(out + o, outlen - o, "...");
}

/* What a refused value is, for "must be X (is FOUND)": 12, 1.5, "yes",
 * true, null, a list, an object.  A secret's value is never shown, only
 * its kind. */
static const char *s_found(const json_t *v, bool secret, char *out, size_t outlen)
{
	if (json_is_string(v) && !secret) {
		char text[200];
		s_visible(text, sizeof text, json_string_value(v), 40);
		snprintf(out, outlen, "\"%s\"", text);
	} else if (json_is_string(v)) {
		snprintf(out, outlen, "text");
	} else if (json_is_integer(v) && !secret) {
		snprintf(out, outlen, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v) && !secret) {
		/* 1.0 must not read as the whole number 1 it is refused for not being */
		int n = snprintf(out, outlen, "%.15g", json_real_value(v));
		if (n > 0 && (size_t)n + 2 < outlen && !strpbrk(out, ".e"))
			strcat(out, ".0");
	} else if (json_is_number(v)) {
		snprintf(out, outlen, "a number");
	} else if (json_is_boolean(v) || json_is_null(v)) {
		snprintf(out, outlen, "%s", json_is_true(v) ? "true" : json_is_false(v) ? "false" : "null");
	} else {
		snprintf(out, outlen, "%s", json_is_array(v) ? "a list" : "an object");
	}
	return out;
}

/* Records "REASON (is FOUND)" on path. */
static void s_error_found(json_t *errors, const char *path, const struct cfg_key *k, const json_t *v,
			  const char *reason)
{
	char found[256];
	s_error(errors, path, "%s (is %s)", reason, s_found(v, k && (k->flags & CFG_SECRET), found, sizeof found));
}

static bool s_choice(const char *choices, const char *s)
{
	size_t n = strlen(s);
	for (const char *p = choices; p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && !strncmp(p, s, n))
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

static json_t *s_validate(const struct cfg_key *k, json_t *in, const char *path, json_t *errors, int slot_id);

/* The value built so far when every part of it was valid, else nothing. */
static json_t *s_keep_if(bool ok, json_t *out)
{
	if (ok)
		return out;
	json_decref(out);
	return NULL;
}

/* "a, b or c": the keys an object may hold, for an unknown key's error. */
static void s_key_names(const struct cfg_key *keys, char *out, size_t outlen)
{
	size_t o = 0;
	out[0] = '\0';
	for (const struct cfg_key *k = keys; k->name && o < outlen; k++)
		o += (size_t)snprintf(out + o, outlen - o, "%s%s", k == keys ? "" : k[1].name ? ", " : " or ", k->name);
}

static json_t *s_validate_object(const struct cfg_key *keys, json_t *in, const char *path, json_t *errors, int slot_id)
{
	if (!json_is_object(in)) {
		s_error_found(errors, path, NULL, in, "must be an object {...}");
		return NULL;
	}
	char sub[PATH_MAX_LEN];
	const char *name;
	json_t *v;
	bool ok = true;
	json_object_foreach(in, name, v) {
		const struct cfg_key *k = keys;
		while (k->name && strcmp(k->name, name))
			k++;
		if (!k->name) {
			char names[400];
			s_key_names(keys, names, sizeof names);
			s_path_key(sub, path, name);
			s_error(errors, sub, "unknown key; %s holds %s", *path ? path : "the document", names);
			ok = false;
		}
	}
	/* a slot's defaults depend on its id: read it first */
	json_t *id = json_object_get(in, "id");
	if (json_is_integer(id))
		slot_id = (int)json_integer_value(id);
	json_t *out = json_object();
	for (const struct cfg_key *k = keys; k->name; k++) {
		s_path_key(sub, path, k->name);
		json_t *got = s_validate(k, json_object_get(in, k->name), sub, errors, slot_id);
		if (got)
			json_object_set_new(out, k->name, got);
		else
			ok = false;
	}
	return s_keep_if(ok, out);
}

/* Values of CFG_UNIQUE keys must differ between the elements of an array. */
static bool s_check_unique(const struct cfg_key *item, json_t *arr, const char *path, json_t *errors)
{
	if (item->type != CFG_OBJECT)
		return true;
	bool ok = true;
	char sub[PATH_MAX_LEN], field[PATH_MAX_LEN];
	for (const struct cfg_key *k = item->keys; k->name; k++) {
		if (!(k->flags & CFG_UNIQUE))
			continue;
		for (size_t i = 0; i < json_array_size(arr); i++)
			for (size_t j = 0; j < i; j++) {
				json_t *a = json_object_get(json_array_get(arr, i), k->name);
				json_t *b = json_object_get(json_array_get(arr, j), k->name);
				if (json_equal(a, b)) {
					s_path_index(sub, path, i);
					s_path_key(field, sub, k->name);
					char found[256];
					s_error(errors, field, "must differ from %s[%zu].%s (both are %s)", path, j, k->name,
						s_found(a, k->flags & CFG_SECRET, found, sizeof found));
					ok = false;
				}
			}
	}
	return ok;
}

static json_t *s_validate_slots(const struct cfg_key *k, json_t *in, const char *path, json_t *errors)
{
	size_t n = (size_t)k->max;
	json_t *slot[CONFIG_SLOTS] = { NULL };
	size_t from[CONFIG_SLOTS];
	bool ok = true;
	char allowed[64], found[256];
	snprintf(allowed, sizeof allowed, "a whole number from 1 to %zu", n);
	size_t i;
	json_t *el;
	/* An entry whose slot is not known is named by its place in the list,
	 * on the list's own path: meters[5] would be meter 6, which it is not. */
	json_array_foreach(in, i, el) {
		json_t *id = json_object_get(el, "id");
		if (!json_is_object(el)) {
			s_error(errors, path, "entry [%zu] of the list: must be an object {\"id\": ...} (is %s)", i,
				s_found(el, false, found, sizeof found));
		} else if (!id) {
			s_error(errors, path, "entry [%zu] of the list: id is required: which slot this is, %s", i, allowed);
		} else if (!json_is_integer(id) || json_integer_value(id) < 1 || json_integer_value(id) > (json_int_t)n) {
			s_error(errors, path, "entry [%zu] of the list: id must be %s (is %s)", i, allowed,
				s_found(id, false, found, sizeof found));
		} else {
			size_t at = (size_t)json_integer_value(id) - 1;
			/* name its fields by slot, as every other path does
			 * (meters[2] is meter 3 wherever the file lists it) */
			char slot_path[PATH_MAX_LEN];
			s_path_index(slot_path, path, at);
			json_t *got = s_validate(k->item, el, slot_path, errors, (int)at + 1);
			if (slot[at]) {
				s_error(errors, path, "entry [%zu] of the list: id %zu is already used by entry [%zu]", i,
					at + 1, from[at]);
				json_decref(got);
			} else if (got) {
				slot[at] = got;
				from[at] = i;
				continue;
			}
		}
		ok = false;
	}
	char sub[PATH_MAX_LEN];
	json_t *out = json_array();
	for (size_t s = 0; s < n; s++) {
		if (!slot[s]) {
			json_t *fresh = json_pack("{s:I}", "id", (json_int_t)(s + 1));
			s_path_index(sub, path, s);
			slot[s] = s_validate(k->item, fresh, sub, errors, (int)s + 1);
			json_decref(fresh);
		}
		if (slot[s])
			json_array_append_new(out, slot[s]);
		else
			ok = false;
	}
	return s_keep_if(ok, out);
}

static json_t *s_validate_array(const struct cfg_key *k, json_t *in, const char *path, json_t *errors)
{
	if (!json_is_array(in)) {
		s_error_found(errors, path, NULL, in, "must be a list [...]");
		return NULL;
	}
	size_t n = json_array_size(in);
	if (n > (size_t)k->max || n < (size_t)k->min) {
		if (k->min == k->max)
			s_error(errors, path, "must have exactly %.0f entries (has %zu)", k->max, n);
		else
			s_error(errors, path, "must have at most %.0f entries (has %zu)", k->max, n);
		return NULL;
	}
	if (k->flags & CFG_SLOTS)
		return s_validate_slots(k, in, path, errors);
	json_t *out = json_array();
	bool ok = true;
	char sub[PATH_MAX_LEN];
	size_t i;
	json_t *el;
	json_array_foreach(in, i, el) {
		s_path_index(sub, path, i);
		json_t *got = s_validate(k->item, el, sub, errors, 0);
		if (got)
			json_array_append_new(out, got);
		else
			ok = false;
	}
	return s_keep_if(ok && s_check_unique(k->item, out, path, errors), out);
}

static json_t *s_validate_map(const struct cfg_key *k, json_t *in, const char *path, json_t *errors)
{
	if (!json_is_object(in)) {
		s_error_found(errors, path, NULL, in, "must be an object {...}");
		return NULL;
	}
	json_t *out = json_object();
	bool ok = true;
	char sub[PATH_MAX_LEN], why[256];
	const char *name;
	json_t *v;
	json_object_foreach(in, name, v) {
		s_path_key(sub, path, name);
		if (!k->format->check(name, why, sizeof why)) {
			s_error(errors, sub, "%s", why);
			ok = false;
			continue;
		}
		json_t *got = s_validate(k->item, v, sub, errors, 0);
		if (got)
			json_object_set_new(out, name, got);
		else
			ok = false;
	}
	return s_keep_if(ok, out);
}

static json_t *s_validate_string(const struct cfg_key *k, json_t *in, const char *path, json_t *errors)
{
	if (!json_is_string(in)) {
		s_error_found(errors, path, k, in, "must be text in quotes");
		return NULL;
	}
	const char *s = json_string_value(in);
	if (strlen(s) != json_string_length(in)) {
		s_error(errors, path, "must not contain a NUL character");
		return NULL;
	}
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			s_error_found(errors, path, k, in, "must not contain control characters (such as a line break)");
			return NULL;
		}
	size_t len = s_utf8_len(s);
	if (len == 0 && k->min > 0) {
		s_error(errors, path, "must not be empty");
		return NULL;
	}
	if (len > (size_t)k->max) {
		s_error(errors, path, "is too long (%zu characters, at most %.0f)", len, k->max);
		return NULL;
	}
	char why[256];
	if (len > 0 && k->format && !k->format->check(s, why, sizeof why)) {
		s_error_found(errors, path, k, in, why);
		return NULL;
	}
	return json_incref(in);
}

static json_t *s_validate(const struct cfg_key *k, json_t *in, const char *path, json_t *errors, int slot_id)
{
	json_t *def = NULL;
	if (!in) {
		def = s_default(k, slot_id);
		if (!def && k->type == CFG_OBJECT)
			def = json_object();
		else if (!def && k->type == CFG_ARRAY)
			def = json_array();
		if (!def) {
			s_error(errors, path, "is required");
			return NULL;
		}
		in = def;
	}
	json_t *out = NULL;
	if (json_is_null(in)) {
		if (k->flags & CFG_NULLABLE)
			out = json_null();
		else
			s_error(errors, path, "must not be null (leave the key out for its default)");
		json_decref(def);
		return out;
	}
	switch (k->type) {
	case CFG_BOOL:
		if (json_is_boolean(in))
			out = json_incref(in);
		else
			s_error_found(errors, path, k, in, "must be true or false");
		break;
	case CFG_INT:
		if (!json_is_integer(in)) {
			char allowed[128];
			snprintf(allowed, sizeof allowed, "must be a whole number from %.0f to %.0f", k->min, k->max);
			s_error_found(errors, path, k, in, allowed);
		} else if (json_integer_value(in) < k->min || json_integer_value(in) > k->max)
			s_error(errors, path, "must be from %.0f to %.0f (is %lld)", k->min, k->max,
				(long long)json_integer_value(in));
		else
			out = json_incref(in);
		break;
	case CFG_NUMBER:
		if (!json_is_number(in) || !isfinite(json_number_value(in))) {
			char allowed[128];
			snprintf(allowed, sizeof allowed, "must be a number from %g to %g", k->min, k->max);
			s_error_found(errors, path, k, in, allowed);
		} else if (json_number_value(in) < k->min || json_number_value(in) > k->max)
			s_error(errors, path, "must be from %g to %g (is %g)", k->min, k->max, json_number_value(in));
		else
			out = json_incref(in);
		break;
	case CFG_STRING:
		out = s_validate_string(k, in, path, errors);
		break;
	case CFG_ENUM:
		if (!json_is_string(in) || !s_choice(k->choices, json_string_value(in))) {
			char allowed[512];
			snprintf(allowed, sizeof allowed, "must be one of %s", k->choices);
			s_error_found(errors, path, k, in, allowed);
		} else
			out = json_incref(in);
		break;
	case CFG_OBJECT:
		out = s_validate_object(k->keys, in, path, errors, slot_id);
		break;
	case CFG_ARRAY:
		out = s_validate_array(k, in, path, errors);
		break;
	case CFG_MAP:
		out = s_validate_map(k, in, path, errors);
		break;
	}
	json_decref(def);
	return out;
}

/* --- checks across keys, on the complete document --- */

static const char *s_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void s_require(json_t *errors, json_t *obj, const char *base, const char *key, const char *why)
{
	const char *v = s_str(obj, key);
	if (!v || !*v) {
		char field[PATH_MAX_LEN];
		s_path_key(field, base, key);
		s_error(errors, field, "is required %s", why);
	}
}

static void s_check_network(json_t *root, json_t *errors)
{
	json_t *net = json_object_get(root, "network");
	if (json_is_true(json_object_get(net, "dhcp")))
		return;
	for (const char *const *k = (const char *const[]){ "ip", "netmask", "gateway", NULL }; *k; k++)
		s_require(errors, net, "network", *k, "when DHCP is off");
}

static void s_check_meters(json_t *root, json_t *errors)
{
	json_t *meters = json_object_get(root, "meters");
	size_t i, j;
	json_t *a, *b;
	json_array_foreach(meters, i, a) {
		if (!json_is_true(json_object_get(a, "enabled")))
			continue;
		json_array_foreach(meters, j, b) {
			if (j >= i)
				break;
			if (json_is_true(json_object_get(b, "enabled")) &&
			    json_equal(json_object_get(a, "ct_input"), json_object_get(b, "ct_input"))) {
				char field[PATH_MAX_LEN];
				snprintf(field, sizeof field, "meters[%zu].ct_input", i);
				s_error(errors, field, "CT input %lld is already used by meter %zu (one meter per connector)",
					(long long)json_integer_value(json_object_get(a, "ct_input")), j + 1);
			}
		}
	}
}

static void s_check_mqtt(json_t *root, json_t *errors)
{
	size_t i;
	json_t *m;
	char base[PATH_MAX_LEN];
	json_array_foreach(json_object_get(root, "mqtt"), i, m) {
		s_path_index(base, "mqtt", i);
		if (json_is_true(json_object_get(m, "enabled")))
			s_require(errors, m, base, "host", "when the instance is enabled");
		json_t *ids = json_object_get(m, "meters");
		for (size_t x = 0; x < json_array_size(ids); x++)
			for (size_t y = 0; y < x; y++)
				if (json_equal(json_array_get(ids, x), json_array_get(ids, y))) {
					char field[PATH_MAX_LEN];
					snprintf(field, sizeof field, "%s.meters[%zu]", base, x);
					s_error(errors, field, "meter %lld is already listed at %s.meters[%zu]; list each once",
						(long long)json_integer_value(json_array_get(ids, x)), base, y);
				}
	}
}

static void s_check_upload(json_t *root, json_t *errors)
{
	size_t i;
	json_t *u;
	char base[PATH_MAX_LEN];
	json_array_foreach(json_object_get(root, "upload"), i, u) {
		if (!json_is_true(json_object_get(u, "enabled")))
			continue;
		s_path_index(base, "upload", i);
		s_require(errors, u, base, "url", "when the target is enabled");
		if (strcmp(s_str(u, "type"), "influxdb"))
			continue;
		if (!strcmp(s_str(u, "influx_api"), "v1")) {
			s_require(errors, u, base, "influx_db", "for InfluxDB 1");
		} else {
			s_require(errors, u, base, "influx_org", "for InfluxDB 2");
			s_require(errors, u, base, "influx_bucket", "for InfluxDB 2");
		}
	}
}

static void s_check_alarms(json_t *root, json_t *errors)
{
	size_t i;
	json_t *a;
	char base[PATH_MAX_LEN], field[PATH_MAX_LEN];
	json_array_foreach(json_object_get(root, "alarms"), i, a) {
		s_path_index(base, "alarms", i);
		json_t *hi = json_object_get(a, "high"), *lo = json_object_get(a, "low");
		if (json_is_number(hi) && json_is_number(lo) && json_number_value(hi) <= json_number_value(lo)) {
			s_path_key(field, base, "high");
			s_error(errors, field, "must be above the low limit, %g (is %g)", json_number_value(lo),
				json_number_value(hi));
		}
		if (!json_is_true(json_object_get(a, "enabled")))
			continue;
		if (json_is_null(hi) && json_is_null(lo)) {
			s_path_key(field, base, "high");
			s_error(errors, field, "set a high or a low limit (or both)");
		}
		const char *hook = json_string_value(json_object_get(a, "webhook"));
		if (json_array_size(json_object_get(a, "emails")) == 0 && (!hook || !hook[0])) {
			s_path_key(field, base, "emails");
			s_error(errors, field, "give at least one address (or a webhook) to send the alarm to");
		}
	}
}

/* The display's login needs a password to check. */
static void s_check_security(json_t *root, json_t *errors)
{
	json_t *sec = json_object_get(root, "security");
	if (json_is_true(json_object_get(sec, "display_login")))
		s_require(errors, sec, "security", "display_password_hash", "when the display login is on: set the display password first");
}

/* The time-of-use periods (docs/CONFIG.md): each starts before it ends,
 * names a day once, and no two periods share a minute of a day, so the
 * price at any time is one period's or, where none covers it, the flat
 * price_per_kwh. */
static void s_check_tou(json_t *root, json_t *errors)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	json_t *tou = json_object_get(json_object_get(root, "interface"), "tou");
	char base[PATH_MAX_LEN], field[PATH_MAX_LEN];
	size_t i, j;
	json_t *a, *b;
	json_array_foreach(tou, i, a) {
		snprintf(base, sizeof base, "interface.tou[%zu]", i);
		int a0 = config_time_of_day(s_str(a, "start")), a1 = config_time_of_day(s_str(a, "end"));
		if (a0 >= a1) {
			s_path_key(field, base, "end");
			s_error(errors, field, "must be after the start, %s (is %s); split a period across midnight in two",
				s_str(a, "start"), s_str(a, "end"));
			continue;
		}
		unsigned mask = 0;
		json_t *dl = json_object_get(a, "days");
		for (size_t d = 0; d < json_array_size(dl); d++)
			for (unsigned k = 0; k < 7; k++)
				if (!strcmp(json_string_value(json_array_get(dl, d)), days[k])) {
					if (mask & 1u << k) {
						snprintf(field, sizeof field, "%s.days[%zu]", base, d);
						s_error(errors, field, "%s is listed twice; list each day once", days[k]);
					}
					mask |= 1u << k;
				}
		json_array_foreach(tou, j, b) {
			if (j >= i)
				break;
			int b0 = config_time_of_day(s_str(b, "start")), b1 = config_time_of_day(s_str(b, "end"));
			if (b0 >= b1 || a0 >= b1 || b0 >= a1)
				continue;
			json_t *bl = json_object_get(b, "days");
			for (unsigned k = 0; k < 7; k++) {
				bool in_b = false;
				for (size_t d = 0; d < json_array_size(bl); d++)
					in_b |= !strcmp(json_string_value(json_array_get(bl, d)), days[k]);
				if ((mask & 1u << k) && in_b) {
					s_path_key(field, base, "start");
					s_error(errors, field,
						"%s-%s overlaps interface.tou[%zu] (%s-%s) on %s; "
						"the periods of a day must not overlap",
						s_str(a, "start"), s_str(a, "end"), j, s_str(b, "start"), s_str(b, "end"),
						days[k]);
					break;
				}
			}
		}
	}
}

/* --- migration --- */

/* Renames key old to new in every object of array doc[section]; a value
 * already under the new name wins. */
static void s_rename_in_array(json_t *doc, const char *section, const char *old, const char *new)
{
	size_t i;
	json_t *el;
	json_array_foreach(json_object_get(doc, section), i, el) {
		json_t *v = json_object_get(el, old);
		if (!v)
			continue;
		if (!json_object_get(el, new))
			json_object_set(el, new, v);
		json_object_del(el, old);
	}
}

/* Version 0 is the unversioned draft of the design card, whose keys gave no
 * unit: "ct_rating" (amperes) and mqtt "interval" (seconds).  Version 1 names
 * units in keys, so a value is never read in the wrong one. */
static void s_migrate_0_to_1(json_t *doc)
{
	s_rename_in_array(doc, "meters", "ct_rating", "ct_rating_a");
	s_rename_in_array(doc, "mqtt", "interval", "interval_s");
}

static void (*const s_migrations[CONFIG_VERSION])(json_t *doc) = {
	s_migrate_0_to_1,
};

int config_migrate(json_t *doc, char *err, size_t errlen)
{
	json_t *v = json_object_get(doc, "version");
	json_int_t version = 0;
	char found[256];
	if (v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			snprintf(err, errlen, "must be a whole number from 0 to %d (is %s)", CONFIG_VERSION,
				 s_found(v, false, found, sizeof found));
			return -1;
		}
		version = json_integer_value(v);
	}
	if (version > CONFIG_VERSION) {
		snprintf(err, errlen, "must be at most %d, the newest this software understands (is %lld); a newer "
				      "document is refused, not guessed at",
			 CONFIG_VERSION, (long long)version);
		return -1;
	}
	for (; version < CONFIG_VERSION; version++)
		s_migrations[version](doc);
	json_object_set_new(doc, "version", json_integer(CONFIG_VERSION));
	return 0;
}

/* --- loading --- */

static json_t *s_one_error(const char *field, const char *msg)
{
	json_t *errors = json_array();
	s_error(errors, field, "%s", msg);
	return errors;
}

static void s_give_errors(json_t **out, json_t *errors)
{
	if (out)
		*out = errors;
	else
		json_decref(errors);
}

struct config *config_from_json(const json_t *doc, json_t **errors_out)
{
	if (!json_is_object(doc)) {
		json_t *errors = json_array();
		s_error_found(errors, "", NULL, doc, "the document must be a JSON object {...}");
		s_give_errors(errors_out, errors);
		return NULL;
	}
	json_t *copy = json_deep_copy(doc);
	char why[256];
	if (config_migrate(copy, why, sizeof why) < 0) {
		json_decref(copy);
		s_give_errors(errors_out, s_one_error("version", why));
		return NULL;
	}
	json_t *errors = json_array();
	const struct cfg_key root = { .name = "", .type = CFG_OBJECT, .keys = config_schema };
	json_t *full = s_validate(&root, copy, "", errors, 0);
	json_decref(copy);
	if (!full && json_array_size(errors) == 0) /* never accept what failed */
		s_error(errors, "", "the document could not be validated");
	if (full) {
		s_check_network(full, errors);
		s_check_meters(full, errors);
		s_check_mqtt(full, errors);
		s_check_upload(full, errors);
		s_check_alarms(full, errors);
		s_check_tou(full, errors);
		s_check_security(full, errors);
	}
	if (json_array_size(errors) > 0) {
		json_decref(full);
		s_give_errors(errors_out, errors);
		return NULL;
	}
	json_decref(errors);
	struct config *cfg = calloc(1, sizeof *cfg);
	if (!cfg) {
		json_decref(full);
		s_give_errors(errors_out, s_one_error("", "out of memory"));
		return NULL;
	}
	cfg->root = full;
	return cfg;
}

/* What a path with nothing at it means to the caller. */
enum s_absent {
	ABSENT_DEFAULTS, /* a new hub: every default */
	ABSENT_REFUSED,  /* the file was named to be read (config check) */
	ABSENT_VANISHED, /* the running configuration came from it */
};

/* Parses the text of the file at path (len bytes): the document, or NULL
 * with the reason in msg. */
static json_t *s_parse_file(const char *path, const char *text, size_t len, char *msg, size_t msglen)
{
	/* RFC 8259 section 8.1: a parser may ignore a UTF-8 byte order mark,
	 * which editors on Windows add; the next save drops it */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		text += 3;
		len -= 3;
	} else if (len >= 2 && (!memcmp(text, "\xff\xfe", 2) || !memcmp(text, "\xfe\xff", 2))) {
		snprintf(msg, msglen, "%s: is UTF-16 text; save it as UTF-8 (RFC 8259 section 8.1)", path);
		return NULL;
	}
	size_t blank = 0;
	while (blank < len && strchr(" \t\r\n", text[blank]) && text[blank])
		blank++;
	if (blank == len) {
		snprintf(msg, msglen, "%s: is empty; a configuration is a JSON object ({} gives every default)", path);
		return NULL;
	}
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		/* jansson stops there and reports a premature end of file */
		int line = 1;
		const char *bol = text;
		for (const char *p = text; p < nul; p++)
			if (*p == '\n') {
				line++;
				bol = p + 1;
			}
		snprintf(msg, msglen, "%s: line %d, column %d: a NUL byte; a configuration is UTF-8 text", path, line,
			 (int)(nul - bol) + 1);
		return NULL;
	}
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		char why[sizeof jerr.text * 2];
		s_visible(why, sizeof why, jerr.text, sizeof jerr.text);
		snprintf(msg, msglen, "%s: line %d, column %d: %s", path, jerr.line, jerr.column, why);
		return NULL;
	}
	if (!json_is_object(doc)) {
		char found[256];
		snprintf(msg, msglen, "%s: the document must be a JSON object {...} (is %s)", path,
			 s_found(doc, false, found, sizeof found));
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* Reads and migrates the document at path; *found tells whether a file
 * was there. */
static json_t *s_read(const char *path, enum s_absent absent, bool *found, json_t **errors)
{
	char msg[1024];
	size_t len;
	char *text = regular_file_read(path, CONFIG_FILE_MAX, &len, msg, sizeof msg);
	*found = text != NULL;
	if (!text && errno == ENOENT) {
		char target[512];
		ssize_t n = readlink(path, target, sizeof target - 1);
		if (n >= 0) {
			target[n] = '\0';
			snprintf(msg, sizeof msg, "%s: is a symbolic link to %s, which does not exist", path, target);
		} else if (absent == ABSENT_DEFAULTS) {
			return json_object();
		} else if (absent == ABSENT_REFUSED) {
			snprintf(msg, sizeof msg, "%s: no such file", path);
		} else {
			snprintf(msg, sizeof msg,
				 "%s: no such file any more, and the running configuration came from it "
				 "(to go back to the defaults, save {} in it)",
				 path);
		}
	}
	json_t *doc = text ? s_parse_file(path, text, len, msg, sizeof msg) : NULL;
	free(text);
	if (!doc) {
		s_give_errors(errors, s_one_error("", msg));
		return NULL;
	}
	if (config_migrate(doc, msg, sizeof msg) < 0) {
		json_decref(doc);
		s_give_errors(errors, s_one_error("version", msg));
		return NULL;
	}
	return doc;
}

json_t *config_read_raw(const char *path, json_t **errors)
{
	bool found;
	return s_read(path, ABSENT_DEFAULTS, &found, errors);
}

static struct config *s_load(const char *path, enum s_absent absent, json_t **errors)
{
	bool found;
	json_t *doc = s_read(path, absent, &found, errors);
	if (!doc)
		return NULL;
	struct config *cfg = config_from_json(doc, errors);
	json_decref(doc);
	if (cfg)
		cfg->from_file = found;
	return cfg;
}

struct config *config_load(const char *path, json_t **errors)
{
	return s_load(path, ABSENT_DEFAULTS, errors);
}

struct config *config_load_existing(const char *path, json_t **errors)
{
	return s_load(path, ABSENT_REFUSED, errors);
}

struct config *config_reload(const char *path, const struct config *running, json_t **errors)
{
	return s_load(path, running && running->from_file ? ABSENT_VANISHED : ABSENT_DEFAULTS, errors);
}

void config_destroy(struct config **cfgp)
{
	if (!*cfgp)
		return;
	json_decref((*cfgp)->root);
	free(*cfgp);
	*cfgp = NULL;
}

/* --- paths: "a.b[2].c" --- */

/* Reads the next step of path at *p: a key (into key) or an index (into
 * *index, key set to ""). 1 for a step, 0 at the end, -1 when malformed. */
static int s_next_step(const char **p, char *key, size_t keylen, size_t *index)
{
	const char *s = *p;
	/* a key step has no index: set it anyway, so the callers' index is
	 * defined on every path (gcc -O3 warns maybe-uninitialized otherwise) */
	*index = 0;
	if (!*s)
		return 0;
	if (*s == '[') {
		char *end;
		errno = 0;
		unsigned long v = strtoul(s + 1, &end, 10);
		if (end == s + 1 || *end != ']' || errno || s[1] == '-' || s[1] == '+')
			return -1;
		*index = v;
		key[0] = '\0';
		s = end + 1;
	} else {
		if (*s == '.')
			s++;
		size_t n = strcspn(s, ".[");
		if (n == 0 || n >= keylen)
			return -1;
		memcpy(key, s, n);
		key[n] = '\0';
		s += n;
	}
	if (*s && *s != '.' && *s != '[')
		return -1;
	*p = s;
	return 1;
}

json_t *config_get(const struct config *cfg, const char *path)
{
	json_t *v = cfg->root;
	char key[128];
	size_t index;
	int rc;
	while (v && (rc = s_next_step(&path, key, sizeof key, &index)) > 0)
		v = key[0] ? json_object_get(v, key) : json_array_get(v, index);
	return v && rc == 0 ? v : NULL;
}

static json_t *s_must(const struct config *cfg, const char *path)
{
	json_t *v = config_get(cfg, path);
	if (!v) {
		log_error("config key %s is not in the schema", path);
		abort();
	}
	return v;
}

bool config_bool(const struct config *cfg, const char *path)
{
	return json_is_true(s_must(cfg, path));
}

long long config_int(const struct config *cfg, const char *path)
{
	return (long long)json_integer_value(s_must(cfg, path));
}

double config_number(const struct config *cfg, const char *path)
{
	return json_number_value(s_must(cfg, path));
}

const char *config_string(const struct config *cfg, const char *path)
{
	return json_string_value(s_must(cfg, path));
}

int config_path_set(json_t *doc, const char *path, json_t *value, char *err, size_t errlen)
{
	const struct cfg_key root = { .name = "", .type = CFG_OBJECT, .keys = config_schema };
	const struct cfg_key *k = &root;
	json_t *parent = doc;
	char key[128];
	size_t index;
	const char *p = path;
	int rc;
	while ((rc = s_next_step(&p, key, sizeof key, &index)) > 0) {
		bool last = *p == '\0';
		json_t *child;
		if (key[0]) {
			const struct cfg_key *sub = NULL;
			if (k->type == CFG_OBJECT)
				for (sub = k->keys; sub->name && strcmp(sub->name, key); sub++)
					;
			if (k->type == CFG_MAP) {
				sub = k->item;
			} else if (!sub || !sub->name) {
				snprintf(err, errlen, "%s: no key \"%s\" there", path, key);
				return -1;
			}
			if (!json_is_object(parent)) {
				snprintf(err, errlen, "%s: \"%s\" is not inside an object", path, key);
				return -1;
			}
			if (last)
				return json_object_set(parent, key, value) == 0 ? 0 : -1;
			child = json_object_get(parent, key);
			if (!child) {
				child = sub->type == CFG_ARRAY ? json_array() : json_object();
				json_object_set_new(parent, key, child);
			}
			k = sub;
		} else {
			if (k->type != CFG_ARRAY || !json_is_array(parent)) {
				snprintf(err, errlen, "%s: [%zu] on something that is not a list", path, index);
				return -1;
			}
			if (k->flags & CFG_SLOTS) {
				/* meters[0] is the meter with id 1, whether or not
				 * the file mentions it yet */
				if (index >= (size_t)k->max) {
					snprintf(err, errlen, "%s: index %zu is past the last slot (%.0f)", path, index,
						 k->max - 1);
					return -1;
				}
				size_t i;
				json_t *el;
				child = NULL;
				json_array_foreach(parent, i, el)
					if (json_integer_value(json_object_get(el, "id")) == (json_int_t)index + 1)
						child = el;
				if (last) {
					snprintf(err, errlen, "%s: set the keys of a slot, not the slot", path);
					return -1;
				}
				if (!child) {
					child = json_pack("{s:I}", "id", (json_int_t)index + 1);
					json_array_append_new(parent, child);
				}
			} else {
				size_t n = json_array_size(parent);
				if (index > n) {
					snprintf(err, errlen, "%s: index %zu is past the end (the list has %zu)", path, index, n);
					return -1;
				}
				if (last)
					return (index == n ? json_array_append(parent, value)
							   : json_array_set(parent, index, value)) == 0 ? 0 : -1;
				child = json_array_get(parent, index);
				if (!child) {
					child = json_object();
					json_array_append_new(parent, child);
				}
			}
			k = k->item;
		}
		parent = child;
	}
	snprintf(err, errlen, "%s: not a key path (such as adc.source or meters[0].name)", path);
	return -1;
}

const struct cfg_key *config_schema_lookup(const char *path)
{
	static const struct cfg_key root = { .name = "", .type = CFG_OBJECT, .keys = config_schema };
	const struct cfg_key *k = &root;
	char key[128];
	size_t index;
	int rc;
	while ((rc = s_next_step(&path, key, sizeof key, &index)) > 0) {
		if (!key[0]) {
			if (k->type != CFG_ARRAY || index >= (size_t)k->max)
				return NULL;
			k = k->item;
		} else if (k->type == CFG_MAP) {
			k = k->item;
		} else if (k->type == CFG_OBJECT) {
			const struct cfg_key *sub = k->keys;
			while (sub->name && strcmp(sub->name, key))
				sub++;
			if (!sub->name)
				return NULL;
			k = sub;
		} else {
			return NULL;
		}
	}
	return rc == 0 && k != &root ? k : NULL;
}

/* --- saving --- */

/* The rules on what this system has rather than on the text, checked
 * when a document is saved and not when one is loaded: interface.timezone
 * must be a zone of the zone database (zone.h), the history's hours and
 * days being that zone's, but a hub whose tzdata lost a zone still starts
 * on its file (and is told at its next save).  0, or -1 with errors. */
static int s_check_system(const struct config *cfg, json_t **errors)
{
	const char *tz = config_string(cfg, "interface.timezone");
	if (zone_known(tz))
		return 0;
	char why[160];
	snprintf(why, sizeof why, "not a time zone of the zone database (e.g. Europe/London, UTC) (is \"%.64s\")", tz);
	s_give_errors(errors, s_one_error("interface.timezone", why));
	return -1;
}

/* Validates doc (migrated) whole and writes it atomically to path, whose
 * lock the caller holds; 0, or -1 with errors and the file untouched. */
static int s_save_locked(const char *path, json_t *doc, json_t **errors)
{
	char why[512];
	struct config *check = config_from_json(doc, errors);
	if (!check)
		return -1;
	int bad = s_check_system(check, errors);
	config_destroy(&check);
	if (bad)
		return -1;
	json_object_set_new(doc, "version", json_integer(CONFIG_VERSION));
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	if (!text || atomic_file_write(path, text, strlen(text), 0640, why, sizeof why) < 0) {
		s_give_errors(errors, s_one_error("", text ? why : "out of memory"));
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

int config_update(const char *path, config_edit_fn edit, void *ud, json_t **errors)
{
	char why[512];
	struct atomic_lock *lock = atomic_file_lock(path, why, sizeof why);
	if (!lock) {
		s_give_errors(errors, s_one_error("", why));
		return -1;
	}
	int rc = -1;
	json_t *doc = config_read_raw(path, errors);
	if (!doc)
		goto out;
	why[0] = '\0';
	if (edit(doc, ud, why, sizeof why) < 0) {
		s_give_errors(errors, s_one_error("", why[0] ? why : "the change could not be made"));
		goto out;
	}
	rc = s_save_locked(path, doc, errors);
out:
	json_decref(doc);
	atomic_file_unlock(&lock);
	return rc;
}

int config_replace(const char *path, const json_t *doc, json_t **errors)
{
	char why[512];
	json_t *copy = json_deep_copy(doc);
	char migrated[256];
	if (!json_is_object(copy) || config_migrate(copy, migrated, sizeof migrated) < 0) {
		/* config_from_json names what is wrong with it */
		struct config *none = config_from_json(doc, errors);
		config_destroy(&none);
		json_decref(copy);
		return -1;
	}
	struct atomic_lock *lock = atomic_file_lock(path, why, sizeof why);
	if (!lock) {
		s_give_errors(errors, s_one_error("", why));
		json_decref(copy);
		return -1;
	}
	int rc = s_save_locked(path, copy, errors);
	atomic_file_unlock(&lock);
	json_decref(copy);
	return rc;
}

void config_errors_print(const json_t *errors, const char *prefix, void *stream)
{
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e) {
		const char *field = s_str(e, "field");
		fprintf(stream, "%s: %s%s%s\n", prefix, field && *field ? field : "", field && *field ? ": " : "",
			s_str(e, "error"));
	}
}

static void s_redact(const struct cfg_key *k, json_t *v)
{
	if (k->type == CFG_OBJECT && json_is_object(v)) {
		for (const struct cfg_key *sub = k->keys; sub->name; sub++) {
			json_t *child = json_object_get(v, sub->name);
			if ((sub->flags & CFG_SECRET) && json_string_length(child) > 0)
				json_object_set_new(v, sub->name, json_string("***"));
			else if (child)
				s_redact(sub, child);
		}
	} else if (k->type == CFG_ARRAY && json_is_array(v)) {
		size_t i;
		json_t *el;
		json_array_foreach(v, i, el)
			s_redact(k->item, el);
	}
}

void config_redact(json_t *doc)
{
	const struct cfg_key root = { .name = "", .type = CFG_OBJECT, .keys = config_schema };
	s_redact(&root, doc);
}

json_t *config_redacted(const struct config *cfg)
{
	json_t *copy = json_deep_copy(cfg->root);
	config_redact(copy);
	return copy;
}

static const char *const s_type_names[] = {
	[CFG_BOOL] = "bool", [CFG_INT] = "int", [CFG_NUMBER] = "number", [CFG_STRING] = "string",
	[CFG_ENUM] = "enum", [CFG_OBJECT] = "object", [CFG_ARRAY] = "array", [CFG_MAP] = "map",
};

static json_t *s_schema_key(const struct cfg_key *k)
{
	json_t *o = json_pack("{s:s,s:s}", "type", s_type_names[k->type], "label", k->label ? k->label : "");
	if (k->name)
		json_object_set_new(o, "name", json_string(k->name));
	if (k->def)
		json_object_set_new(o, "default", json_string(k->def));
	if (k->type == CFG_INT || k->type == CFG_NUMBER || k->type == CFG_STRING || k->type == CFG_ARRAY) {
		json_object_set_new(o, "min", json_real(k->min));
		json_object_set_new(o, "max", json_real(k->max));
	}
	if (k->choices)
		json_object_set_new(o, "choices", json_string(k->choices));
	if (k->format)
		json_object_set_new(o, "format", json_string(k->format->name));
	if (k->flags & CFG_NULLABLE)
		json_object_set_new(o, "nullable", json_true());
	if (k->flags & CFG_SECRET)
		json_object_set_new(o, "secret", json_true());
	if (k->flags & CFG_LOCAL)
		json_object_set_new(o, "local", json_true());
	if (k->flags & CFG_SLOTS)
		json_object_set_new(o, "slots", json_true());
	if (k->flags & CFG_UNIQUE)
		json_object_set_new(o, "unique", json_true());
	if (k->keys) {
		json_t *keys = json_array();
		for (const struct cfg_key *sub = k->keys; sub->name; sub++)
			json_array_append_new(keys, s_schema_key(sub));
		json_object_set_new(o, "keys", keys);
	}
	if (k->item)
		json_object_set_new(o, "item", s_schema_key(k->item));
	return o;
}

json_t *config_schema_json(void)
{
	const struct cfg_key root = { .name = "", .type = CFG_OBJECT, .keys = config_schema, .label = "config" };
	json_t *o = s_schema_key(&root);
	json_object_set_new(o, "version", json_integer(CONFIG_VERSION));
	json_t *pages = json_array();
	for (const struct cfg_page *p = config_pages; p->id; p++) {
		json_t *secs = json_array();
		for (const char *s = p->sections; *s;) {
			size_t n = strcspn(s, ",");
			json_array_append_new(secs, json_stringn(s, n));
			s += n + (s[n] == ',');
		}
		json_array_append_new(pages, json_pack("{s:s,s:s,s:o}", "id", p->id, "title", p->title, "sections", secs));
	}
	json_object_set_new(o, "pages", pages);
	return o;
}
