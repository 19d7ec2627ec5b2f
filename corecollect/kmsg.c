/* The kernel log from /dev/kmsg: the last records of the ring buffer, read
 * without blocking and kept in a ring of at most max_lines formatted lines.
 *
 * Each read() of /dev/kmsg returns exactly one record:
 *
 *     prio,seq,usec,flags[,...];text\n
 *      KEY=value\n            (optional dictionary lines, each starting with ' ')
 *
 * The kernel already escapes non-printable bytes and '\' in text as \xNN;
 * anything non-printable that still shows up is escaped here the same way, so
 * every record is one printable line. Dictionary lines are dropped. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "logs.h"
#include "util.h"

/* The kernel formats a record into at most CONSOLE_EXT_LOG_MAX (8 KiB) bytes;
 * a read buffer smaller than a record fails with EINVAL. */
#define KMSG_RECORD_MAX 8192
/* Bound on records read in one call, in case the kernel logs faster than we
 * read: a full ring buffer holds far fewer. */
#define KMSG_READS_MAX (1024 * 1024)

struct line_ring {
        char **lines; /* max slots, each NULL or an owned string */
        size_t max;
        size_t next;  /* slot the next line goes into */
        size_t count; /* lines held, ≤ max */
};

static void line_ring_free(struct line_ring *ring)
{
        if (!ring->lines)
                return;
        for (size_t i = 0; i < ring->max; i++)
                free(ring->lines[i]);
        free(ring->lines);
        ring->lines = NULL;
}

/* Takes ownership of line, dropping the oldest line when full. */
static void line_ring_push(struct line_ring *ring, char *line)
{
        free(ring->lines[ring->next]);
        ring->lines[ring->next] = line;
        ring->next = (ring->next + 1) % ring->max;
        if (ring->count < ring->max)
                ring->count++;
}

/* Parses one "prio,seq,usec,flags;" header. Only usec is needed. */
static int parse_header(const char *p, size_t len, uint64_t *ret_usec, size_t *ret_text_off)
{
        const char *semi = memchr(p, ';', len);
        if (!semi)
                return -EBADMSG;

        /* Skip prio and seq, then read usec. */
        const char *field = p;
        for (int i = 0; i < 2; i++) {
                const char *comma = memchr(field, ',', (size_t)(semi - field));
                if (!comma)
                        return -EBADMSG;
                field = comma + 1;
        }

        uint64_t usec = 0;
        const char *q = field;
        for (; q < semi && *q >= '0' && *q <= '9'; q++) {
                unsigned d = (unsigned)(*q - '0');
                if (usec > (UINT64_MAX - d) / 10)
                        return -ERANGE;
                usec = usec * 10 + d;
        }
        if (q == field || q >= semi || (*q != ',' && *q != ';'))
                return -EBADMSG;

        *ret_usec = usec;
        *ret_text_off = (size_t)(semi + 1 - p);
        return 0;
}

/* Formats one record (buf, len bytes, as returned by one read()) into a newly
 * allocated line with its trailing '\n'. Returns -EBADMSG for a record that
 * does not look like one. */
int kmsg_format_record(const char *buf, size_t len, char **ret)
{
        const char *nl = memchr(buf, '\n', len);
        size_t first_len = nl ? (size_t)(nl - buf) : len; /* dictionary lines follow */

        uint64_t usec;
        size_t text_off;
        int r = parse_header(buf, first_len, &usec, &text_off);
        if (r < 0)
                return r;

        struct strbuf sb;
        strbuf_init(&sb);
        strbuf_printf(&sb, "[%5llu.%06llu] ", (unsigned long long)(usec / 1000000),
                      (unsigned long long)(usec % 1000000));
        /* the kernel escaped '\' and what it would not print: its \xNN stay */
        ascii_escape(&sb, buf + text_off, first_len - text_off, true);
        strbuf_append(&sb, "\n", 1);

        char *line = strbuf_steal(&sb, NULL);
        if (!line)
                return -ENOMEM;
        *ret = line;
        return 0;
}

int kmsg_collect(const char *path, size_t max_lines, struct strbuf *out)
{
        if (!path || !out)
                return -EINVAL;
        if (max_lines == 0)
                return 0;

        _cleanup_close_ int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return -errno;

        struct line_ring ring = {
                .lines = calloc(max_lines, sizeof(char *)),
                .max = max_lines,
        };
        if (!ring.lines)
                return -ENOMEM;

        _cleanup_free_ char *buf = malloc(KMSG_RECORD_MAX + 1);
        if (!buf) {
                line_ring_free(&ring);
                return -ENOMEM;
        }

        int ret = 0;
        for (size_t reads = 0; reads < KMSG_READS_MAX; reads++) {
                ssize_t n = read(fd, buf, KMSG_RECORD_MAX);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EPIPE)
                                continue; /* records overwritten before we read them */
                        if (errno != EAGAIN)
                                ret = -errno; /* EINVAL: a record larger than our buffer */
                        break;
                }
                if (n == 0)
                        break; /* not /dev/kmsg, or nothing more */

                char *line = NULL;
                int r = kmsg_format_record(buf, (size_t)n, &line);
                if (r == -ENOMEM) {
                        ret = r;
                        break;
                }
                if (r < 0)
                        continue; /* skip what does not parse */
                line_ring_push(&ring, line);
        }

        size_t first = (ring.next + ring.max - ring.count) % ring.max;
        for (size_t i = 0; i < ring.count; i++)
                strbuf_puts(out, ring.lines[(first + i) % ring.max]);
        line_ring_free(&ring);

        if (ret == 0 && out->oom)
                ret = -ENOMEM;
        return ret;
}
