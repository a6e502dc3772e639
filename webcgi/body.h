/* body: a request body's named text fields, from JSON
 * ({"username":"admin",...}) or from a form (username=admin&...), for the
 * calls that take either (login, password). */
#ifndef WEB_BODY_H
#define WEB_BODY_H

#include "http.h"

#include <jansson.h>
#include <stddef.h>

struct body_field {
	const char *name;
	char *out; /* the decoded value, NUL terminated */
	size_t outlen;
};

/* Fills every field (the list ends with {NULL}); all are required.  0, or
 * the HTTP status to answer with err and *field (the name at fault, or
 * NULL): 415 for a body that is neither JSON nor a form, 400 for one that
 * does not parse, a missing field, a value that is not text, holds a
 * control character or does not fit. */
int body_fields(const struct http_request *r, const char *body, size_t len, const struct body_field *fields,
		char *err, size_t errlen, const char **field);

/* Parses a JSON body: 0 and *doc, or 400 with err naming line and column.
 * Duplicate keys are refused (which one would count is not defined). */
int body_json(const char *body, size_t len, json_t **doc, char *err, size_t errlen);

#endif
