/* Fuzz target: the whole analysis (input, core notes, modules and files/
 * lookup, libdwfl and libunwind, facts, heap walk, rules, the text and the
 * JSON report) on a bundle rebuilt from a mutated list of members.
 *
 * The input is not a bundle but the list of its members, so that mutations
 * land in the members (core notes, meta.json, proc/maps, the ELF files of
 * files/) and the bundle stays valid (the bundle reader has its own target):
 *
 *   "CIA1" OPTS[4] MEMBER...
 *   OPTS:   unwinder (mod 3: libdwfl, libunwind, both), max frames - 1,
 *           frame size (64 KiB << (n mod 6)), input kind (mod 4: 1 the
 *           core member alone as a raw core, 2 as a plain zstd core, else
 *           the bundle) and max threads (n / 4; 0: 4096)
 *   MEMBER: FLAGS(1) NAME_LEN(1) NAME LEN(4, little-endian) BYTES
 *           FLAGS bit 0: BYTES is one zstd frame (with its content size)
 *
 * Members are compressed so that a seed with a core and an executable
 * stays small. The target writes the members in order with the project's
 * writer (bundle/writer.c) into a memfd and analyzes it with bundle_only
 * set: nothing outside the input is read (no local files, debug dirs,
 * debuginfod, dpkg-query or user rule files).
 *
 * The custom mutator mutates one member at a time (a window of a large
 * member, mostly keeping its size so that the core's offsets hold), drops,
 * duplicates, renames, swaps, truncates or reorders members, or changes the
 * options; the custom crossover moves a member from another input (a
 * files/ ELF or a meta.json from another crash).
 *
 * Promise: no crash, no hang, no leak (memory: LeakSanitizer; descriptors:
 * checked here), exit code 0, 1, 2 or 3, and a JSON report that parses. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zstd.h>

#include "analyze.h"
#include "io.h"
#include "report.h"
#include "util.h"
#include "writer.h"

#define MAGIC "CIA1"
#define MAX_MEMBERS 64
#define MEMBER_MAX (128u << 20) /* decompressed bytes per member (the fixtures' largest core: 73 MiB) */
#define TOTAL_MAX (192u << 20)  /* and in all */

struct member {
        uint8_t flags;
        char name[256];
        const uint8_t *raw; /* as stored in the input */
        size_t raw_len;
        uint8_t *data;      /* decompressed (owned), or NULL */
        size_t len;
        bool dirty;         /* data changed: store it anew */
};

struct container {
        uint8_t opts[4];
        struct member m[MAX_MEMBERS];
        size_t n;
};

static void container_free(struct container *c)
{
        for (size_t i = 0; i < c->n; i++)
                free(c->m[i].data);
        c->n = 0;
}

/* Splits the input into members (no decompression). -EBADMSG if it is not
 * a container; a cut last member is dropped. */
static int parse(const uint8_t *d, size_t n, struct container *c)
{
        memset(c, 0, sizeof(*c));
        if (n < 8 || memcmp(d, MAGIC, 4) != 0)
                return -EBADMSG;
        memcpy(c->opts, d + 4, 4);
        size_t off = 8;
        while (off + 2 <= n && c->n < MAX_MEMBERS) {
                struct member *m = &c->m[c->n];
                m->flags = d[off];
                size_t nl = d[off + 1];
                off += 2;
                if (off + nl + 4 > n)
                        break;
                memcpy(m->name, d + off, nl);
                m->name[nl] = '\0';
                off += nl;
                uint32_t len;
                memcpy(&len, d + off, 4);
                off += 4;
                if (len > n - off)
                        break;
                m->raw = d + off;
                m->raw_len = len;
                off += len;
                c->n++;
        }
        return 0;
}

