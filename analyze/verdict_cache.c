/* The verdict of a bundle cached on the bundle itself (list.h's
 * VERDICT_XATTR), so that `list --class/--signature` answer without
 * analysing again. An xattr goes with the file: no stray cache files when
 * the store removes a bundle, and only who may write the bundle (the
 * store's owner) can set it. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "list.h"
#include "util.h"
#include "model.h"
#include "verbs.h"

void verdict_cache_store(const char *path, const struct report *r)
{
        if (!r->classified || !r->verdict.class_id || strcmp(r->input_kind, "bundle") != 0)
                return;
        char v[128];
        snprintf(v, sizeof(v), "%s\t%s", r->verdict.class_id, r->verdict.signature);
        int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return;
        char old[128];
        ssize_t n = fgetxattr(fd, VERDICT_XATTR, old, sizeof(old));
        /* not writable by us (another user's store, a read-only medium): fine */
        if (n != (ssize_t)strlen(v) || memcmp(old, v, (size_t)n) != 0)
                if (fsetxattr(fd, VERDICT_XATTR, v, strlen(v), 0) < 0)
                        log_debug("verdict not cached on %s: %m", path);
        close(fd);
}
