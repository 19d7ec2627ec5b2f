#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#include "io.h"
#include "util.h"

#define RATE_FILE ".ratelimit"
#define SKIPPED_FILE ".skipped"
#define STATE_MAX (1u << 20)

int store_open(const char *path, bool create, int *ret_dirfd)
{
        if (create && mkdir(path, 0700) < 0 && errno != EEXIST)
                return -errno;
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        if (faccessat(fd, ".", W_OK, AT_EACCESS) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        *ret_dirfd = fd;
        return 0;
}

void store_bundle_name(char *buf, size_t size, const char *comm, pid_t pid, int64_t time)
{
        char safe[64];
        size_t n = 0;
        for (const char *s = comm ? comm : "unknown"; *s && n < sizeof(safe) - 1; s++) {
                char ch = *s;
                bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                          (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
                safe[n++] = ok ? ch : '_';
        }
        if (n == 0)
                safe[n++] = '_';
        safe[n] = '\0';
        struct tm tm;
        time_t t = (time_t)time;
        gmtime_r(&t, &tm);
        char stamp[32];
        strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
        snprintf(buf, size, "core.%s.%d.%s%s", safe, (int)pid, stamp, STORE_SUFFIX);
}

struct entry {
        char *name;
        uint64_t size;
        int64_t mtime;
};

static int entry_cmp(const void *a, const void *b)
{
        const struct entry *x = a, *y = b;
        if (x->mtime != y->mtime)
                return x->mtime < y->mtime ? -1 : 1;
        return strcmp(x->name, y->name);
}

static bool is_bundle_name(const char *n)
{
        size_t l = strlen(n), s = strlen(STORE_SUFFIX);
        return n[0] != '.' && l > s && strcmp(n + l - s, STORE_SUFFIX) == 0;
}

int store_make_room(int dirfd, const struct config *cfg, uint64_t need, const char *keep)
{
        /* a new open file description: a dup would share (and move) the
         * directory offset of dirfd, so a second walk would see nothing */
        int dup = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dup < 0)
                return -errno;
        DIR *d = fdopendir(dup);
        if (!d) {
                close(dup);
                return -errno;
        }
        struct entry *e = NULL;
        size_t n = 0, cap = 0;
        uint64_t total = 0;
        struct dirent *de;
        int r = 0;
        while ((de = readdir(d))) {
                struct stat st;
                if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
                        continue;
                total += (uint64_t)st.st_blocks * 512;
                if (!is_bundle_name(de->d_name) || (keep && strcmp(de->d_name, keep) == 0))
                        continue;
                if (n == cap) {
                        cap = cap ? cap * 2 : 64;
                        struct entry *ne = realloc(e, cap * sizeof(*e));
                        if (!ne) {
                                r = -ENOMEM;
                                goto out;
                        }
                        e = ne;
                }
                e[n].name = strdup(de->d_name);
                if (!e[n].name) {
                        r = -ENOMEM;
                        goto out;
                }
                e[n].size = (uint64_t)st.st_blocks * 512;
                e[n].mtime = st.st_mtime;
                n++;
        }
        if (n > 1)
                qsort(e, n, sizeof(*e), entry_cmp);
        size_t i = 0;
        for (;;) {
                struct statvfs vfs;
                bool over_quota = cfg->max_store && total + need > cfg->max_store;
                bool low_disk = fstatvfs(dirfd, &vfs) == 0 &&
                                (uint64_t)vfs.f_bavail * vfs.f_frsize < cfg->keep_free + need;
                if (!over_quota && !low_disk)
                        break;
                if (i >= n) {
                        r = -ENOSPC;
                        break;
                }
                if (unlinkat(dirfd, e[i].name, 0) == 0) {
                        log_info("removed old bundle %s to make room", e[i].name);
                        total -= MIN(total, e[i].size);
                        r++;
                }
                i++;
        }
out:
        for (size_t k = 0; k < n; k++)
                free(e[k].name);
        free(e);
        closedir(d);
        return r;
}

/* Opens and locks a state file in the store; the lock goes with the fd. */
static int open_state(int dirfd, const char *name)
{
        int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return -errno;
        if (flock(fd, LOCK_EX) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

static int rewrite_state(int fd, const struct strbuf *sb)
{
        if (ftruncate(fd, 0) < 0)
                return -errno;
        if (sb->len && pwrite(fd, sb->data, sb->len, 0) < 0)
                return -errno;
        return 0;
}

static int read_state(int fd, char **ret)
{
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        size_t len = (size_t)MIN((uint64_t)st.st_size, (uint64_t)STATE_MAX);
        char *t = malloc(len + 1);
        if (!t)
                return -ENOMEM;
        ssize_t n = pread_full(fd, t, len, 0);
        if (n < 0) {
                free(t);
                return (int)n;
        }
        t[n] = '\0';
        *ret = t;
        return 0;
}

/* Adds one to exe's count in the skipped file ("COUNT EXE" lines). */
static void count_skipped(int dirfd, const char *exe)
{
        _cleanup_close_ int fd = open_state(dirfd, SKIPPED_FILE);
        if (fd < 0)
                return;
        _cleanup_free_ char *text = NULL;
        if (read_state(fd, &text) < 0)
                return;
        struct strbuf sb;
        strbuf_init(&sb);
        bool found = false;
        for (char *line = text, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                char *sp = strchr(line, ' ');
                uint64_t count;
                if (!sp)
                        continue;
                *sp = '\0';
                if (parse_u64(line, &count) < 0)
                        continue;
                if (strcmp(sp + 1, exe) == 0) {
                        count++;
                        found = true;
                }
                strbuf_printf(&sb, "%" PRIu64 " %s\n", count, sp + 1);
        }
        if (!found)
                strbuf_printf(&sb, "1 %s\n", exe);
        if (!sb.oom)
                rewrite_state(fd, &sb);
        strbuf_free(&sb);
}

int store_rate_check(int dirfd, const struct config *cfg, const char *exe, int64_t now)
{
        if (cfg->rate_burst == 0)
                return 1;
        _cleanup_close_ int fd = open_state(dirfd, RATE_FILE);
        if (fd < 0)
                return fd;
        _cleanup_free_ char *text = NULL;
        int r = read_state(fd, &text);
        if (r < 0)
                return r;
        /* lines "TIME EXE": captures within the interval, oldest first */
        struct strbuf sb;
        strbuf_init(&sb);
        uint64_t recent = 0;
        for (char *line = text, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                char *sp = strchr(line, ' ');
                int64_t t;
                uint64_t ut;
                if (!sp)
                        continue;
                *sp = '\0';
                if (parse_u64(line, &ut) < 0)
                        continue;
                t = (int64_t)ut;
                if (t + (int64_t)cfg->rate_interval_s <= now || t > now + 3600)
                        continue; /* expired, or from a clock that jumped back */
                if (strcmp(sp + 1, exe) == 0)
                        recent++;
                strbuf_printf(&sb, "%" PRId64 " %s\n", t, sp + 1);
        }
        int allowed = recent < cfg->rate_burst;
        if (allowed)
                strbuf_printf(&sb, "%" PRId64 " %s\n", now, exe);
        if (!sb.oom)
                rewrite_state(fd, &sb);
        strbuf_free(&sb);
        if (!allowed)
                count_skipped(dirfd, exe);
        return allowed;
}

int store_read_skipped(int dirfd, char **ret)
{
        int fd = openat(dirfd, SKIPPED_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
                if (errno != ENOENT)
                        return -errno;
                *ret = strdup("");
                return *ret ? 0 : -ENOMEM;
        }
        int r = read_state(fd, ret);
        close(fd);
        return r;
}