/* Makes m->data hold the member's bytes. budget: decompressed bytes left. */
static int member_load(struct member *m, size_t *budget)
{
        if (m->data || m->dirty)
                return 0;
        if (!(m->flags & 1)) {
                if (m->raw_len > *budget)
                        return -EFBIG;
                m->data = malloc(m->raw_len ? m->raw_len : 1);
                if (!m->data)
                        return -ENOMEM;
                memcpy(m->data, m->raw, m->raw_len);
                m->len = m->raw_len;
                *budget -= m->len;
                return 0;
        }
        unsigned long long size = ZSTD_getFrameContentSize(m->raw, m->raw_len);
        if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR || size > MEMBER_MAX ||
            size > *budget)
                return -EBADMSG;
        m->data = malloc(size ? size : 1);
        if (!m->data)
                return -ENOMEM;
        size_t got = ZSTD_decompress(m->data, size, m->raw, m->raw_len);
        if (ZSTD_isError(got) || got != size) {
                free(m->data);
                m->data = NULL;
                return -EBADMSG;
        }
        m->len = size;
        *budget -= m->len;
        return 0;
}

/* Adds m to the bundle, decompressing it on the way (a core of many
 * zero pages costs no memory). A frame cut short is padded with zeros;
 * -EBADMSG: not written (not a zstd frame with its size, or too large). */
static int member_write(struct bundle_writer *w, struct member *m, size_t *budget)
{
        if (!(m->flags & 1)) {
                if (m->raw_len > *budget)
                        return -EBADMSG;
                *budget -= m->raw_len;
                return bundle_writer_add(w, m->name, m->raw, m->raw_len, 0);
        }
        unsigned long long size = ZSTD_getFrameContentSize(m->raw, m->raw_len);
        if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR || size > MEMBER_MAX ||
            size > *budget)
                return -EBADMSG;
        *budget -= size;
        int r = bundle_writer_begin(w, m->name, size, 0);
        if (r < 0)
                return r;
        /* kept from run to run: their allocation is most of a small run's cost */
        static ZSTD_DCtx *dctx;
        static uint8_t *buf;
        size_t cap = ZSTD_DStreamOutSize();
        if (!dctx && !(dctx = ZSTD_createDCtx()))
                return -ENOMEM;
        if (!buf && !(buf = malloc(cap)))
                return -ENOMEM;
        ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
        ZSTD_inBuffer in = { m->raw, m->raw_len, 0 };
        while (r == 0 && bundle_writer_remaining(w) > 0) {
                ZSTD_outBuffer out = { buf, (size_t)MIN((uint64_t)cap, bundle_writer_remaining(w)), 0 };
                size_t z = ZSTD_decompressStream(dctx, &out, &in);
                if (ZSTD_isError(z) || (out.pos == 0 && in.pos == in.size))
                        break;
                r = bundle_writer_write(w, buf, out.pos);
        }
        if (r == 0 && bundle_writer_pad(w) < 0)
                r = -EIO;
        return r < 0 ? r : bundle_writer_end(w);
}

/* Writes the container to out (at most max bytes); 0 if it does not fit.
 * Changed members are stored anew, compressed when that pays. */
static size_t serialize(struct container *c, uint8_t *out, size_t max)
{
        if (max < 8)
                return 0;
        memcpy(out, MAGIC, 4);
        memcpy(out + 4, c->opts, 4);
        size_t off = 8;
        for (size_t i = 0; i < c->n; i++) {
                struct member *m = &c->m[i];
                size_t nl = strlen(m->name);
                if (off + 2 + nl + 4 > max)
                        return 0;
                const uint8_t *bytes = m->raw;
                size_t blen = m->raw_len;
                uint8_t flags = m->flags;
                uint8_t *tmp = NULL;
                if (m->dirty) {
                        bytes = m->data;
                        blen = m->len;
                        flags = 0;
                        if (m->len > 256) {
                                size_t cap = ZSTD_compressBound(m->len);
                                tmp = malloc(cap);
                                size_t z = tmp ? ZSTD_compress(tmp, cap, m->data, m->len, m->len > (1u << 20) ? 1 : 3) : 0;
                                if (tmp && !ZSTD_isError(z) && z < m->len) {
                                        bytes = tmp;
                                        blen = z;
                                        flags = 1;
                                }
                        }
                }
                if (blen > UINT32_MAX || off + 2 + nl + 4 + blen > max) {
                        free(tmp);
                        return 0;
                }
                out[off] = flags;
                out[off + 1] = (uint8_t)nl;
                memcpy(out + off + 2, m->name, nl);
                off += 2 + nl;
                uint32_t l32 = (uint32_t)blen;
                memcpy(out + off, &l32, 4);
                off += 4;
                memcpy(out + off, bytes, blen);
                off += blen;
                free(tmp);
        }
        return off;
}

