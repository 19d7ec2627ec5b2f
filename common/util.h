/* Small helpers shared by every program: cleanup attributes, ownership
 * transfer, logging, and checked number parsing. Only libc. */
#pragma once

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd)
{
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}
static inline void fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}

#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Hand ownership out of a cleanup variable. */
#define TAKE_PTR(p)                                 \
        ({                                          \
                __typeof__(p) _took = (p);          \
                (p) = NULL;                         \
                _took;                              \
        })
#define TAKE_FD(fd)                                 \
        ({                                          \
                int _took = (fd);                   \
                (fd) = -1;                          \
                _took;                              \
        })

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* In n records of size bytes each, sorted by the uint64_t at byte off of
 * each record: how many records have a key below key (upper: at or below
 * key). The index of the first record not below (above) key. */
size_t sorted_u64_count(const void *base, size_t n, size_t size, size_t off, uint64_t key, bool upper);
#define SORTED_COUNT(arr, n, field, key, upper) \
        sorted_u64_count((arr), (n), sizeof(*(arr)), offsetof(__typeof__(*(arr)), field), (key), (upper))

/* True when all len bytes at p are zero (at memcmp's speed). */
bool mem_is_zero(const void *p, size_t len);
/* The part of path after its last '/' (path itself without one; NULL for
 * NULL). */
const char *path_file_name(const char *path);

/* Logging: one line to stderr, prefixed by the program name. The level is
 * global and set once by main(). */
enum log_level { LOGL_ERR = 0, LOGL_WARN = 1, LOGL_INFO = 2, LOGL_DEBUG = 3 };
void log_set_program(const char *name);
void log_set_level(enum log_level level);
/* Also write each line to the kernel log (for the core_pattern handler,
 * whose stderr goes nowhere useful). */
void log_set_kmsg(bool on);
void log_msg(enum log_level level, const char *fmt, ...) _printf_(2, 3);
/* Logs and returns -abs(err), so callers can `return log_errno(r, ...)`. */
int log_errno(int err, const char *fmt, ...) _printf_(2, 3);

#define log_error(...) log_msg(LOGL_ERR, __VA_ARGS__)
#define log_warning(...) log_msg(LOGL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOGL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOGL_DEBUG, __VA_ARGS__)

/* Parse a whole string as an unsigned decimal (or 0x hex) number; -EINVAL
 * on junk, -ERANGE on overflow. */
int parse_u64(const char *s, uint64_t *ret);
int parse_int(const char *s, int *ret);
/* Sizes such as 512, 64K, 256M, 2G (powers of 1024). */
int parse_size(const char *s, uint64_t *ret);

/* Monotonic clock in microseconds. */
uint64_t now_usec(void);
