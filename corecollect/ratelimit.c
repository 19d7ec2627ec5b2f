#include "ratelimit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "util.h"

/* Each file starts with a magic; records follow, host byte order:
 *   rate:    u64 time, u32 uid, u32 handler pid, u32 len, len bytes of exe
 *   skipped: u64 count, u32 uid, u32 len, len bytes of exe
 * A record that does not fit ends the file (a write cut short). */
#define RATE_MAGIC "CCRATE2\n"
#define SKIP_MAGIC "CCSKIP2\n"
#define MAGIC_LEN 8
#define RATE_HDR 20
#define SKIP_HDR 16
#define STATE_MAX (4u << 20) /* bytes of one state file, as written */
#define STATE_READ_MAX (STATE_MAX + (64u << 10)) /* and as read (one record over) */

/* Opens and locks a state file in the store; the lock goes with the fd. */
static int open_state(int dirfd, const char *name, int flags)
{
        int fd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
        if (fd < 0)
                return -errno;
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return -EBADFD;
        }
        if (flock(fd, (flags & O_ACCMODE) == O_RDONLY ? LOCK_SH : LOCK_EX) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

/* Reads the records after the magic into *ret (NULL when empty or the magic
 * is wrong: a file of another format starts over). */
static int read_state(int fd, const char *magic, uint8_t **ret, size_t *ret_len)
{
        struct stat st;
        *ret = NULL;
        *ret_len = 0;
        if (fstat(fd, &st) < 0)
                return -errno;
        size_t len = (size_t)MIN((uint64_t)st.st_size, (uint64_t)STATE_READ_MAX);
        if (len < MAGIC_LEN)
                return 0;
        uint8_t *t = malloc(len);
        if (!t)
                return -ENOMEM;
        ssize_t n = pread_full(fd, t, len, 0);
        if (n < MAGIC_LEN || memcmp(t, magic, MAGIC_LEN) != 0) {
                free(t);
                return n < 0 ? (int)n : 0;
        }
        memmove(t, t + MAGIC_LEN, (size_t)n - MAGIC_LEN);
        *ret = t;
        *ret_len = (size_t)n - MAGIC_LEN;
        return 0;
}

static int write_state(int fd, const char *magic, const struct strbuf *sb)
{
        if (sb->oom)
                return -ENOMEM;
        int r = pwrite_full(fd, magic, MAGIC_LEN, 0);
        if (r == 0 && sb->len)
                r = pwrite_full(fd, sb->data, sb->len, MAGIC_LEN);
        if (r == 0 && ftruncate(fd, (off_t)(MAGIC_LEN + sb->len)) < 0)
                r = -errno;
        return r;
}

struct rate_rec {
        int64_t time;
        uint32_t uid, pid;
        const uint8_t *exe;
        uint32_t len;
};

/* Next rate record at *off; false at the end or at a record that does not fit. */
static bool next_rate(const uint8_t *buf, size_t len, size_t *off, struct rate_rec *r)
{
        if (len - *off < RATE_HDR)
                return false;
        uint64_t t;
        memcpy(&t, buf + *off, 8);
        memcpy(&r->uid, buf + *off + 8, 4);
        memcpy(&r->pid, buf + *off + 12, 4);
        memcpy(&r->len, buf + *off + 16, 4);
        if (r->len > RATE_EXE_MAX || r->len > len - *off - RATE_HDR)
                return false;
        r->time = (int64_t)t;
        r->exe = buf + *off + RATE_HDR;
        *off += RATE_HDR + r->len;
        return true;
}

static void put_rate(struct strbuf *sb, int64_t time, uint32_t uid, uint32_t pid, const void *exe,
                     uint32_t len)
{
        uint8_t h[RATE_HDR];
        uint64_t t = (uint64_t)time;
        memcpy(h, &t, 8);
        memcpy(h + 8, &uid, 4);
        memcpy(h + 12, &pid, 4);
        memcpy(h + 16, &len, 4);
        strbuf_append(sb, h, sizeof(h));
        strbuf_append(sb, exe, len);
}

static uint32_t exe_len(const char *exe)
{
        return (uint32_t)MIN(strlen(exe), (size_t)RATE_EXE_MAX);
}

static bool same_exe(const uint8_t *a, uint32_t alen, const char *b, uint32_t blen)
{
        return alen == blen && memcmp(a, b, alen) == 0;
}

/* One record of the skipped file: count (8 bytes), uid (4), exe length (4),
 * then the exe's bytes. */
struct skip_record {
        uint64_t count;
        uint32_t uid, len;
        const uint8_t *exe;
};

/* The record at *off of buf (len bytes), advancing *off; false at the end
 * or at a record that does not fit (a cut file ends there). */
static bool skip_record_next(const uint8_t *buf, size_t len, size_t *off, struct skip_record *ret)
{
        if (len - *off < SKIP_HDR)
                return false;
        memcpy(&ret->count, buf + *off, 8);
        memcpy(&ret->uid, buf + *off + 8, 4);
        memcpy(&ret->len, buf + *off + 12, 4);
        if (ret->len > RATE_EXE_MAX || ret->len > len - *off - SKIP_HDR)
                return false;
        ret->exe = buf + *off + SKIP_HDR;
        *off += SKIP_HDR + ret->len;
        return true;
}

static void skip_record_put(struct strbuf *sb, const struct skip_record *rec)
{
        uint8_t h[SKIP_HDR];
        memcpy(h, &rec->count, 8);
        memcpy(h + 8, &rec->uid, 4);
        memcpy(h + 12, &rec->len, 4);
        strbuf_append(sb, h, sizeof(h));
        strbuf_append(sb, rec->exe, rec->len);
}

/* Adds one to (uid, exe)'s count in the skipped file. When the file is
 * full, the crash counts for the uid's "other executables" entry. */
static void count_skipped(int dirfd, uid_t uid, const char *exe)
{
        _cleanup_close_ int fd = open_state(dirfd, SKIPPED_FILE, O_RDWR | O_CREAT);
        if (fd < 0)
                return;
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len;
        if (read_state(fd, SKIP_MAGIC, &buf, &len) < 0)
                return;
        uint32_t elen = exe_len(exe);
        struct strbuf sb;
        strbuf_init(&sb);
        size_t off = 0;
        bool found = false;
        for (int pass = 0; pass < 2 && !found; pass++) {
                /* pass 0: the exact entry; pass 1 (file full): the uid's overflow entry */
                if (pass == 1) {
                        if (len + SKIP_HDR + elen + MAGIC_LEN <= STATE_MAX)
                                break;
                        elen = 0;
                }
                strbuf_free(&sb);
                strbuf_init(&sb);
                off = 0;
                struct skip_record rec;
                while (skip_record_next(buf, len, &off, &rec)) {
                        if (rec.uid == (uint32_t)uid && same_exe(rec.exe, rec.len, exe, elen)) {
                                rec.count++;
                                found = true;
                        }
                        skip_record_put(&sb, &rec);
                }
        }
        if (!found)
                skip_record_put(&sb, &(struct skip_record){ 1, (uint32_t)uid, elen, (const uint8_t *)exe });
        (void)write_state(fd, SKIP_MAGIC, &sb);
        strbuf_free(&sb);
}

int rate_check(int dirfd, const struct config *cfg, uid_t uid, const char *exe, int64_t now,
               const char **ret_limit)
{
        if (cfg->rate_burst == 0 && cfg->rate_uid_burst == 0)
                return 1;
        _cleanup_close_ int fd = open_state(dirfd, RATE_FILE, O_RDWR | O_CREAT);
        if (fd < 0)
                return fd;
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len;
        int r = read_state(fd, RATE_MAGIC, &buf, &len);
        if (r < 0)
                return r;
        uint32_t elen = exe_len(exe);
        struct strbuf sb;
        strbuf_init(&sb);
        uint64_t same = 0, by_uid = 0;
        size_t off = 0;
        struct rate_rec rec;
        while (next_rate(buf, len, &off, &rec)) {
                if (rec.time + (int64_t)cfg->rate_interval_s <= now || rec.time > now + 3600)
                        continue; /* expired, or from a clock that jumped back */
                if (rec.uid == (uint32_t)uid) {
                        by_uid++;
                        if (same_exe(rec.exe, rec.len, exe, elen))
                                same++;
                }
                put_rate(&sb, rec.time, rec.uid, rec.pid, rec.exe, rec.len);
        }
        const char *limit = NULL;
        if (cfg->rate_burst && same >= cfg->rate_burst)
                limit = "rate_burst";
        else if (cfg->rate_uid_burst && by_uid >= cfg->rate_uid_burst)
                limit = "rate_uid_burst";
        if (!limit) {
                if (sb.len + RATE_HDR + elen + MAGIC_LEN > STATE_MAX) {
                        /* full of live records (a storm of long, distinct names):
                         * forget the oldest half rather than refuse every crash */
                        size_t cut = 0, o = 0;
                        while (cut < sb.len / 2 && next_rate((const uint8_t *)sb.data, sb.len, &o, &rec))
                                cut = o;
                        memmove(sb.data, sb.data + cut, sb.len - cut);
                        sb.len -= cut;
                }
                put_rate(&sb, now, (uint32_t)uid, (uint32_t)getpid(), exe, elen);
        }
        r = write_state(fd, RATE_MAGIC, &sb);
        strbuf_free(&sb);
        if (limit) {
                count_skipped(dirfd, uid, exe);
                *ret_limit = limit;
                return 0;
        }
        return r < 0 ? r : 1;
}

int rate_release(int dirfd, uid_t uid, const char *exe, int64_t now)
{
        _cleanup_close_ int fd = open_state(dirfd, RATE_FILE, O_RDWR);
        if (fd < 0)
                return fd == -ENOENT ? 0 : fd;
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len;
        int r = read_state(fd, RATE_MAGIC, &buf, &len);
        if (r < 0)
                return r;
        uint32_t elen = exe_len(exe), pid = (uint32_t)getpid();
        struct strbuf sb;
        strbuf_init(&sb);
        size_t off = 0;
        bool found = false;
        struct rate_rec rec;
        while (next_rate(buf, len, &off, &rec)) {
                if (!found && rec.time == now && rec.uid == (uint32_t)uid && rec.pid == pid &&
                    same_exe(rec.exe, rec.len, exe, elen)) {
                        found = true;
                        continue;
                }
                put_rate(&sb, rec.time, rec.uid, rec.pid, rec.exe, rec.len);
        }
        if (found)
                r = write_state(fd, RATE_MAGIC, &sb);
        strbuf_free(&sb);
        return r;
}

int rate_read_skipped(int dirfd, struct skipped_count **ret, size_t *ret_n)
{
        *ret = NULL;
        *ret_n = 0;
        _cleanup_close_ int fd = open_state(dirfd, SKIPPED_FILE, O_RDONLY);
        if (fd < 0)
                return fd == -ENOENT ? 0 : fd;
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len;
        int r = read_state(fd, SKIP_MAGIC, &buf, &len);
        if (r < 0)
                return r;
        struct skipped_count *s = NULL;
        size_t n = 0, cap = 0, off = 0;
        struct skip_record rec;
        while (skip_record_next(buf, len, &off, &rec)) {
                if (n == cap) {
                        cap = cap ? 2 * cap : 16;
                        struct skipped_count *ns = realloc(s, cap * sizeof(*s));
                        if (!ns) {
                                skipped_free(s, n);
                                return -ENOMEM;
                        }
                        s = ns;
                }
                char *e = malloc((size_t)rec.len + 1);
                if (!e) {
                        skipped_free(s, n);
                        return -ENOMEM;
                }
                memcpy(e, rec.exe, rec.len);
                e[rec.len] = '\0';
                s[n++] = (struct skipped_count){ rec.count, (uid_t)rec.uid, e, rec.len };
        }
        *ret = s;
        *ret_n = n;
        return 0;
}

void skipped_free(struct skipped_count *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(s[i].exe);
        free(s);
}

#define DROP_MAGIC "CCDROP1\n"

/* The quota file: two little-endian u64 after the magic, bundles removed
 * to make room and crashes refused because the store was full. */
static int read_dropped_fd(int fd, uint64_t v[2])
{
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len;
        v[0] = v[1] = 0;
        int r = read_state(fd, DROP_MAGIC, &buf, &len);
        if (r < 0)
                return r;
        if (len >= 16)
                memcpy(v, buf, 16);
        return 0;
}

void rate_count_dropped(int dirfd, uint64_t removed, uint64_t refused)
{
        _cleanup_close_ int fd = open_state(dirfd, QUOTA_FILE, O_RDWR | O_CREAT);
        uint64_t v[2];
        if (fd < 0 || read_dropped_fd(fd, v) < 0)
                return;
        v[0] += removed;
        v[1] += refused;
        struct strbuf sb;
        strbuf_init(&sb);
        strbuf_append(&sb, v, sizeof(v));
        (void)write_state(fd, DROP_MAGIC, &sb);
        strbuf_free(&sb);
}

int rate_read_dropped(int dirfd, uint64_t *ret_removed, uint64_t *ret_refused)
{
        _cleanup_close_ int fd = open_state(dirfd, QUOTA_FILE, O_RDONLY);
        uint64_t v[2] = { 0, 0 };
        int r = fd == -ENOENT ? 0 : fd < 0 ? fd : read_dropped_fd(fd, v);
        *ret_removed = v[0];
        *ret_refused = v[1];
        return r;
}
