#include "input.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "io.h"
#include "reader.h"
#include "util.h"

const char *input_kind_name(enum input_kind k)
{
        switch (k) {
        case INPUT_BUNDLE: return "bundle";
        case INPUT_RAW_CORE: return "core";
        case INPUT_ZSTD_CORE: return "zstd-core";
        }
        return "?";
}

static bool is_elf_core(const uint8_t *b, size_t n)
{
        if (n < sizeof(Elf64_Ehdr) || memcmp(b, ELFMAG, SELFMAG) != 0)
                return false;
        uint16_t type;
        memcpy(&type, b + 16, 2);
        return type == ET_CORE;
}

/* Writes the non-zero pages of buf, which belongs at offset off, and leaves
 * the zero pages as holes: a core's untouched memory (heap reserves,
 * thread stacks) then costs no memory in the memfd. */
static int write_sparse(int fd, const uint8_t *buf, size_t len, uint64_t off, uint64_t *written)
{
        const size_t page = 4096;
        size_t i = 0;
        while (i < len) {
                size_t n = MIN(page, len - i);
                if (mem_is_zero(buf + i, n)) {
                        i += n;
                        continue;
                }
                size_t start = i;
                while (i < len && !mem_is_zero(buf + i, MIN(page, len - i)))
                        i += MIN(page, len - i);
                int r = pwrite_full(fd, buf + start, i - start, off + start);
                if (r < 0)
                        return r;
                *written += i - start;
        }
        return 0;
}

/* How much of a decompressed core may stay in memory (a memfd): half the
 * address-space limit (ulimit -v) the user set, and half the machine's
 * memory. Past it, the core goes to a temporary file. */
static uint64_t memfd_bound_override;

void input_set_memory_bound(uint64_t bytes) { memfd_bound_override = bytes; }

static uint64_t memfd_bound(void)
{
        if (memfd_bound_override)
                return memfd_bound_override;
        uint64_t bound = UINT64_MAX;
        struct rlimit rl;
        if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
                bound = (uint64_t)rl.rlim_cur / 2;
        long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
        if (pages > 0 && psize > 0)
                bound = MIN(bound, (uint64_t)pages * (uint64_t)psize / 2);
        return bound;
}

/* An unnamed temporary file: $TMPDIR, else /var/tmp (disk rather than the
 * tmpfs /tmp often is). */
static int tmpfile_open(const char **ret_dir)
{
        const char *dirs[] = { getenv("TMPDIR"), "/var/tmp" };
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                if (!dirs[i] || !*dirs[i])
                        continue;
                int fd = open(dirs[i], O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
                if (fd >= 0) {
                        *ret_dir = dirs[i];
                        return fd;
                }
        }
        return -errno;
}

/* Copies the data extents of from (sparse) to to, keeping the holes. */
static int copy_sparse(int from, int to, uint64_t size)
{
        uint8_t *buf = malloc(1 << 20);
        if (!buf)
                return -ENOMEM;
        int r = 0;
        off_t at = 0;
        while (r == 0 && (uint64_t)at < size) {
                off_t data = lseek(from, at, SEEK_DATA);
                if (data < 0)
                        break; /* ENXIO: only a hole is left */
                off_t hole = lseek(from, data, SEEK_HOLE);
                if (hole < 0) {
                        r = -errno;
                        break;
                }
                for (at = data; r == 0 && at < hole;) {
                        ssize_t n = pread_full(from, buf, (size_t)MIN((uint64_t)(hole - at), (uint64_t)(1 << 20)), (uint64_t)at);
                        if (n <= 0) {
                                r = n < 0 ? (int)n : -EIO;
                                break;
                        }
                        r = pwrite_full(to, buf, (size_t)n, (uint64_t)at);
                        at += n;
                }
        }
        free(buf);
        return r;
}

/* Decompresses a whole zstd stream from fd into a sparse memfd, at most max
 * bytes (else -EFBIG). The first bytes must be an ELF core header (else
 * -EBADMSG at once, not after gigabytes). Past memfd_bound() bytes of data
 * in memory, the memfd moves to a temporary file on disk. */
