/* dpkg's database read directly (see dpkg.h). `dpkg-query -S` answers the
 * owner question but loads the whole database on every call (~0.2 s each)
 * and fails as a whole when one of several paths is unknown. */
#include "dpkg.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "util.h"

/* A list or status file larger than this is not dpkg's (the largest list
 * on a desktop is a few MiB, status some MiB): skipped. */
#define DPKG_FILE_MAX (256u << 20)

char *dpkg_usrmerge_alias(const char *path)
{
        static const char *const merged[] = { "/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/" };
        const char *rest = strncmp(path, "/usr/", 5) == 0 ? path + 4 : path;
        for (size_t i = 0; i < ELEMENTSOF(merged); i++) {
                size_t l = strlen(merged[i]);
                if (strncmp(rest, merged[i], l) != 0)
                        continue;
                if (rest != path)
                        return strdup(rest);
                char *alt;
                return asprintf(&alt, "/usr%s", path) < 0 ? NULL : alt;
        }
        return NULL;
}

/* Whether the lookup must stop: -ETIME, -EFBIG, or 0 to go on after
 * reading more bytes. */
static int limits_check(struct dpkg_limits *lim, uint64_t more)
{
        if (!lim)
                return 0;
        if (lim->deadline_usec && now_usec() >= lim->deadline_usec)
                return -ETIME;
        if (lim->max_bytes && lim->bytes_read + more > lim->max_bytes)
                return -EFBIG;
        lim->bytes_read += more;
        return 0;
}

/* Reads the regular file dfd/name (no symlink followed) into *buf (grown
 * as needed, NUL-terminated), after asking lim for its size. Returns the
 * bytes read, -ENOENT for a file to skip, -ETIME/-EFBIG/-ENOMEM to stop. */
static ssize_t read_db_file(int dfd, const char *name, struct dpkg_limits *lim, char **buf, size_t *cap)
{
        _cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > DPKG_FILE_MAX)
                return -ENOENT;
        int r = limits_check(lim, (uint64_t)st.st_size);
        if (r < 0)
                return r;
        if ((size_t)st.st_size + 1 > *cap) {
                char *nb = realloc(*buf, (size_t)st.st_size + 1);
                if (!nb)
                        return -ENOMEM;
                *buf = nb;
                *cap = (size_t)st.st_size + 1;
        }
        ssize_t got = read_full(fd, *buf, (size_t)st.st_size);
        if (got < 0)
                return -ENOENT;
        (*buf)[got] = '\0';
        return got;
}

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

static void free_all(char **v, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(v[i]);
                v[i] = NULL;
        }
}

/* Adds path (and its alias) to w for index idx, when it can be a list line. */
static void want(struct wanted *w, size_t *n_w, char **aliases, uint8_t *len_seen, const char *path, size_t idx)
{
        size_t len = path ? strlen(path) : 0;
        if (len == 0 || len >= DPKG_PATH_MAX || memchr(path, '\n', len))
                return;
        w[(*n_w)++] = (struct wanted){ .path = path, .len = len, .idx = idx };
        len_seen[len] = 1;
        char *alt = aliases[idx] = dpkg_usrmerge_alias(path);
        if (alt && strlen(alt) < DPKG_PATH_MAX) {
                w[(*n_w)++] = (struct wanted){ .path = alt, .len = strlen(alt), .idx = idx };
                len_seen[strlen(alt)] = 1;
        }
}

int dpkg_find_owners(const char *admindir, const char *const *paths, size_t n, struct dpkg_limits *lim,
                     char **ret_owners)
{
        for (size_t i = 0; i < n; i++)
                ret_owners[i] = NULL;
        if (n == 0)
                return 0;

        _cleanup_free_ struct wanted *w = calloc(2 * n, sizeof(*w));
        _cleanup_free_ uint8_t *len_seen = calloc(DPKG_PATH_MAX, 1);
        char **aliases = calloc(n, sizeof(*aliases));
        if (!w || !len_seen || !aliases) {
                free(aliases);
                return -ENOMEM;
        }
        size_t n_w = 0;
        for (size_t i = 0; i < n; i++)
                want(w, &n_w, aliases, len_seen, paths[i], i);
        int r = 0;
        if (n_w == 0)
                goto out;
        qsort(w, n_w, sizeof(*w), wanted_cmp);

        _cleanup_free_ char *infodir = NULL;
        if (asprintf(&infodir, "%s/info", admindir) < 0) {
                r = -ENOMEM;
                goto out;
        }
        int dfd = open(infodir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
        if (!d) {
                r = -errno;
                if (dfd >= 0)
                        close(dfd);
                goto out;
        }
        char *buf = NULL;
        size_t cap = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                size_t nl = strlen(de->d_name);
                if (nl <= 5 || strcmp(de->d_name + nl - 5, ".list") != 0 || de->d_name[0] == '.')
                        continue;
                ssize_t got = read_db_file(dirfd(d), de->d_name, lim, &buf, &cap);
                if (got == -ENOENT)
                        continue;
                if (got < 0) {
                        r = (int)got;
                        break;
                }
                de->d_name[nl - 5] = '\0'; /* "pkg[:arch]" */
                scan_list(buf, (size_t)got, de->d_name, w, n_w, len_seen, ret_owners);
        }
        free(buf);
        closedir(d);
        if (r == -ENOMEM)
                free_all(ret_owners, n);
out:
        free_all(aliases, n);
        free(aliases);
        return r;
}

void dpkg_package_clear(struct dpkg_package *p)
{
        free(p->name);
        free(p->arch);
        free(p->version);
        *p = (struct dpkg_package){};
}