/* How many descriptors are open. */
static int open_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        if (!d)
                return -1;
        int n = 0;
        while (readdir(d))
                n++;
        closedir(d);
        return n;
}

static int fd_growth; /* runs after which more descriptors were open than before */

static void check_fds(int before)
{
        int after = open_fds();
        if (before >= 0 && after > before && ++fd_growth > 2) {
                fprintf(stderr, "fuzz-analysis: %d descriptors open after the run, %d before\n", after, before);
                abort();
        }
}

/* Writes the last member named "core" to fd: as it is, or compressed as
 * one zstd frame (systemd-coredump's core.*.zst). */
static void write_core(int fd, struct container *c, bool compress)
{
        size_t budget = TOTAL_MAX;
        struct member *core = NULL;
        for (size_t i = 0; i < c->n; i++)
                if (strcmp(c->m[i].name, "core") == 0)
                        core = &c->m[i];
        if (!core || member_load(core, &budget) < 0)
                return;
        if (!compress) {
                (void)write_full(fd, core->data, core->len);
                return;
        }
        size_t cap = ZSTD_compressBound(core->len);
        uint8_t *z = malloc(cap);
        size_t n = z ? ZSTD_compress(z, cap, core->data, core->len, 1) : 0;
        if (z && !ZSTD_isError(n))
                (void)write_full(fd, z, n);
        free(z);
}

static void check_report(const struct report *r)
{
        static FILE *null;
        if (!null && !(null = fopen("/dev/null", "we")))
                abort();
        report_print_text(r, getenv("FUZZ_PRINT") ? stderr : null);
        fflush(null);

        char *json = NULL;
        size_t json_len = 0;
        FILE *f = open_memstream(&json, &json_len);
        if (!f)
                return;
        report_print_json(r, f);
        if (fclose(f) != 0) {
                free(json);
                return;
        }
        json_object *o = json_tokener_parse(json);
        if (!o) {
                fprintf(stderr, "fuzz-analysis: the JSON report does not parse:\n%s\n", json);
                abort();
        }
        json_object_put(o);
        free(json);
}

static void analyze_bundle(int fd, const uint8_t opts[4])
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        struct analyze_options o = {
                .unwind = { .unwinder = (enum unwinder_choice)(opts[0] % 3), .max_frames = 1u + opts[1],
                            .max_threads = opts[3] / 4 ? opts[3] / 4 : 4096 },
                .max_zstd = 64u << 20,
                .bundle_only = true,
        };
        struct report r;
        const char *why = NULL;
        int rc = analyze_path(path, &o, &r, &why);
        if (rc > 0 || (rc < 0 && (!why || !*why)))
                abort(); /* 0, or -errno with its reason */
        if (rc == 0)
                check_report(&r);
        report_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static bool init;
        if (!init) {
                log_set_program("fuzz-analysis");
                log_set_level(getenv("FUZZ_VERBOSE") ? LOGL_DEBUG : LOGL_ERR);
                init = true;
        }
        struct container c;
        if (parse(data, size, &c) < 0)
                return 0;
        int before = open_fds();

        int fd = memfd_create("fuzz-bundle", MFD_CLOEXEC);
        if (fd < 0)
                abort();
        if (c.opts[3] % 4 == 1 || c.opts[3] % 4 == 2) {
                /* the core member alone, as a raw core or a plain zstd core */
                write_core(fd, &c, c.opts[3] % 4 == 2);
                container_free(&c);
                analyze_bundle(fd, c.opts);
                close(fd);
                check_fds(before);
                return 0;
        }
        struct bundle_writer_options wo = { .frame_size = (size_t)(64u << 10) << (c.opts[2] % 6), .level = 1 };
        struct bundle_writer *w = NULL;
        if (bundle_writer_new(fd, &wo, &w) < 0)
                abort();
        size_t budget = TOTAL_MAX;
        bool ok = true;
        for (size_t i = 0; i < c.n && ok; i++) {
                struct member *m = &c.m[i];
                if (!m->name[0] || strlen(m->name) > TAR_NAME_MAX)
                        continue; /* not a member the writer can write */
                int r = member_write(w, m, &budget);
                ok = r == 0 || r == -EBADMSG;
        }
        if (ok && bundle_writer_finish(w) < 0)
                ok = false;
        bundle_writer_free(w);
        container_free(&c);
        if (ok)
                analyze_bundle(fd, c.opts);
        close(fd);

        check_fds(before);
        return 0;
}

