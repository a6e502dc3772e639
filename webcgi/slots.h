/* slots: at most N of something at once across processes, each holding
 * one of N lock files (flock) for as long as it lives.  A slot frees
 * itself when its holder exits, however (a kill -9 too): the kernel drops
 * the lock with the descriptor.  Used by the live CGI so that display
 * clients can never take every connection lighttpd has
 * (server.max-connections) and lock the admin out. */
#ifndef WEB_SLOTS_H
#define WEB_SLOTS_H

#include <stddef.h>

/* Takes a free slot of dir/slot-0 .. slot-(n-1) (dir made 0700 when
 * missing): its descriptor (keep it open while the slot is used), or -1
 * when all n are held, or -2 with err when the files cannot be made. */
int slots_take(const char *dir, int n, char *err, size_t errlen);

#endif
