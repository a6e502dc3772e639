/* session: the admin sessions, one 0600 file each in a 0700 directory
 * ($ENISCOPE_RUNDIR/web/sessions: tmpfs, so a reboot ends them all).
 *
 * A session id is 64 hex digits (256 random bits).  Its first
 * SESSION_SELECTOR_LEN digits name the file; the rest (the verifier) is
 * stored in it and compared in constant time, so the file system's lookup
 * time says nothing about a secret (the "split token" pattern).  Ids are
 * never reused: login, logout and password change make or end one, never
 * change one in place (OWASP Session Management: renew the id at each
 * privilege change).  A session ends SESSION_LIFETIME_S after it began,
 * whatever the activity (absolute timeout). */
#ifndef WEB_SESSION_H
#define WEB_SESSION_H

#include <stdbool.h>

#define SESSION_ID_LEN 64
#define SESSION_SELECTOR_LEN 24
#define SESSION_LIFETIME_S (8 * 3600)
#define SESSION_MAX 32 /* the oldest go first beyond this */
#define SESSION_USER_MAX 32

struct session {
	char id[SESSION_ID_LEN + 1];
	char csrf[SESSION_ID_LEN + 1];
	char user[SESSION_USER_MAX + 1];
	bool must_change; /* logged in with the factory password */
	long long created; /* Unix seconds */
};

/* Makes a new session for user (letters and digits, at most
 * SESSION_USER_MAX) with fresh id and CSRF token.  0, or -1 with errno. */
int session_create(const char *dir, const char *user, bool must_change, long long now, struct session *s);
/* 1 and s filled when id names a live session; 0 when it is malformed,
 * unknown, or expired (then its file goes). */
int session_find(const char *dir, const char *id, long long now, struct session *s);
/* Ends the session id names (nothing when there is none). */
void session_end(const char *dir, const char *id);
/* Ends every session of user. */
void session_end_user(const char *dir, const char *user);

#endif
