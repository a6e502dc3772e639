/* policy: the installed and candidate versions of one package from the
 * output of `apt-cache policy PACKAGE` in the C locale:
 *
 *     eniscope-hub:
 *       Installed: 0.1.0-1
 *       Candidate: 0.2.0-1
 *       Version table:
 *     ...
 *
 * (apt's cmdline/apt-cache.cc, Policy).  "(none)" is apt's word for no
 * version. */
#ifndef UPDATED_POLICY_H
#define UPDATED_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#define POLICY_VERSION_MAX 128 /* Debian versions are far shorter */

struct policy {
	char installed[POLICY_VERSION_MAX]; /* "" when none */
	char candidate[POLICY_VERSION_MAX]; /* "" when none */
};

/* Parses text (len bytes, not NUL-terminated) for package.  0, or -1 with
 * why in err: the package's block is missing (apt knows no such package:
 * it prints nothing on stdout), a line is missing, or a version is not a
 * Debian version (Debian Policy 5.6.12: [epoch:]upstream[-revision], of
 * letters, digits and . + ~ - :). */
int policy_parse(const char *text, size_t len, const char *package, struct policy *p, char *err, size_t errlen);

/* An update is offered: there is a candidate and it is not the installed
 * version (apt's candidate is what `apt-get install` would install). */
bool policy_update_offered(const struct policy *p);

#endif
