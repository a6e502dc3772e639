/* body: see body.h. */
#include "body.h"

#include "form.h"

#include <stdio.h>
#include <string.h>

int body_json(const char *body, size_t len, json_t **doc, char *err, size_t errlen)
{
	json_error_t je;
	*doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!*doc) {
		snprintf(err, errlen, "body is not JSON: %s (line %d, column %d)", je.text, je.line, je.column);
		return 400;
	}
	return 0;
}

static int s_from_json(const char *body, size_t len, const struct body_field *fields, char *err, size_t errlen,
		       const char **field)
{
	json_t *doc;
	int rc = body_json(body, len, &doc, err, errlen);
	if (rc)
		return rc;
	if (!json_is_object(doc)) {
		json_decref(doc);
		snprintf(err, errlen, "body must be a JSON object");
		return 400;
	}
	for (const struct body_field *f = fields; f->name; f++) {
		json_t *v = json_object_get(doc, f->name);
		const char *why = NULL;
		if (!v)
			why = "missing";
		else if (!json_is_string(v))
			why = "must be text";
		else if (json_string_length(v) >= f->outlen)
			why = "too long";
		else
			for (const unsigned char *p = (const unsigned char *)json_string_value(v); *p && !why; p++)
				if (*p < 0x20 || *p == 0x7f)
					why = "must not contain control characters";
		if (why) {
			*field = f->name;
			snprintf(err, errlen, "%s: %s", f->name, why);
			json_decref(doc);
			return 400;
		}
		memcpy(f->out, json_string_value(v), json_string_length(v) + 1);
	}
	json_decref(doc);
	return 0;
}

int body_fields(const struct http_request *r, const char *body, size_t len, const struct body_field *fields,
		char *err, size_t errlen, const char **field)
{
	*field = NULL;
	if (http_media_type(r, "application/json"))
		return s_from_json(body, len, fields, err, errlen, field);
	if (!http_media_type(r, "application/x-www-form-urlencoded")) {
		snprintf(err, errlen, "body must be application/json or application/x-www-form-urlencoded");
		return 415;
	}
	for (const struct body_field *f = fields; f->name; f++) {
		int rc = form_get(body, len, f->name, f->out, f->outlen);
		if (rc != 1) {
			*field = f->name;
			snprintf(err, errlen, "%s: %s", f->name,
				 rc == 0 ? "missing" : "badly encoded, too long or holds a control character");
			return 400;
		}
	}
	return 0;
}