/* ---- the mutator (libFuzzer only; replay.c never calls it) ---- */

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size) __attribute__((weak));

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return n ? (uint32_t)(rng % n) : 0;
}

static const char *const known_names[] = {
        "core", "meta.json", "index.json", "proc/maps", "proc/tasks", "proc/limits", "proc/status",
        "proc/cmdline", "proc/auxv", "proc/environ", "log/kernel.txt", "log/journal.txt", "files/",
};

/* Mutates the bytes of m: the whole member when small, else one window of
 * it, keeping the size most of the time (a core's offsets then hold). */
static void mutate_bytes(struct member *m)
{
        size_t len = m->len;
        size_t start = 0, wlen = len;
        if (len > 4096) {
                uint32_t where = rnd(10);
                size_t head = MIN(len, (size_t)16384);
                if (where < 4)
                        start = rnd((uint32_t)head);
                else if (where < 6)
                        start = len - 1 - rnd((uint32_t)head);
                else /* anywhere, but rather where the bytes are not all zero */
                        for (int k = 0; k < 8; k++) {
                                start = rnd((uint32_t)MIN(len, (size_t)UINT32_MAX));
                                if (!mem_is_zero(m->data + start, MIN(len - start, (size_t)4096)))
                                        break;
                        }
                size_t want = 1 + rnd(1024); /* not inside MIN(), which evaluates twice */
                wlen = MIN(len - start, want);
        }
        size_t cap = wlen + 256;
        uint8_t *buf = malloc(cap);
        if (!buf)
                return;
        memcpy(buf, m->data + start, wlen);
        size_t nl = LLVMFuzzerMutate(buf, wlen, cap);
        bool keep_size = len > 4096 && rnd(5) != 0;
        if (keep_size && nl < wlen)
                memcpy(buf + nl, m->data + start + nl, wlen - nl);
        if (keep_size)
                nl = wlen;
        size_t newlen = len - wlen + nl;
        if (newlen > MEMBER_MAX) {
                free(buf);
                return;
        }
        uint8_t *nd = malloc(newlen ? newlen : 1);
        if (!nd) {
                free(buf);
                return;
        }
        memcpy(nd, m->data, start);
        memcpy(nd + start, buf, nl);
        memcpy(nd + start + nl, m->data + start + wlen, len - start - wlen);
        free(buf);
        free(m->data);
        m->data = nd;
        m->len = newlen;
        m->dirty = true;
}

static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* A value near v that a parser might trip on. */
static uint64_t tweak(uint64_t v, uint64_t other)
{
        switch (rnd(8)) {
        case 0: return v + 0x1000u * (1 + rnd(4));
        case 1: return v - 0x1000u * (1 + rnd(4));
        case 2: return other;
        case 3: return 0;
        case 4: return UINT64_MAX - rnd(16);
        case 5: return v ^ ((uint64_t)1 << rnd(64));
        case 6: return v + 1 + rnd(15);
        default: return (uint64_t)1 << (32 + rnd(32));
        }
}

/* Structure-aware mutation of an ELF core: a field of a program header, of
 * a note header, of an NT_FILE entry or a register of NT_PRSTATUS. Returns
 * false when m is no 64-bit ELF core it can walk. */
