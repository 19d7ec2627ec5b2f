/* Which installed Debian package owns a file, from dpkg's own file lists
 * (ADMINDIR/info/PACKAGE[:ARCH].list, one path a line), read once for all
 * the paths of a report. `dpkg-query -S` answers the same question but
 * loads the whole database on every call (~0.2 s each), and with several
 * paths fails as a whole when one is unknown. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "symbols-internal.h"
#include "util.h"

/* Longest path we look for (and so, the longest list line that can match). */
#define DPKG_PATH_MAX 4096
/* A list file larger than this is not dpkg's (the largest on a desktop is
 * a few MiB): skipped. */
#define DPKG_LIST_MAX (256u << 20)

struct wanted {
        const char *path;
        size_t len;
        size_t idx; /* into the caller's arrays */
};

static int wanted_cmp(const void *a, const void *b)
{
        const struct wanted *x = a, *y = b;
        if (x->len != y->len)
                return x->len < y->len ? -1 : 1;
        return memcmp(x->path, y->path, x->len);
}

/* Marks every wanted path that is a line of buf as owned by pkg. */
static void scan_list(const char *buf, size_t size, const char *pkg, const struct wanted *w, size_t n_w,
                      const uint8_t *len_seen, char **owners)
{
        for (const char *line = buf, *end = buf + size; line < end;) {
                const char *eol = memchr(line, '\n', (size_t)(end - line));
                if (!eol)
                        eol = end;
                size_t len = (size_t)(eol - line);
                if (len > 0 && len < DPKG_PATH_MAX && len_seen[len]) {
                        struct wanted key = { .path = line, .len = len };
                        const struct wanted *hit = bsearch(&key, w, n_w, sizeof(*w), wanted_cmp);
                        /* equal keys are adjacent: all of them */
                        while (hit && hit > w && wanted_cmp(hit - 1, &key) == 0)
                                hit--;
                        for (; hit && hit < w + n_w && wanted_cmp(hit, &key) == 0; hit++)
                                if (!owners[hit->idx])
                                        owners[hit->idx] = strdup(pkg);
                }
                line = eol + 1;
        }
}

int symbols_dpkg_owners(const char *admindir, const char *const *paths, size_t n, char **ret_owners)
{
        for (size_t i = 0; i < n; i++)
                ret_owners[i] = NULL;
        if (n == 0)
                return 0;

        _cleanup_free_ struct wanted *w = calloc(n, sizeof(*w));
        _cleanup_free_ uint8_t *len_seen = calloc(DPKG_PATH_MAX, 1);
        if (!w || !len_seen)
                return -ENOMEM;
        size_t n_w = 0;
        for (size_t i = 0; i < n; i++) {
                size_t len = paths[i] ? strlen(paths[i]) : 0;
                if (len == 0 || len >= DPKG_PATH_MAX || memchr(paths[i], '\n', len))
                        continue;
                w[n_w++] = (struct wanted){ .path = paths[i], .len = len, .idx = i };
                len_seen[len] = 1;
        }
        if (n_w == 0)
                return 0;
        qsort(w, n_w, sizeof(*w), wanted_cmp);

        _cleanup_free_ char *infodir = NULL;
        if (asprintf(&infodir, "%s/info", admindir) < 0)
                return -ENOMEM;
        _cleanup_close_ int dfd = open(infodir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;
        DIR *d = fdopendir(dfd);
        if (!d)
                return -errno;
        TAKE_FD(dfd); /* closedir closes it */

        char *buf = NULL;
        size_t cap = 0;
        int r = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                size_t nl = strlen(de->d_name);
                if (nl <= 5 || strcmp(de->d_name + nl - 5, ".list") != 0 || de->d_name[0] == '.')
                        continue;
                _cleanup_close_ int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
                struct stat st;
                if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > DPKG_LIST_MAX)
                        continue;
                if ((size_t)st.st_size + 1 > cap) {
                        char *nb = realloc(buf, (size_t)st.st_size + 1);
                        if (!nb) {
                                r = -ENOMEM;
                                break;
                        }
                        buf = nb;
                        cap = (size_t)st.st_size + 1;
                }
                ssize_t got = read_full(fd, buf, (size_t)st.st_size);
                if (got <= 0)
                        continue;
                de->d_name[nl - 5] = '\0'; /* "pkg[:arch]" */
                scan_list(buf, (size_t)got, de->d_name, w, n_w, len_seen, ret_owners);
        }
        free(buf);
        closedir(d);
        if (r < 0)
                for (size_t i = 0; i < n; i++) {
                        free(ret_owners[i]);
                        ret_owners[i] = NULL;
                }
        return r;
}
