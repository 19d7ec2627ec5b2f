#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int write_full(int fd, const void *buf, size_t len)
{
        const uint8_t *p = buf;
        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        return -EIO;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

/* read (off < 0) or pread from off until len bytes, EOF or an error */
static ssize_t read_loop(int fd, void *buf, size_t len, int64_t off)
{
        uint8_t *p = buf;
        size_t got = 0;
        while (got < len) {
                ssize_t n = off < 0 ? read(fd, p + got, len - got) : pread(fd, p + got, len - got, (off_t)(off + (int64_t)got));
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                got += (size_t)n;
        }
        return (ssize_t)got;
}

ssize_t read_full(int fd, void *buf, size_t len)
{
        return read_loop(fd, buf, len, -1);
}

ssize_t pread_full(int fd, void *buf, size_t len, uint64_t off)
{
        return off > INT64_MAX ? -EINVAL : read_loop(fd, buf, len, (int64_t)off);
}

int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
        const uint8_t *p = buf;
        while (len > 0) {
                ssize_t n = pwrite(fd, p, len, (off_t)off);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : -EIO;
                p += n;
                off += (uint64_t)n;
                len -= (size_t)n;
        }
        return 0;
}

int read_file_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_len,
                 int *ret_truncated)
{
        _cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        if (fd < 0)
                return -errno;
        struct strbuf sb;
        strbuf_init(&sb);
        char chunk[8192];
        int truncated = 0;
        for (;;) {
                ssize_t n = read(fd, chunk, sizeof(chunk));
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        int r = -errno;
                        strbuf_free(&sb);
                        return r;
                }
                if (n == 0)
                        break;
                size_t take = (size_t)n;
                if (sb.len + take > max) {
                        take = max - sb.len;
                        truncated = 1;
                }
                strbuf_append(&sb, chunk, take);
                if (truncated)
                        break;
        }
        size_t len;
        char *data = strbuf_steal(&sb, &len);
        if (!data)
                return -ENOMEM;
        *ret = data;
        if (ret_len)
                *ret_len = len;
        if (ret_truncated)
                *ret_truncated = truncated;
        return 0;
}

void strbuf_init(struct strbuf *sb) { memset(sb, 0, sizeof(*sb)); }

void strbuf_free(struct strbuf *sb)
{
        free(sb->data);
        strbuf_init(sb);
}

static int strbuf_reserve(struct strbuf *sb, size_t extra)
{
        if (sb->oom)
                return -ENOMEM;
        if (sb->len + extra + 1 <= sb->cap)
                return 0;
        size_t cap = sb->cap ? sb->cap : 256;
        while (cap < sb->len + extra + 1) {
                if (cap > SIZE_MAX / 2) {
                        sb->oom = 1;
                        return -ENOMEM;
                }
                cap *= 2;
        }
        char *d = realloc(sb->data, cap);
        if (!d) {
                sb->oom = 1;
                return -ENOMEM;
        }
        sb->data = d;
        sb->cap = cap;
        return 0;
}

void strbuf_append(struct strbuf *sb, const void *data, size_t len)
{
        if (strbuf_reserve(sb, len) < 0)
                return;
        if (len)
                memcpy(sb->data + sb->len, data, len);
        sb->len += len;
        sb->data[sb->len] = '\0';
}

void strbuf_puts(struct strbuf *sb, const char *s) { strbuf_append(sb, s, strlen(s)); }

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        va_list ap2;
        va_copy(ap2, ap);
        int n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n >= 0 && strbuf_reserve(sb, (size_t)n) == 0) {
                vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap2);
                sb->len += (size_t)n;
        }
        va_end(ap2);
}

char *strbuf_steal(struct strbuf *sb, size_t *ret_len)
{
        if (sb->oom) {
                strbuf_free(sb);
                return NULL;
        }
        if (!sb->data) {
                /* never appended to: still hand out a NUL-terminated "" */
                if (strbuf_reserve(sb, 0) < 0)
                        return NULL;
                sb->data[0] = '\0';
        }
        char *d = sb->data;
        if (ret_len)
                *ret_len = sb->len;
        strbuf_init(sb);
        return d;
}
