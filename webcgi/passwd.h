/* passwd: the admin's password, only ever as a salted slow hash.
 *
 * The credentials file (0600, $ENISCOPE_DATA/web/credentials, apart from
 * the config so a config backup or support bundle never carries it) holds
 * one line "admin:<hash>", the hash from crypt(3) with yescrypt ("$y$",
 * libxcrypt's default and recommended method).  A hub without the file is
 * in its factory state: the manual's admin/admin logs in, and only to set
 * a new password (ETSI EN 303 645 provision 5.1-1: no universal default
 * password may stay usable; UK PSTI Regulations 2023 schedule 1 s.1). */
#ifndef WEB_PASSWD_H
#define WEB_PASSWD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWD_USER "admin"
#define PASSWD_FACTORY "admin"
#define PASSWD_MIN_LEN 8
#define PASSWD_MAX_LEN 128

/* 1 when user and password are right (must_change set when it was the
 * factory password), 0 when wrong, -1 with err when the file exists but
 * cannot be read or holds no hash (every login fails then, closed). */
int passwd_check(const char *path, const char *user, const char *password, bool *must_change, char *err,
		 size_t errlen);

/* Whether password may become the new one: PASSWD_MIN_LEN..PASSWD_MAX_LEN
 * characters, no control characters, not the factory password, not
 * current.  NULL when fine, else the reason. */
const char *passwd_policy(const char *password, const char *current);

/* Whether password is the one hash (a yescrypt crypt(3) string, "$y$...")
 * was made from; false for any other hash.  Takes as long whatever the
 * answer.  The admin's password (passwd_check) and the display password
 * (security.display_password_hash, docs/CONFIG.md) are both checked so. */
bool passwd_verify(const char *password, const char *hash);

/* The yescrypt hash of password with a new random salt, as crypt(3) gives
 * it ("$y$j9T$<salt>$<hash>", about 73 characters), into buf.  -1 with err. */
int passwd_hash(const char *password, char *buf, size_t len, char *err, size_t errlen);

/* The line "user:<yescrypt hash>\n" for password into buf.  -1 with err. */
int passwd_line(const char *user, const char *password, char *buf, size_t len, char *err, size_t errlen);

/* Stores the hash of password for user, atomically, mode 0600.  -1 with err. */
int passwd_set(const char *path, const char *user, const char *password, char *err, size_t errlen);

#endif
