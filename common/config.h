/* config: the hub's one configuration document ($ENISCOPE_CONF), described
 * once in a schema table (config_schema.c) from which loading, defaults,
 * validation, migration, `eniscopectl config` and the admin pages all work.
 *
 * Invariants:
 *  - A file may give only some sections or keys; the rest take defaults.
 *    "meters" and "pulses" are slots keyed by "id" (1..8): the loaded
 *    document always has all eight, sorted by id.
 *  - A document is accepted whole or not at all: config_from_json() either
 *    returns a complete, validated config or every error it found, each
 *    naming the field ("meters[0].ct_rating_a") and the reason.
 *  - The document carries "version"; an older one is migrated forward in
 *    memory on load and written in the new form on the next save.  A newer
 *    one is refused, never guessed at.
 *  - Saves are atomic and serialised (atomic_file.h): readers see the old
 *    file or the new one, never a mix, and two writers never lose an update.
 * docs/CONFIG.md lists every key. */
#ifndef HUB_CONFIG_H
#define HUB_CONFIG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CONFIG_VERSION 1
#define CONFIG_SLOTS 8 /* metering points, pulse inputs */
/* The largest file read as a configuration.  The biggest valid document
 * (every list full, every text at its longest) is a few hundred KiB; a
 * larger file is a mistake, not a configuration. */
#define CONFIG_FILE_MAX (1024 * 1024)

enum cfg_type {
	CFG_BOOL,
	CFG_INT,
	CFG_NUMBER,
	CFG_STRING, /* optionally with a format (hostname, ipv4, ...) */
	CFG_ENUM,   /* a string from choices "a|b|c" */
	CFG_OBJECT, /* keys in .keys */
	CFG_ARRAY,  /* elements as .item; at most .max of them */
	CFG_MAP,    /* object whose keys pass .format, values as .item */
};

/* flags */
#define CFG_NULLABLE 0x1u /* null is a valid value ("not set") */
#define CFG_SECRET 0x2u   /* never printed by `config show`/status; shown as "***" */
#define CFG_SLOTS 0x4u    /* ARRAY of objects keyed by "id" 1..max, always all present */
#define CFG_UNIQUE 0x8u   /* within an ARRAY of objects: no two elements share this value */
/* Set on the hub itself only (eniscopectl, the file), never through the
 * web API: a command a daemon runs, as root for updated, so a web session
 * that could change it could run anything on the hub. */
#define CFG_LOCAL 0x10u

struct cfg_format {
	const char *name; /* as the schema export names it: "hostname", "ipv4" ... */
	bool (*check)(const char *s, char *why, size_t whylen);
};

struct cfg_key {
	const char *name;
	enum cfg_type type;
	/* default as JSON text; "{id}" in it is replaced by the slot's id.
	 * NULL for OBJECT/ARRAY (built from their keys) and for required keys. */
	const char *def;
	double min, max; /* INT/NUMBER: range; STRING: length; ARRAY: items */
	const char *choices;
	const struct cfg_format *format;
	unsigned flags;
	const struct cfg_key *keys; /* OBJECT: ends with a {NULL} entry */
	const struct cfg_key *item; /* ARRAY, MAP: what each element is */
	const char *label;          /* the manual's words for it, for forms and docs */
};

/* The whole document: the root object's keys. */
extern const struct cfg_key config_schema[];

/* The admin's pages in the manual's menu order, each with the sections it
 * edits ("" for a page that shows live data only); ends with {NULL}. */
struct cfg_page {
	const char *id;       /* stable, for URLs: "network" */
	const char *title;    /* the manual's menu entry: "Network Setup" */
	const char *sections; /* top-level keys, comma separated: "pulses,pulse_input" */
};
extern const struct cfg_page config_pages[];

extern const struct cfg_format cfg_fmt_hostname, cfg_fmt_host, cfg_fmt_ipv4, cfg_fmt_netmask, cfg_fmt_email,
	cfg_fmt_url, cfg_fmt_mac, cfg_fmt_w1_id, cfg_fmt_colour, cfg_fmt_path, cfg_fmt_adc_source, cfg_fmt_pulse_source, cfg_fmt_button_source, cfg_fmt_led_name,
	cfg_fmt_timezone, cfg_fmt_mqtt_topic, cfg_fmt_adc_channel, cfg_fmt_iio_channel, cfg_fmt_time_of_day, cfg_fmt_crypt_hash,
	cfg_fmt_ifname, cfg_fmt_apt_word, cfg_fmt_apt_words, cfg_fmt_deb_package;