static int zstd_to_memfd(int fd, uint64_t max, int *ret_fd, const char **why)
{
        _cleanup_close_ int out = memfd_create("coreinspect-core", MFD_CLOEXEC);
        if (out < 0)
                return -errno;
        ZSTD_DStream *ds = ZSTD_createDStream();
        size_t in_cap = ZSTD_DStreamInSize(), out_cap = ZSTD_DStreamOutSize();
        uint8_t *ib = malloc(in_cap), *ob = malloc(out_cap);
        int r = 0;
        uint64_t total = 0, in_ram = 0, bound = memfd_bound();
        bool spilled = false;
        uint8_t head[512]; /* an ELF header, or a tar header: a bundle cut before its seek table */
        if (!ds || !ib || !ob) {
                r = -ENOMEM;
                goto done;
        }
        if (lseek(fd, 0, SEEK_SET) < 0) {
                r = -errno;
                goto done;
        }
        size_t last = 1;
        for (;;) {
                ssize_t n = read_full(fd, ib, in_cap);
                if (n < 0) {
                        r = (int)n;
                        goto done;
                }
                if (n == 0)
                        break;
                ZSTD_inBuffer in = { ib, (size_t)n, 0 };
                while (in.pos < in.size) {
                        ZSTD_outBuffer o = { ob, out_cap, 0 };
                        last = ZSTD_decompressStream(ds, &o, &in);
                        if (ZSTD_isError(last)) {
                                *why = "corrupt zstd data";
                                r = -EBADMSG;
                                goto done;
                        }
                        if (total < sizeof(head)) {
                                size_t k = (size_t)MIN((uint64_t)o.pos, sizeof(head) - total);
                                memcpy(head + total, ob, k);
                                if (total + k == sizeof(head) && !is_elf_core(head, sizeof(head))) {
                                        *why = memcmp(head + 257, "ustar", 5) == 0
                                                       ? "truncated: a bundle without its seek table (cut short?)"
                                                       : "zstd file does not hold an ELF core (nor is it a bundle: no seek table)";
                                        r = -EBADMSG;
                                        goto done;
                                }
                        }
                        if (total + o.pos > max) {
                                *why = "too large for the limits: the decompressed core is larger than --max-zstd";
                                r = -EFBIG;
                                goto done;
                        }
                        if (!spilled && in_ram + o.pos > bound) {
                                const char *dir = "?";
                                int t = tmpfile_open(&dir);
                                if (t < 0) {
                                        *why = "too large for the limits: the core does not fit in memory "
                                               "(ulimit -v) and no temporary file could be made in $TMPDIR or /var/tmp";
                                        r = -EFBIG;
                                        goto done;
                                }
                                r = copy_sparse(out, t, total);
                                if (r < 0) {
                                        close(t);
                                        goto done;
                                }
                                log_debug("zstd core: past %llu bytes in memory, spilled to a temporary file in %s",
                                          (unsigned long long)bound, dir);
                                close(out);
                                out = t;
                                spilled = true;
                        }
                        r = write_sparse(out, ob, o.pos, total, &in_ram);
                        if (r < 0)
                                goto done;
                        total += o.pos;
                }
        }
        if (last != 0) {
                *why = "truncated: no seek table at the end (not a complete bundle) and the zstd stream ends early";
                r = -EBADMSG;
                goto done;
        }
        if (ftruncate(out, (off_t)total) < 0) { /* a trailing hole */
                r = -errno;
                goto done;
        }
        *ret_fd = TAKE_FD(out);
done:
        ZSTD_freeDStream(ds);
        free(ib);
        free(ob);
        return r;
}

/* meta.json and index.json of a bundle; either may be missing or bad. */
static void read_meta(struct input *in)
{
        in->has_meta = bundle_meta_read(in->bundle, &in->meta) == 0;
        (void)bundle_index_read(in->bundle, &in->index);
}

