/* Fuzz target for the bundle reader: the input is a whole bundle file. It is
 * opened, its members walked and read whole, and a few reads are made at
 * offsets taken from the input, checking the reader's promises on the way
 * (sizes consistent, errors only -EBADMSG/-EFBIG/-ENOMEM). Built with
 * -fsanitize=fuzzer by hand (see README.md) and, with replay.c, as a normal
 * test that replays the corpus. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "io.h"
#include "reader.h"
#include "util.h"

#define MEMBER_MAX (1u << 20) /* bytes read whole per member */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reports a broken promise the way sanitizers do: loudly, with a core. */
#define check(x)                                                                   \
        do {                                                                       \
                if (!(x)) {                                                        \
                        log_error("%s:%d: check failed: %s", __FILE__, __LINE__, #x); \
                        abort();                                                   \
                }                                                                  \
        } while (0)

static bool acceptable(int e)
{
        return e == -EBADMSG || e == -EFBIG || e == -ENOMEM;
}

static void read_at(struct bundle_reader *r, uint64_t off, size_t len)
{
        static uint8_t buf[8192];
        uint64_t total = bundle_reader_size(r);
        len = MIN(len, sizeof(buf));
        ssize_t n = bundle_reader_pread(r, buf, len, off);
        if (n < 0) {
                check(acceptable((int)n));
                return;
        }
        uint64_t want = off >= total ? 0 : MIN((uint64_t)len, total - off);
        check((uint64_t)n == want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        int fd = memfd_create("fuzz-bundle", MFD_CLOEXEC);
        check(fd >= 0);
        if (size > 0)
                check(write_full(fd, data, size) == 0);

        struct bundle_reader *r = NULL;
        int e = bundle_reader_open_fd(fd, &r); /* owns fd from here on */
        if (e < 0) {
                check(acceptable(e));
                check(!r);
                return 0;
        }
        uint64_t total = bundle_reader_size(r);

        const struct bundle_member *m;
        size_t n;
        e = bundle_reader_members(r, &m, &n);
        if (e < 0) {
                check(acceptable(e));
        } else {
                for (size_t i = 0; i < n; i++) {
                        size_t nlen = strnlen(m[i].name, sizeof(m[i].name));
                        check(nlen > 0 && nlen < sizeof(m[i].name));
                        check(m[i].offset == m[i].header_offset + TAR_BLOCK);
                        check(m[i].size <= total && m[i].offset <= total - m[i].size);
                        check(i == 0 || m[i].header_offset >= m[i - 1].offset + m[i - 1].size);

                        char *buf = NULL;
                        size_t len = 0;
                        e = bundle_reader_read_member(r, m[i].name, MEMBER_MAX, &buf, &len);
                        if (e < 0) {
                                check(acceptable(e));
                                continue;
                        }
                        /* the first member of that name is the one read */
                        const struct bundle_member *f = NULL;
                        check(bundle_reader_find(r, m[i].name, &f) == 0);
                        check(len == f->size && buf[len] == '\0');
                        free(buf);
                }
        }

        read_at(r, 0, 4096);
        if (total > 0)
                read_at(r, total - 1, 2);
        read_at(r, total / 2, 8192);
        if (size >= 16) {
                uint64_t off;
                memcpy(&off, data + size - 16, sizeof(off));
                read_at(r, off % (total + 1), data[size - 1] * 32u);
        }
        bundle_reader_free(r);
        return 0;
}