/* A time of day "HH:MM" (24-hour clock, "24:00" the midnight that ends a
 * day) as minutes since midnight, 0..1440; -1 when s is not one. */
int config_time_of_day(const char *s);

struct config {
	json_t *root;   /* complete and validated: every key present */
	bool from_file; /* read from a file; false: no file, the defaults of a new hub */
};

/* Validates doc (not modified) and builds the complete config.  On failure
 * returns NULL and, when errors is not NULL, a new array of
 * {"field":"...","error":"..."} objects, one per problem found. */
struct config *config_from_json(const json_t *doc, json_t **errors);
/* Reads and validates a file.  Only a regular file is read (a FIFO, a
 * device or a directory is refused at once, regular_file.h), of at most
 * CONFIG_FILE_MAX bytes, UTF-8 with or without a byte order mark.  Nothing
 * at the path gives the defaults of a new hub; a symbolic link to nothing,
 * an unreadable or unparsable file is an error naming the path (and line
 * and column). */
struct config *config_load(const char *path, json_t **errors);
/* As config_load, but nothing at the path is an error too ("no such
 * file"): for a file named to be checked. */
struct config *config_load_existing(const char *path, json_t **errors);
/* Loads the file to replace the running config (NULL when there is none).
 * When running came from a file, that file vanishing is an error, not a
 * return to the defaults: a deleted file must not silently drop every
 * meter and target.  Only a hub that never had a file runs on defaults. */
struct config *config_reload(const char *path, const struct config *running, json_t **errors);
void config_destroy(struct config **cfg);

/* The raw document in the file (not defaulted), migrated to
 * CONFIG_VERSION; an empty document when nothing is at the path.  NULL
 * with errors when the file cannot be read or parsed (as config_load). */
json_t *config_read_raw(const char *path, json_t **errors);

/* Migrates doc in place to CONFIG_VERSION; -1 with a reason when its
 * version is newer than this software or not a number. */
int config_migrate(json_t *doc, char *err, size_t errlen);

/* Value at a path such as "adc.source" or "meters[0].ct_rating_a";
 * borrowed, NULL when there is no such key. */
json_t *config_get(const struct config *cfg, const char *path);
/* Shortcuts for a path given as text (what a user typed, tests); they abort
 * on a path that is not in the schema.  Daemons read keys through the typed
 * accessors of config_keys.h instead, where a wrong key fails to build. */
bool config_bool(const struct config *cfg, const char *path);
long long config_int(const struct config *cfg, const char *path);
double config_number(const struct config *cfg, const char *path);
const char *config_string(const struct config *cfg, const char *path); /* NULL when null */

/* Sets the value at path in the raw document doc, creating objects and
 * slot elements on the way.  -1 with a reason when the path is malformed or
 * names no schema key. */
int config_path_set(json_t *doc, const char *path, json_t *value, char *err, size_t errlen);

/* The schema row a path names ("meters[0].name" -> the name key), or NULL
 * when the path is malformed or names nothing. */
const struct cfg_key *config_schema_lookup(const char *path);

/* The read-modify-write every writer uses (eniscopectl, CGIs): under the
 * config's lock, reads the raw file, lets edit change it, validates the
 * result whole and saves it atomically.  Returns 0, or -1 with errors (the
 * validation errors, or one {"field":"","error":why} entry) and the file
 * untouched. */
typedef int (*config_edit_fn)(json_t *doc, void *ud, char *err, size_t errlen);
int config_update(const char *path, config_edit_fn edit, void *ud, json_t **errors);

/* Replaces the whole file with doc (not modified), migrated from an older
 * version and validated whole, under the same lock and atomically, never
 * reading what the file holds (a broken file is replaced too): a restored
 * backup, the factory document of a reset.  0, or -1 with errors (as
 * config_from_json's) and the file untouched. */
int config_replace(const char *path, const json_t *doc, json_t **errors);

/* Prints errors as "prefix: field: reason" lines to stream. */
void config_errors_print(const json_t *errors, const char *prefix, void *stream);
/* A copy of the document with every CFG_SECRET value replaced by "***". */
json_t *config_redacted(const struct config *cfg);
/* The same on a raw document (a file that may not validate), in place. */
void config_redact(json_t *doc);
/* The schema as JSON (types, ranges, defaults, labels) for forms and docs,
 * with "pages": config_pages as {"id","title","sections":[...]}. */
json_t *config_schema_json(void);

#endif