int input_open(const char *path, uint64_t max_zstd, struct input **ret, const char **ret_why)
{
        static const char *dummy;
        const char **why = ret_why ? ret_why : &dummy;
        *why = NULL;
        /* O_NONBLOCK: opening a FIFO (or a device) must not wait for a
         * writer; only regular files are read, in blocking mode */
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode)) {
                *why = S_ISDIR(st.st_mode) ? "a directory, not a bundle or core" : "not a regular file";
                return -EBADMSG;
        }
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
                return -errno;
        uint8_t head[sizeof(Elf64_Ehdr)];
        ssize_t n = pread_full(fd, head, sizeof(head), 0);
        if (n < 0)
                return (int)n;
        struct input *in = calloc(1, sizeof(*in));
        if (!in)
                return -ENOMEM;
        in->fd = -1;
        bundle_meta_init(&in->meta);
        in->path = strdup(path);
        int r;
        static const uint8_t zmagic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
        if (is_elf_core(head, (size_t)n)) {
                in->kind = INPUT_RAW_CORE;
                in->has_core = true;
                in->fd = TAKE_FD(fd);
                in->core_size = (uint64_t)st.st_size;
        } else if (n >= 4 && memcmp(head, zmagic, 4) == 0) {
                /* A bundle has a seek table; a plain zstd core does not. */
                int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
                r = dfd < 0 ? -errno : bundle_reader_open_fd(dfd, &in->bundle);
                if (r == 0) {
                        in->kind = INPUT_BUNDLE;
                        const struct bundle_member *m;
                        r = bundle_reader_find(in->bundle, BUNDLE_CORE, &m);
                        if (r == -ENOENT) {
                                /* an OOM kill leaves no core: oom-watch bundles say so */
                                read_meta(in);
                                /* corecollect keeps no core when RLIMIT_CORE forbids one */
                                in->core_withheld = in->index.truncation_reason &&
                                                    strcmp(in->index.truncation_reason, "rlimit") == 0;
                                if (in->has_meta && (in->core_withheld || in->meta.kind == BUNDLE_KIND_OOM_KILL)) {
                                        *ret = in;
                                        return 0;
                                }
                        }
                        if (r < 0) {
                                *why = r == -ENOENT ? "bundle has no core member (an OOM bundle?)"
                                                    : r == -EFBIG || r == -ENOMEM
                                                            ? "too large for the limits: a zstd frame of the bundle is "
                                                              "larger than 64 MiB or an eighth of ulimit -v"
                                                            : "bundle is corrupt: a zstd frame or tar header fails its checks";
                                input_free(in);
                                return r == -ENOENT ? -EBADMSG : r == -ENOMEM ? -EFBIG : r;
                        }
                        in->has_core = true;
                        in->core_offset = m->offset;
                        in->core_size = m->size;
                        read_meta(in);
                } else if (r == -EBADMSG) {
                        in->kind = INPUT_ZSTD_CORE;
                        r = zstd_to_memfd(fd, max_zstd, &in->fd, why);
                        if (r < 0) {
                                input_free(in);
                                return r;
                        }
                        uint8_t h2[sizeof(Elf64_Ehdr)];
                        struct stat s2;
                        if (fstat(in->fd, &s2) < 0 || pread_full(in->fd, h2, sizeof(h2), 0) != (ssize_t)sizeof(h2) ||
                            !is_elf_core(h2, sizeof(h2))) {
                                *why = "zstd file does not hold an ELF core (nor is it a bundle: no seek table)";
                                input_free(in);
                                return -EBADMSG;
                        }
                        in->core_size = (uint64_t)s2.st_size;
                        in->has_core = true;
                } else {
                        input_free(in);
                        return r;
                }
        } else {
                *why = (n >= 4 && memcmp(head, ELFMAG, SELFMAG) == 0)
                               ? "an ELF file but not a core (use it with --exe)"
                               : "neither a bundle, an ELF core nor a zstd-compressed core";
                input_free(in);
                return -EBADMSG;
        }
        *ret = in;
        return 0;
}

void input_free(struct input *in)
{
        if (!in)
                return;
        bundle_reader_free(in->bundle);
        if (in->fd >= 0)
                close(in->fd);
        free(in->path);
        bundle_meta_free(&in->meta);
        bundle_index_free(&in->index);
        free(in);
}

ssize_t input_pread_core(struct input *in, void *buf, size_t len, uint64_t off)
{
        if (off >= in->core_size)
                return 0;
        len = (size_t)MIN((uint64_t)len, in->core_size - off);
        if (in->kind == INPUT_BUNDLE)
                return bundle_reader_pread(in->bundle, buf, len, in->core_offset + off);
        return pread_full(in->fd, buf, len, off);
}

char *input_member(struct input *in, const char *name, size_t max)
{
        if (in->kind != INPUT_BUNDLE)
                return NULL;
        char *data = NULL;
        if (bundle_reader_read_member(in->bundle, name, max, &data, NULL) < 0)
                return NULL;
        return data;
}