static bool mutate_core(struct member *m)
{
        uint8_t *d = m->data;
        size_t len = m->len;
        if (len < 64 || memcmp(d, "\177ELF", 4) != 0 || d[4] != 2)
                return false;
        uint64_t phoff = rd64(d + 32);
        uint16_t phnum;
        memcpy(&phnum, d + 56, 2);
        if (phoff > len || phnum == 0 || (len - phoff) / 56 < phnum)
                return false;
        uint32_t what = rnd(4);
        if (what == 0) { /* a program header field */
                uint8_t *ph = d + phoff + 56 * rnd(phnum);
                size_t field = 8 + 8 * rnd(6); /* offset, vaddr, paddr, filesz, memsz, align */
                uint8_t *other = d + phoff + 56 * rnd(phnum) + field;
                uint64_t v = tweak(rd64(ph + field), rd64(other));
                memcpy(ph + field, &v, 8);
                return true;
        }
        /* the notes: offsets of their headers */
        size_t notes[512], n = 0;
        for (uint16_t i = 0; i < phnum; i++) {
                const uint8_t *ph = d + phoff + 56 * i;
                uint64_t off = rd64(ph + 8), sz = rd64(ph + 32);
                if (rd32(ph) != 4 /* PT_NOTE */ || off > len || sz > len - off)
                        continue;
                for (uint64_t p = off; p + 12 <= off + sz && n < ELEMENTSOF(notes);) {
                        notes[n++] = (size_t)p;
                        uint64_t step = 12 + ((rd32(d + p) + 3ull) & ~3ull) + ((rd32(d + p + 4) + 3ull) & ~3ull);
                        p += step;
                }
        }
        if (n == 0)
                return false;
        size_t at = notes[rnd((uint32_t)n)];
        uint32_t namesz = rd32(d + at), descsz = rd32(d + at + 4), type = rd32(d + at + 8);
        size_t desc = at + 12 + ((namesz + 3u) & ~3u);
        bool desc_ok = desc <= len && descsz <= len - desc;
        if (what == 1 || !desc_ok) { /* a note header field */
                static const uint32_t sizes[] = { 0, 1, 3, 4, 0x7fffffff, 0xffffffff, 0x10000 };
                uint32_t v;
                switch (rnd(4)) {
                case 0: v = descsz + (uint32_t)rnd(9) - 4; break;
                case 1: v = sizes[rnd(ELEMENTSOF(sizes))]; break;
                case 2: v = namesz + (uint32_t)rnd(9) - 4; break;
                default: v = (uint32_t)(1 + rnd(7)); break; /* another type */
                }
                memcpy(d + at + (what == 1 ? 4 * rnd(3) : 4), &v, 4);
                return true;
        }
        if (type == 0x46494c45 /* NT_FILE */ && descsz >= 16) {
                uint64_t count = rd64(d + desc);
                if (rnd(4) == 0 || count == 0 || (descsz - 16) / 24 < count) {
                        uint64_t v = tweak(count, count * 2);
                        memcpy(d + desc + 8 * rnd(2), &v, 8); /* count or page size */
                        return true;
                }
                size_t e = desc + 16 + 24 * rnd((uint32_t)count), f = desc + 16 + 24 * rnd((uint32_t)count);
                size_t field = 8 * rnd(3); /* start, end, page offset */
                uint64_t v = tweak(rd64(d + e + field), rd64(d + f + field));
                memcpy(d + e + field, &v, 8);
                return true;
        }
        if (type == 1 /* NT_PRSTATUS */ && descsz >= 336) {
                /* pr_reg at 112: rbp 4, rip 16, rsp 19 (user_regs_struct words) */
                static const size_t regs[] = { 4, 16, 19, 10, 5 };
                size_t r = desc + 112 + 8 * regs[rnd(ELEMENTSOF(regs))];
                uint64_t v = tweak(rd64(d + r), rd64(d + desc + 112 + 8 * regs[rnd(3)]));
                memcpy(d + r, &v, 8);
                return true;
        }
        if (descsz >= 8) { /* any other note: a word of it */
                size_t w = desc + 8 * rnd(descsz / 8);
                uint64_t v = tweak(rd64(d + w), rd64(d + desc));
                memcpy(d + w, &v, 8);
                return true;
        }
        return false;
}

