/* paths: see paths.h. */
#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/un.h>

static const char *s_env_or(const char *var, const char *fallback)
{
	const char *v = getenv(var);
	return v && *v ? v : fallback;
}

const char *paths_rundir(void)
{
	return s_env_or("ENISCOPE_RUNDIR", "/run/eniscope");
}

const char *paths_datadir(void)
{
	return s_env_or("ENISCOPE_DATA", "/var/lib/eniscope");
}

const char *paths_config(void)
{
	return s_env_or("ENISCOPE_CONF", "/etc/eniscope/config.json");
}

const char *paths_factory_config(void)
{
	return s_env_or("ENISCOPE_FACTORY_CONF", HUB_FACTORY_CONF);
}

const char *paths_logdir(void)
{
	return s_env_or("ENISCOPE_LOGDIR", "/var/log/eniscope");
}

int paths_endpoint(char *buf, size_t len, const char *rundir, const char *name, const char *kind)
{
	int n = snprintf(buf, len, "ipc://%s/%s.%s", rundir, name, kind);
	/* the socket path (without "ipc://") must fit sun_path with its NUL */
	if (n < 0 || (size_t)n >= len || (size_t)n - 6 >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int paths_socket_shared(const char *path)
{
	return chmod(path, 0660);
}
