/* os_release: one value of os-release(5), the file naming the operating
 * system (/etc/os-release, else /usr/lib/os-release), for the support
 * bundle's versions.json. */
#ifndef WEBCGI_OS_RELEASE_H
#define WEBCGI_OS_RELEASE_H

#include <stdbool.h>
#include <stddef.h>

/* The value of key (e.g. "PRETTY_NAME") in text, os-release(5)'s format:
 * lines KEY=VALUE, the value bare or in "double" or 'single' quotes, in
 * double quotes with \ escaping $ " \ ` (shell rules, as the manual
 * says); # starts a comment line.  The key must begin a line (a longer
 * key ending in it is another key).  Into out (cut to outlen - 1 bytes,
 * NUL-terminated); false and "" when the key is not there or its quotes
 * do not close. */
bool os_release_value(const char *text, const char *key, char *out, size_t outlen);

#endif