/* The value of field (e.g. "Package") if line (len bytes, no newline) is
 * that field, else NULL; *ret_len its length without the spaces around. */
static const char *field_value(const char *line, size_t len, const char *field, size_t *ret_len)
{
        size_t fl = strlen(field);
        if (len <= fl || strncasecmp(line, field, fl) != 0 || line[fl] != ':')
                return NULL;
        const char *v = line + fl + 1, *end = line + len;
        while (v < end && (*v == ' ' || *v == '\t'))
                v++;
        while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
                end--;
        *ret_len = (size_t)(end - v);
        return v;
}

/* One status paragraph's fields that matter here (pointers into the text). */
struct paragraph {
        const char *name, *arch, *version, *status;
        size_t name_len, arch_len, version_len, status_len;
};

/* A package whose files are on disk: not "not-installed" nor "config-files"
 * (the third word of Status). */
static bool paragraph_installed(const struct paragraph *p)
{
        if (!p->status)
                return false;
        const char *s = p->status, *end = s + p->status_len;
        for (int word = 0; word < 2; word++) {
                const char *sp = memchr(s, ' ', (size_t)(end - s));
                if (!sp)
                        return false;
                s = sp + 1;
        }
        size_t l = (size_t)(end - s);
        return !(l == 13 && memcmp(s, "not-installed", 13) == 0) && !(l == 12 && memcmp(s, "config-files", 12) == 0);
}

static bool same(const char *a, size_t alen, const char *b, size_t blen)
{
        return alen == blen && memcmp(a, b, alen) == 0;
}

static char *dup_n(const char *s, size_t len)
{
        return s ? strndup(s, len) : NULL;
}

/* Gives every owner the paragraph p describes its version and architecture. */
static int paragraph_apply(const struct paragraph *p, const char *const *owners, size_t n, struct dpkg_package *ret)
{
        if (!p->name || !paragraph_installed(p))
                return 0;
        for (size_t i = 0; i < n; i++) {
                if (!owners[i] || ret[i].version)
                        continue;
                const char *colon = strchr(owners[i], ':');
                size_t nl = colon ? (size_t)(colon - owners[i]) : strlen(owners[i]);
                if (!same(owners[i], nl, p->name, p->name_len))
                        continue;
                if (colon && !(p->arch && same(colon + 1, strlen(colon + 1), p->arch, p->arch_len)))
                        continue;
                free(ret[i].arch);
                ret[i].arch = dup_n(p->arch, p->arch_len);
                ret[i].version = dup_n(p->version, p->version_len);
                if ((p->arch && !ret[i].arch) || (p->version && !ret[i].version))
                        return -ENOMEM;
        }
        return 0;
}

/* Walks status text paragraph by paragraph. */
static int scan_status(const char *buf, size_t size, const char *const *owners, size_t n, struct dpkg_package *ret)
{
        struct paragraph p = {};
        for (const char *line = buf, *end = buf + size; line <= end;) {
                const char *eol = line < end ? memchr(line, '\n', (size_t)(end - line)) : NULL;
                if (!eol)
                        eol = end;
                size_t len = (size_t)(eol - line);
                if (len == 0 || (len == 1 && line[0] == '\r')) {
                        int r = paragraph_apply(&p, owners, n, ret);
                        if (r < 0)
                                return r;
                        p = (struct paragraph){};
                } else if (line[0] != ' ' && line[0] != '\t') {
                        const char *v;
                        size_t vl;
                        if ((v = field_value(line, len, "Package", &vl)))
                                p.name = v, p.name_len = vl;
                        else if ((v = field_value(line, len, "Architecture", &vl)))
                                p.arch = v, p.arch_len = vl;
                        else if ((v = field_value(line, len, "Version", &vl)))
                                p.version = v, p.version_len = vl;
                        else if ((v = field_value(line, len, "Status", &vl)))
                                p.status = v, p.status_len = vl;
                }
                if (eol == end)
                        break;
                line = eol + 1;
        }
        return paragraph_apply(&p, owners, n, ret);
}

/* Each owner's name and the architecture it names (if any). -ENOMEM. */
static int packages_from_owners(const char *const *owners, size_t n, struct dpkg_package *ret)
{
        for (size_t i = 0; i < n; i++) {
                ret[i] = (struct dpkg_package){};
                if (!owners[i])
                        continue;
                const char *colon = strchr(owners[i], ':');
                ret[i].name = strndup(owners[i], strcspn(owners[i], ":"));
                if (colon)
                        ret[i].arch = strdup(colon + 1);
                if (!ret[i].name || (colon && !ret[i].arch))
                        return -ENOMEM;
        }
        return 0;
}

int dpkg_find_packages(const char *admindir, const char *const *owners, size_t n, struct dpkg_limits *lim,
                       struct dpkg_package *ret)
{
        int r = packages_from_owners(owners, n, ret);
        bool any = false;
        for (size_t i = 0; i < n && !any; i++)
                any = owners[i] != NULL;
        if (r == 0 && any) { /* else status need not be read */
                _cleanup_close_ int dfd = open(admindir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (dfd < 0)
                        return -errno;
                char *buf = NULL;
                size_t cap = 0;
                ssize_t got = read_db_file(dfd, "status", lim, &buf, &cap);
                r = got < 0 ? (int)got : scan_status(buf, (size_t)got, owners, n, ret);
                free(buf);
        }
        if (r == -ENOMEM)
                for (size_t i = 0; i < n; i++)
                        dpkg_package_clear(&ret[i]);
        return r;
}
