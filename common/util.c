#include "util.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>
#include <fcntl.h>
#include <time.h>

#include "escape.h"

static const char *log_program = "coreinspect";
static enum log_level log_max = LOGL_INFO;
static bool log_to_kmsg;

void log_set_program(const char *name) { log_program = name; }
void log_set_level(enum log_level level) { log_max = level; }
void log_set_kmsg(bool on) { log_to_kmsg = on; }

static void log_va(enum log_level level, const char *fmt, va_list ap)
{
        if (level > log_max)
                return;
        int saved = errno;
        char raw[1024], line[1024];
        vsnprintf(raw, sizeof(raw), fmt, ap);
        /* one line, nothing a terminal would act on: messages quote paths,
         * names and file contents the crashed process chose */
        size_t o = 0, raw_len = strlen(raw);
        for (size_t i = 0; i < raw_len && o + 5 < sizeof(line);) {
                size_t l = display_char_len((const unsigned char *)raw + i, raw_len - i);
                if (l > 0) {
                        if (o + l >= sizeof(line))
                                break;
                        memcpy(line + o, raw + i, l);
                        o += l;
                        i += l;
                } else {
                        o += (size_t)snprintf(line + o, sizeof(line) - o, "\\x%02x", (unsigned char)raw[i]);
                        i++;
                }
        }
        line[o] = '\0';
        if (log_to_kmsg) {
                /* kernel log priorities: 3 err, 4 warning, 6 info, 7 debug */
                static const int prio[] = { 3, 4, 6, 7 };
                int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
                if (fd >= 0) {
                        /* one write() is one kernel log record (dprintf would
                         * buffer, and leaks its buffer on a char device) */
                        char rec[1200];
                        int n = snprintf(rec, sizeof(rec), "<%d>%s[%d]: %s\n", prio[level], log_program, (int)getpid(), line);
                        if (n > 0 && write(fd, rec, (size_t)MIN(n, (int)sizeof(rec) - 1)) < 0) {
                                /* nothing else to tell it to */
                        }
                        close(fd);
                }
        }
        fprintf(stderr, "%s: %s\n", log_program, line);
        errno = saved;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        log_va(level, fmt, ap);
        va_end(ap);
}

int log_errno(int err, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        log_va(LOGL_ERR, fmt, ap);
        va_end(ap);
        return err < 0 ? err : -err;
}

/* The first 64 bytes directly, the rest by comparing the buffer with itself
 * shifted by 64: each byte then equals the one 64 before it, all zero. */
size_t sorted_u64_count(const void *base, size_t n, size_t size, size_t off, uint64_t key, bool upper)
{
        const uint8_t *b = base;
        size_t lo = 0, hi = n;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                uint64_t k;
                memcpy(&k, b + mid * size + off, sizeof(k));
                if (k < key || (upper && k == key))
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

bool mem_is_zero(const void *p, size_t len)
{
        const uint8_t *b = p;
        size_t head = MIN(len, (size_t)64);
        for (size_t i = 0; i < head; i++)
                if (b[i])
                        return false;
        return len <= 64 || memcmp(b, b + 64, len - 64) == 0;
}

const char *path_file_name(const char *path)
{
        const char *slash = path ? strrchr(path, '/') : NULL;
        return slash ? slash + 1 : path;
}

int parse_u64(const char *s, uint64_t *ret)
{
        /* Decimal unless "0x": strtoull's base 0 would read "010" as octal,
         * and it would skip leading white space and accept a sign. */
        if (!s)
                return -EINVAL;
        int base = 10;
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
                base = 16;
                s += 2;
                if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) /* strtoull allows a 2nd */
                        return -EINVAL;
        }
        if (base == 16 ? !isxdigit((unsigned char)*s) : !isdigit((unsigned char)*s))
                return -EINVAL;
        errno = 0;
        char *end = NULL;
        unsigned long long v = strtoull(s, &end, base);
        if (errno == ERANGE)
                return -ERANGE;
        if (errno != 0 || !end || *end != '\0')
                return -EINVAL;
        *ret = v;
        return 0;
}

int parse_int(const char *s, int *ret)
{
        if (!s || !*s)
                return -EINVAL;
        errno = 0;
        char *end = NULL;
        long v = strtol(s, &end, 10);
        if (errno == ERANGE || v > INT32_MAX || v < INT32_MIN)
                return -ERANGE;
        if (errno != 0 || *end != '\0')
                return -EINVAL;
        *ret = (int)v;
        return 0;
}

int parse_size(const char *s, uint64_t *ret)
{
        if (!s || !*s)
                return -EINVAL;
        size_t n = strlen(s);
        uint64_t mult = 1;
        char buf[64];
        if (n >= sizeof(buf))
                return -EINVAL;
        memcpy(buf, s, n + 1);
        switch (buf[n - 1]) {
        case 'K': case 'k': mult = 1ULL << 10; break;
        case 'M': case 'm': mult = 1ULL << 20; break;
        case 'G': case 'g': mult = 1ULL << 30; break;
        case 'T': case 't': mult = 1ULL << 40; break;
        default: break;
        }
        if (mult != 1)
                buf[n - 1] = '\0';
        uint64_t v;
        int r = parse_u64(buf, &v);
        if (r < 0)
                return r;
        if (v > UINT64_MAX / mult)
                return -ERANGE;
        *ret = v * mult;
        return 0;
}

uint64_t now_usec(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL;
}
