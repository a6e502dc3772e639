/* api: the admin's JSON API CGI (docs/API.md): one program that routes
 * by PATH_INFO to a handler per call.  A handler answers through
 * api_reply/api_error exactly once. */
#ifndef WEB_API_H
#define WEB_API_H

#include "web.h"

#include <jansson.h>
#include <stddef.h>

struct api {
	struct web w;
	const char *arg; /* what follows a route's prefix ("network" for /config/network) */
	char *body;
	size_t body_len;
	char headers[512]; /* extra header lines of the answer (Set-Cookie) */
};

/* Sends doc (stolen) with status. */
void api_reply(struct api *a, int status, json_t *doc);
/* Sends {"error":msg,"field":field} (field NULL: none; errors, stolen,
 * may be NULL: the list of every {"field","error"} found). */
void api_error(struct api *a, int status, const char *msg, const char *field, json_t *errors);
struct config;
/* The config in force (api_config.c); NULL when it cannot be read, the
 * 500 answer sent. */
struct config *api_config_load(struct api *a);
struct body_field;
/* A login (the admin's, the display's), password change or new display
 * password (api_auth.c):
 * not too fast for the caller's address after failed logins (ratelimit.h;
 * else 429 with Retry-After), then the body's fields (body.h; else its
 * refusal).  false when it answered already. */
bool api_login_fields(struct api *a, const struct body_field *fields);

/* The status of daemon name (asked within a second), or NULL after
 * answering 503 "<name>: why". */
json_t *api_daemon_status(struct api *a, const char *name);
/* Sends req (stolen) to daemon name's control socket and answers with
 * what came back: 202 and its answer; 400 with its error (field given when
 * the error begins "<field>:"), 409 when it says it is busy; 503 when it
 * does not answer. */
void api_daemon_command(struct api *a, const char *name, json_t *req, const char *field);
/* The same for a body {"<field>":"text"}: {"cmd":cmd,"<field>":text} to
 * daemon name, which checks the value (400 "<field>: must be <what>" when
 * it is not a string). */
void api_daemon_field_command(struct api *a, const char *name, const char *cmd, const char *field, const char *what);

/* The handlers, by concern. */
void api_login(struct api *a);
void api_logout(struct api *a);
void api_session(struct api *a);
void api_language(struct api *a);
void api_password(struct api *a);
void api_display_password(struct api *a);
void api_schema(struct api *a);
void api_timezones(struct api *a);
void api_logo_get(struct api *a);
void api_logo_put(struct api *a);
void api_logo_delete(struct api *a);
void api_config_get(struct api *a);
void api_config_put(struct api *a);
void api_status(struct api *a);
void api_probes(struct api *a);
void api_alarms(struct api *a);
void api_alarms_test_email(struct api *a);
void api_display(struct api *a);
void api_display_login(struct api *a);
/* POST /api/update: updated runs the update command (docs/SYSTEM.md). */
void api_update(struct api *a);
void api_history(struct api *a);
void api_alarms_log(struct api *a);
void api_reset(struct api *a);
void api_reset_state(struct api *a);
void api_reboot(struct api *a);
void api_support(struct api *a);
void api_backup(struct api *a);
void api_restore(struct api *a);

#endif