static void rename_member(struct container *c, struct member *m)
{
        uint32_t how = rnd(3);
        if (how == 0) {
                /* another member's name: two members of one name, or a
                 * files/ELF under another build-id */
                struct member *o = &c->m[rnd((uint32_t)c->n)];
                if (o != m)
                        memcpy(m->name, o->name, sizeof(m->name));
        } else if (how == 1) {
                snprintf(m->name, sizeof(m->name), "%s", known_names[rnd(ELEMENTSOF(known_names))]);
        } else if (m->name[0]) {
                /* one character of it: a build-id that no longer matches */
                size_t l = strlen(m->name);
                static const char chars[] = "0123456789abcdef/.";
                m->name[rnd((uint32_t)l)] = chars[rnd(sizeof(chars) - 1)];
        }
}

static size_t mutate_once(struct container *c, uint8_t *out, size_t max)
{
        if (c->n == 0) {
                c->opts[rnd(4)] = (uint8_t)rnd(256);
                return serialize(c, out, max);
        }
        size_t i = rnd((uint32_t)c->n), j = rnd((uint32_t)c->n);
        struct member *m = &c->m[i];
        size_t budget = TOTAL_MAX;
        uint32_t op = rnd(100);
        if (op < 62) {
                if (member_load(m, &budget) < 0)
                        return 0;
                if (rnd(3) == 0 && mutate_core(m))
                        m->dirty = true; /* a core (or the core of another name) */
                else
                        mutate_bytes(m);
        } else if (op < 70) { /* drop */
                free(m->data);
                memmove(m, m + 1, (c->n - i - 1) * sizeof(*m));
                c->n--;
        } else if (op < 74) { /* duplicate */
                if (c->n == MAX_MEMBERS)
                        return 0;
                c->m[c->n] = *m;
                c->m[c->n].data = NULL;
                c->n++;
        } else if (op < 82) { /* swap the names (contents) of two members */
                char tmp[256];
                memcpy(tmp, m->name, sizeof(tmp));
                memcpy(m->name, c->m[j].name, sizeof(tmp));
                memcpy(c->m[j].name, tmp, sizeof(tmp));
        } else if (op < 88) {
                rename_member(c, m);
        } else if (op < 93) { /* truncate */
                if (member_load(m, &budget) < 0 || m->len == 0)
                        return 0;
                m->len = rnd((uint32_t)m->len);
                m->dirty = true;
        } else if (op < 97) { /* move */
                struct member tmp = *m;
                memmove(m, m + 1, (c->n - i - 1) * sizeof(*m));
                memmove(&c->m[j + 1], &c->m[j], (c->n - 1 - j) * sizeof(*m));
                c->m[j] = tmp;
        } else {
                c->opts[rnd(4)] = (uint8_t)rnd(256);
        }
        return serialize(c, out, max);
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
        rng = seed * 0x9e3779b97f4a7c15ull + 1;
        uint8_t *out = malloc(max_size);
        if (!out)
                return size;
        size_t n = 0;
        for (int tries = 0; tries < 8 && n == 0; tries++) {
                struct container c;
                if (parse(data, size, &c) < 0) {
                        free(out);
                        return LLVMFuzzerMutate(data, size, max_size);
                }
                n = mutate_once(&c, out, max_size);
                container_free(&c);
        }
        if (n == 0) {
                free(out);
                return LLVMFuzzerMutate(data, size, max_size);
        }
        memcpy(data, out, n);
        free(out);
        return n;
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2, uint8_t *out,
                                 size_t max_out, unsigned int seed)
{
        rng = seed * 0x9e3779b97f4a7c15ull + 7;
        struct container a, b;
        if (parse(d1, s1, &a) < 0 || parse(d2, s2, &b) < 0 || b.n == 0)
                return 0;
        struct member *from = &b.m[rnd((uint32_t)b.n)];
        size_t k;
        for (k = 0; k < a.n; k++)
                if (strcmp(a.m[k].name, from->name) == 0)
                        break;
        if (k == a.n && rnd(2) && a.n)
                k = rnd((uint32_t)a.n); /* under that member's name */
        if (k == a.n) {
                if (a.n == MAX_MEMBERS)
                        return 0;
                a.n++;
                a.m[k] = *from;
        } else {
                char name[256];
                memcpy(name, a.m[k].name, sizeof(name));
                a.m[k] = *from;
                memcpy(a.m[k].name, name, sizeof(name));
        }
        return serialize(&a, out, max_out);
}
