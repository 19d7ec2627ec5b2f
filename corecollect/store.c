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

#include <sys/xattr.h>
#include <unistd.h>

#include "io.h"
#include "meta.h"
#include "bundlefile.h"
#include "ratelimit.h"
#include "reader.h"
#include "util.h"

#define UID_XATTR "trusted.corecollect.uid"

int store_open(const char *path, mode_t create_mode, int *ret_dirfd)
{
        if (create_mode && mkdir(path, create_mode) < 0 && errno != EEXIST)
                return -errno;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!store_is_safe(&st))
                return -EPERM;
        if (faccessat(fd, ".", W_OK, AT_EACCESS) < 0)
                return -errno;
        *ret_dirfd = TAKE_FD(fd);
        return 0;
}

bool store_is_safe(const struct stat *st)
{
        /* Another user who may write the directory could plant, rename or
         * delete bundles and state files (a 1777 /tmp is such a place). */
        return (st->st_uid == 0 || st->st_uid == geteuid()) && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

int store_tag_uid(int fd, uid_t uid)
{
        uint32_t u = (uint32_t)uid;
        return fsetxattr(fd, UID_XATTR, &u, sizeof(u), 0) < 0 ? -errno : 0;
}

/* The uid whose crash a bundle holds: the xattr capture set, else meta.json's
 * "uid" (bundles of oom-watch, or a filesystem without trusted xattrs).
 * -ENODATA when neither tells. */
static int bundle_uid(int dirfd, const char *name, uid_t *ret)
{
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        uint32_t u;
        if (fgetxattr(fd, UID_XATTR, &u, sizeof(u)) == (ssize_t)sizeof(u)) {
                *ret = (uid_t)u;
                return 0;
        }
        _cleanup_close_ int tag_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        struct bundle_reader *br;
        int r = bundle_reader_open_fd(TAKE_FD(fd), &br);
        if (r < 0)
                return r;
        struct bundle_meta meta;
        r = bundle_meta_read(br, &meta);
        bundle_reader_free(br);
        if (r < 0)
                return r;
        r = -ENODATA;
        if (meta.uid != BUNDLE_META_UNSET && meta.uid >= 0 && meta.uid <= UINT32_MAX) {
                *ret = (uid_t)meta.uid;
                r = 0;
                if (tag_fd >= 0)
                        (void)store_tag_uid(tag_fd, *ret); /* next time without decompressing */
        }
        bundle_meta_free(&meta);
        return r;
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
        uid_t uid;
        bool uid_known;
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

static bool low_disk(int dirfd, const struct config *cfg, uint64_t need)
{
        struct statvfs vfs;
        return fstatvfs(dirfd, &vfs) == 0 && (uint64_t)vfs.f_bavail * vfs.f_frsize < cfg->keep_free + need;
}

/* Removes e (not yet removed) and accounts for it. */
static void evict(int dirfd, struct entry *e, uint64_t *total, uint64_t *own)
{
        if (unlinkat(dirfd, e->name, 0) == 0)
                log_info("removed old bundle %s to make room", e->name);
        *total -= MIN(*total, e->size);
        if (own)
                *own -= MIN(*own, e->size);
        free(e->name);
        e->name = NULL;
}

int store_make_room(int dirfd, const struct config *cfg, uint64_t need, const char *keep, uid_t uid,
                    int64_t now)
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
        uint64_t total = 0, own = 0, removed = 0;
        struct dirent *de;
        int r = 0;
        while ((de = readdir(d))) {
                struct stat st;
                if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
                        continue;
                uint64_t size = (uint64_t)st.st_blocks * 512;
                total += size;
                if (!is_bundle_name(de->d_name))
                        continue;
                uid_t owner = (uid_t)-1;
                bool known = bundle_uid(dirfd, de->d_name, &owner) == 0;
                if (known && owner == uid)
                        own += size;
                if (keep && strcmp(de->d_name, keep) == 0)
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
                e[n].size = size;
                e[n].mtime = st.st_mtime;
                e[n].uid = owner;
                e[n].uid_known = known;
                n++;
        }
        if (n > 1)
                qsort(e, n, sizeof(*e), entry_cmp);

        /* 1. this uid's share: only its own bundles, oldest first */
        for (size_t i = 0; i < n && cfg->uid_max_store && own + need > cfg->uid_max_store; i++)
                if (e[i].uid_known && e[i].uid == uid) {
                        evict(dirfd, &e[i], &total, &own);
                        r++;
                        removed++;
                }
        if (cfg->uid_max_store && own + need > cfg->uid_max_store) {
                r = -EDQUOT;
                goto out;
        }
        /* 2. the store's quota and the disk's margin: this uid's bundles, and
         * other uids' bundles older than protect_age_s, oldest first */
        for (size_t i = 0; i < n; i++) {
                bool over_quota = cfg->max_store && total + need > cfg->max_store;
                if (!over_quota && !low_disk(dirfd, cfg, need))
                        break;
                if (!e[i].name)
                        continue;
                bool mine = e[i].uid_known && e[i].uid == uid;
                if (!mine && e[i].mtime + (int64_t)cfg->protect_age_s > now)
                        continue;
                evict(dirfd, &e[i], &total, mine ? &own : NULL);
                r++;
                removed++;
        }
        if ((cfg->max_store && total + need > cfg->max_store) || low_disk(dirfd, cfg, need))
                r = -ENOSPC;
out:
        /* counted for `list`: what the quota cost (a refusal ends the capture) */
        if (removed || r == -ENOSPC || r == -EDQUOT)
                rate_count_dropped(dirfd, removed, r == -ENOSPC || r == -EDQUOT);
        for (size_t k = 0; k < n; k++)
                free(e[k].name);
        free(e);
        closedir(d);
        return r;
}

struct store_txn {
        int dirfd;
        const struct config *cfg;
        struct store_who who;
        char *exe;         /* own copy: the rate slot is given back by it */
        bool reserved;     /* a rate-limit slot is ours */
        int fd;
        bool named;        /* a .tmp- file (no O_TMPFILE) */
        char name[256];
};

static void txn_free(struct store_txn *t, bool release)
{
        if (t->fd >= 0)
                close(t->fd);
        if (release && t->reserved)
                (void)rate_release(t->dirfd, t->who.uid, t->exe, t->who.time);
        free(t->exe);
        free(t);
}

int store_begin(int dirfd, const struct config *cfg, const struct store_who *who, struct store_txn **ret,
                const char **ret_limit)
{
        struct store_txn *t = calloc(1, sizeof(*t));
        const char *exe = who->exe ? who->exe : who->comm ? who->comm : "";
        if (!t || !(t->exe = strdup(exe))) {
                free(t);
                return -ENOMEM;
        }
        t->dirfd = dirfd;
        t->cfg = cfg;
        t->who = *who;
        t->who.exe = t->exe;
        t->fd = -1;
        const char *limit = NULL;
        int r = rate_check(dirfd, cfg, who->uid, t->exe, who->time, &limit);
        if (r == 0) {
                if (ret_limit)
                        *ret_limit = limit;
                txn_free(t, false);
                return -EAGAIN;
        }
        /* a state file that cannot be read or written does not stop a capture */
        t->reserved = r == 1 && (cfg->rate_burst || cfg->rate_uid_burst);
        r = store_make_room(dirfd, cfg, 0, NULL, who->uid, who->time);
        if (r == -ENOSPC || r == -EDQUOT) {
                txn_free(t, true);
                return r;
        }
        store_bundle_name(t->name, sizeof(t->name), who->comm, who->pid, who->time);
        t->fd = bundle_file_create(dirfd, t->name, &t->named);
        if (t->fd < 0) {
                r = t->fd;
                txn_free(t, true);
                return r;
        }
        if (store_tag_uid(t->fd, who->uid) < 0)
                log_debug("bundle not tagged with its uid: %m");
        *ret = t;
        return 0;
}

int store_txn_fd(const struct store_txn *t)
{
        return t->fd;
}

void store_abort(struct store_txn *t)
{
        if (!t)
                return;
        bundle_file_discard();
        txn_free(t, true);
}

int store_commit(struct store_txn *t, char **ret_name)
{
        char final[300];
        int r = bundle_file_name(t->dirfd, t->fd, t->named, t->name, final, sizeof(final));
        if (r < 0) {
                store_abort(t);
                return r;
        }
        /* the new bundle counts too: make room behind it (never removing it);
         * if it does not fit this uid's share or the store, it goes */
        r = store_make_room(t->dirfd, t->cfg, 0, final, t->who.uid, t->who.time);
        if (r == -ENOSPC || r == -EDQUOT) {
                (void)unlinkat(t->dirfd, final, 0);
                txn_free(t, true);
                return r;
        }
        txn_free(t, false);
        if (ret_name)
                *ret_name = strdup(final); /* NULL when out of memory: the bundle is in place all the same */
        return 0;
}
