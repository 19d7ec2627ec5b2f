/* Safe I/O: full reads and writes that retry on EINTR and short counts, and
 * reading small files relative to a directory fd without following symlinks. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Writes all of buf or fails with -errno. */
int write_full(int fd, const void *buf, size_t len);
/* Reads up to len bytes, stopping early only at EOF. Returns bytes read or
 * -errno. */
ssize_t read_full(int fd, void *buf, size_t len);
/* pread until len bytes or EOF. Returns bytes read or -errno. */
ssize_t pread_full(int fd, void *buf, size_t len, uint64_t off);
/* Writes all of buf at off or fails with -errno. */
int pwrite_full(int fd, const void *buf, size_t len, uint64_t off);

/* Reads a whole (small) file at dirfd/path, at most max bytes. The result is
 * NUL-terminated (the NUL is not counted in *ret_len). Caller frees. A file
 * larger than max is cut at max and *ret_truncated (if given) is set. */
int read_file_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_len,
                 int *ret_truncated);

/* A growable byte buffer. */
struct strbuf {
        char *data;
        size_t len;
        size_t cap;
        int oom; /* set once an allocation failed; later appends are dropped */
};
void strbuf_init(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);
void strbuf_append(struct strbuf *sb, const void *data, size_t len);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands out the buffer (NUL-terminated) and resets sb. NULL if oom. */
char *strbuf_steal(struct strbuf *sb, size_t *ret_len);
