/* The heap walk on synthetic glibc heaps built in a buffer at a fake address:
 * an intact heap, off-by-one NUL bytes into a size field (in the middle and on
 * the top chunk), larger overflows, failing reads, tcache keys, and garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "util.h"

#define BASE 0x55555555a000ULL
#define HEAP_LEN 0x21000U

struct fake {
        uint8_t *mem;
        uint64_t base;
        size_t len;
        size_t readable;  /* bytes from base the read callback serves */
        size_t reads;     /* callback calls */
        size_t max_read;  /* largest request */
};

static ssize_t fake_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
        struct fake *f = ctx;

        f->reads++;
        f->max_read = MAX(f->max_read, len);
        if (addr < f->base || addr - f->base >= f->len)
                return 0;
        uint64_t off = addr - f->base;
        if (off >= f->readable)
                return -EIO;
        size_t n = (size_t) MIN((uint64_t) len, (uint64_t) f->readable - off);
        memcpy(buf, f->mem + off, n);
        return (ssize_t) n;
}

static void put64(struct fake *f, uint64_t off, uint64_t v)
{
        assert_true(off + 8 <= f->len);
        memcpy(f->mem + off, &v, 8);
}

static uint64_t get64(const struct fake *f, uint64_t off)
{
        uint64_t v;
        memcpy(&v, f->mem + off, 8);
        return v;
}

/* Lays out chunks with the given size fields (flags included) from the heap
 * start, then a top chunk to the end. Fills offs[i] with chunk offsets; the
 * top chunk's offset goes in offs[n]. */
static void layout(struct fake *f, size_t len, const uint64_t *fields, size_t n, uint64_t *offs)
{
        uint64_t off = 0;

        f->mem = calloc(1, len);
        assert_non_null(f->mem);
        f->base = BASE;
        f->len = f->readable = len;
        f->reads = f->max_read = 0;
        for (size_t i = 0; i < n; i++) {
                offs[i] = off;
                put64(f, off + 8, fields[i]);
                off += fields[i] & ~7ULL;
        }
        offs[n] = off;
        put64(f, off + 8, (len - off) | 1);
}

/* The user data of the chunk at off, filled with c over its usable size. */
static void fill_usable(struct fake *f, uint64_t off, uint8_t c)
{
        uint64_t size = get64(f, off + 8) & ~7ULL;
        memset(f->mem + off + 16, c, size - 8);
}

static void examine(struct fake *f, struct heap_facts *h)
{
        heap_examine(fake_read, f, f->base, f->base + f->len, h);
}

static const uint64_t typical[] = { 0x291, 0x21, 0x31, 0x21, 0x111, 0x41, 0x21 };

static void test_intact(void **state)
{
        struct fake f;
        struct heap_facts h;
        uint64_t offs[ELEMENTSOF(typical) + 1];

        layout(&f, HEAP_LEN, typical, ELEMENTSOF(typical), offs);
        fill_usable(&f, offs[1], 'A'); /* full buffers are fine when nothing spilled */
        examine(&f, &h);
        assert_true(h.walked);
        assert_false(h.corrupt);
        assert_false(h.off_by_one);
        assert_int_equal(h.chunks, ELEMENTSOF(typical) + 1);
        assert_int_equal(h.heap_start, BASE);
        assert_int_equal(h.heap_end, BASE + HEAP_LEN);
        assert_false(h.freed_chunk_key);
        assert_non_null(h.note);
        assert_non_null(strstr(h.note, "8 chunks, chain intact"));
        /* the 132 KiB heap was read in a couple of bounded blocks */
        assert_true(f.max_read <= 64 * 1024);
        heap_facts_done(&h);
        assert_null(h.note);
        free(f.mem);
}

/* malloc(24) filled with 24 characters plus the NUL of a strcpy: the NUL
 * lands on the low byte of the next chunk's size. */
static void offbyone(uint64_t victim_field, uint64_t want_expected)
{
        struct fake f;
        struct heap_facts h;
        uint64_t fields[] = { 0x291, 0x31, 0x21, victim_field, 0x41, 0x21 };
        uint64_t offs[ELEMENTSOF(fields) + 1];

        layout(&f, HEAP_LEN, fields, ELEMENTSOF(fields), offs);
        fill_usable(&f, offs[2], 'A');
        f.mem[offs[3] + 8] = 0; /* the 25th byte */
        examine(&f, &h);
        assert_true(h.walked);
        assert_true(h.corrupt);
        assert_true(h.off_by_one);
        assert_int_equal(h.bad.addr, BASE + offs[3]);
        assert_int_equal(h.bad.size_field, victim_field & ~0xffULL);
        assert_int_equal(h.before.addr, BASE + offs[2]);
        assert_int_equal(h.before.size_field, 0x21);
        assert_int_equal(h.before.usable, 24);
        assert_int_equal(h.expected_size, want_expected);
        /* the walk went on with the repaired size to the top */
        assert_int_equal(h.chunks, ELEMENTSOF(fields) + 1);
        assert_non_null(strstr(h.note, "off-by-one"));
        heap_facts_done(&h);
        free(f.mem);
}

static void test_offbyone_to_zero(void **state)
{
        offbyone(0x31, 0x31); /* size 0x31 becomes 0: impossible at once */
}

static void test_offbyone_plausible(void **state)
{
        /* 0x111 becomes 0x100: still a size, the chain breaks one chunk later */
        offbyone(0x111, 0x111);
        offbyone(0x1011, 0x1011);
}

static void test_offbyone_top(void **state)
{
        struct fake f;
        struct heap_facts h;
        uint64_t fields[] = { 0x291, 0x21 };
        uint64_t offs[ELEMENTSOF(fields) + 1];

        /* the top chunk's size then ends in 0x51 */
        layout(&f, 0x20d50 + 0x290 + 0x20, fields, ELEMENTSOF(fields), offs);
        assert_int_equal(get64(&f, offs[2] + 8), 0x20d51);
        fill_usable(&f, offs[1], 'x');
        f.mem[offs[2] + 8] = 0;
        examine(&f, &h);
        assert_true(h.corrupt);
        assert_true(h.off_by_one);
        assert_int_equal(h.bad.addr, BASE + offs[2]);
        assert_int_equal(h.expected_size, 0x20d51);
        assert_int_equal(h.chunks, 3);
        heap_facts_done(&h);
        free(f.mem);
}

/* The same zeroed byte, but the buffer before was not full: not the
 * off-by-one shape (a zero among the last usable bytes). */
static void test_zero_byte_not_full(void **state)
{
        struct fake f;
        struct heap_facts h;
        uint64_t fields[] = { 0x291, 0x21, 0x31, 0x41 };
        uint64_t offs[ELEMENTSOF(fields) + 1];

        layout(&f, HEAP_LEN, fields, ELEMENTSOF(fields), offs);
        memset(f.mem + offs[1] + 16, 'A', 20);
        f.mem[offs[2] + 8] = 0;
        examine(&f, &h);
        assert_true(h.corrupt);
        assert_false(h.off_by_one);
        assert_int_equal(h.expected_size, 0);
        assert_int_equal(h.bad.addr, BASE + offs[2]);
        assert_int_equal(h.before.addr, BASE + offs[1]);
        assert_int_equal(h.chunks, 2);
        heap_facts_done(&h);
        free(f.mem);
}

static void test_overflow(void **state)
{
        struct fake f;
        struct heap_facts h;
        uint64_t offs[ELEMENTSOF(typical) + 1];

        /* 40 bytes of 'A' into a 24-byte buffer: the whole header is text */
        layout(&f, HEAP_LEN, typical, ELEMENTSOF(typical), offs);
        memset(f.mem + offs[3] + 16, 'A', 40);
        examine(&f, &h);
        assert_true(h.walked);
        assert_true(h.corrupt);
        assert_false(h.off_by_one);
        assert_int_equal(h.bad.addr, BASE + offs[4]);
        assert_int_equal(h.bad.size_field, 0x4141414141414141ULL);
        assert_int_equal(h.before.addr, BASE + offs[3]);
        assert_int_equal(h.before.usable, 24);
        assert_int_equal(h.chunks, 4);
        /* text from the buffer's tail through the header: who overflowed is visible */
        assert_true(h.overflow);
        assert_int_equal(h.overflow_bytes, 16);
        assert_non_null(strstr(h.note, "runs 16 bytes past its end"));
        heap_facts_done(&h);
        free(f.mem);

        /* near miss: the same 40 bytes of 0xff (a memset, the top_size case):
         * the size field is damaged, but not by visible text */
        layout(&f, HEAP_LEN, typical, ELEMENTSOF(typical), offs);
        memset(f.mem + offs[3] + 16, 0xff, 40);
        examine(&f, &h);
        assert_true(h.corrupt);
        assert_false(h.overflow);
        assert_non_null(strstr(h.note, "impossible size field 0xffffffffffffffff"));
        heap_facts_done(&h);
        free(f.mem);

        /* near miss: text in the size field, but the buffer before it ends in
         * binary data: not a string running on */
        layout(&f, HEAP_LEN, typical, ELEMENTSOF(typical), offs);
        memset(f.mem + offs[3] + 16, 'A', 40);
        f.mem[offs[4] + 3] = 0x01; /* in prev_size, the buffer's last 8 bytes */
        examine(&f, &h);
        assert_true(h.corrupt);
        assert_false(h.overflow);
        heap_facts_done(&h);
        free(f.mem);

        /* A size that runs past the heap end, and one not a multiple of 16 */
        layout(&f, HEAP_LEN, typical, ELEMENTSOF(typical), offs);
        put64(&f, offs[2] + 8, 0x100000 | 1);
        examine(&f, &h);
        assert_true(h.corrupt);
        assert_false(h.off_by_one);
        assert_int_equal(h.bad.addr, BASE + offs[2]);
        heap_facts_done(&h);
        put64(&f, offs[2] + 8, 0x39);
        examine(&f, &h);
        assert_true(h.corrupt);
        assert_int_equal(h.bad.size_field, 0x39);
        heap_facts_done(&h);
        /* The first chunk itself: no chunk before it */
        put64(&f, 8, 0);
        examine(&f, &h);
        assert_true(h.corrupt);
        assert_false(h.off_by_one);
        assert_int_equal(h.bad.addr, BASE);
        assert_int_equal(h.before.addr, 0);
        assert_int_equal(h.chunks, 0);
        heap_facts_done(&h);
        free(f.mem);
}

static void test_truncated_read(void **state)
{
        struct fake f;
        struct heap_facts h;
        uint64_t offs[ELEMENTSOF(typical) + 1];

        layout(&f, HEAP_LEN, typical, ELEMENTSOF(typical), offs);
        f.readable = 0x300; /* the 0x111 chunk at 0x300 is beyond */
        examine(&f, &h);
        assert_true(h.walked);
        assert_false(h.corrupt);
        assert_int_equal(h.chunks, 4);
        assert_non_null(strstr(h.note, "unreadable"));
        heap_facts_done(&h);

        /* nothing readable at all */
        f.readable = 0;
        examine(&f, &h);
        assert_false(h.walked);
        assert_int_equal(h.chunks, 0);
        assert_non_null(h.note);
        heap_facts_done(&h);

        /* empty and inverted ranges */
        heap_examine(fake_read, &f, BASE, BASE, &h);
        assert_false(h.walked);
        heap_facts_done(&h);
        heap_examine(fake_read, &f, BASE + 0x1000, BASE, &h);
        assert_false(h.walked);
        heap_facts_done(&h);
        free(f.mem);
}

/* A freed tcache entry: safe-linked next pointer, then the key. */
static void free_to_tcache(struct fake *f, uint64_t off, uint64_t next_user, uint64_t key)
{
        uint64_t pos = f->base + off + 16;
        put64(f, off + 16, (pos >> 12) ^ next_user);
        put64(f, off + 24, key);
}

static void test_tcache_key(void **state)
{
        const uint64_t key = 0x8f3a1c5e27d4b960ULL;
        struct fake f;
        struct heap_facts h;
        uint64_t offs[ELEMENTSOF(typical) + 1];

        layout(&f, HEAP_LEN, typical, ELEMENTSOF(typical), offs);
        free_to_tcache(&f, offs[1], 0, key);                       /* freed first */
        free_to_tcache(&f, offs[3], BASE + offs[1] + 16, key);     /* points at it */
        /* in-use buffers sharing text at +0x18 are not keys */
        fill_usable(&f, offs[2], 'B');
        fill_usable(&f, offs[5], 'B');
        examine(&f, &h);
        assert_false(h.corrupt);
        assert_true(h.freed_chunk_key);
        assert_int_equal(h.tcache_key, key);
        assert_non_null(strstr(h.note, "2 freed tcache chunks"));
        heap_facts_done(&h);

        /* one freed chunk is not enough */
        memset(f.mem + offs[3] + 16, 0, 16);
        examine(&f, &h);
        assert_false(h.freed_chunk_key);
        heap_facts_done(&h);

        /* a next pointer that decodes outside the heap: not a tcache entry */
        put64(&f, offs[3] + 16, 0x1234567);
        put64(&f, offs[3] + 24, key);
        examine(&f, &h);
        assert_false(h.freed_chunk_key);
        heap_facts_done(&h);

        /* canonical pointers shared by chunks are not keys either */
        free_to_tcache(&f, offs[1], 0, 0x7f1234567890ULL);
        free_to_tcache(&f, offs[3], 0, 0x7f1234567890ULL);
        examine(&f, &h);
        assert_false(h.freed_chunk_key);
        heap_facts_done(&h);
        free(f.mem);
}

/* Many chunks: the walk crosses read windows and counts them all. */
static void test_many_chunks(void **state)
{
        const size_t n = 100000;
        struct fake f;
        struct heap_facts h;
        uint64_t *fields = calloc(n, sizeof *fields);
        uint64_t *offs = calloc(n + 1, sizeof *offs);

        assert_non_null(fields);
        assert_non_null(offs);
        fields[0] = 0x291;
        for (size_t i = 1; i < n; i++)
                fields[i] = (i % 3 == 0) ? 0x31 : 0x21;
        size_t len = 0x290 + (n / 3) * 0x30 + (n - 1 - n / 3) * 0x20 + 0x1000;
        layout(&f, len, fields, n, offs);
        examine(&f, &h);
        assert_false(h.corrupt);
        assert_int_equal(h.chunks, n + 1);
        assert_true(f.max_read <= 64 * 1024);
        heap_facts_done(&h);
        free(f.mem);
        free(fields);
        free(offs);
}

/* Random bytes after a valid prefix, random heap bounds: never a crash, and
 * nothing read outside the heap. */
static void test_garbage(void **state)
{
        uint64_t x = 0x9e3779b97f4a7c15ULL;

        for (int round = 0; round < 300; round++) {
                struct fake f;
                struct heap_facts h;
                uint64_t offs[ELEMENTSOF(typical) + 1];
                size_t len = 0x1000 + (size_t) (round % 7) * 0x1000;

                layout(&f, len, typical, ELEMENTSOF(typical), offs);
                size_t from = (size_t) (x % len);
                for (size_t i = from; i < len; i++) {
                        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                        /* mostly small sizes, so chains of garbage go on */
                        f.mem[i] = (uint8_t) ((i % 8 == 0 && (x & 1)) ? (x & 0xf1) : x);
                }
                if (round % 5 == 0)
                        f.readable = (size_t) (x % len);
                uint64_t start = BASE + (round % 3) * 8;
                heap_examine(fake_read, &f, start, BASE + len - (round % 2) * 8, &h);
                assert_true(h.chunks <= len / 0x20);
                if (h.corrupt)
                        assert_true(h.bad.addr >= BASE && h.bad.addr < BASE + len);
                heap_facts_done(&h);
                free(f.mem);
        }
}

/* heap_chunk_state: which chunk holds an address, and is it free */
static void chunk_state(struct fake *f, uint64_t addr, struct ptr_load_facts *pl)
{
        memset(pl, 0, sizeof(*pl));
        heap_chunk_state(fake_read, f, f->base, f->base + f->len, addr, pl);
}

static void test_chunk_state(void **state)
{
        const uint64_t key = 0x8f3a1c5e27d4b960ULL;
        /* tcache struct, A (in use), B (tcache list), C (another thread's
         * tcache: key only), D (a bin chunk), E (in use after D), top */
        const uint64_t fields[] = { 0x291, 0x21, 0x21, 0x21, 0x431, 0x20 | 0 /* PREV_INUSE clear */ };
        uint64_t offs[ELEMENTSOF(fields) + 1];
        struct fake f;
        struct ptr_load_facts pl;

        layout(&f, HEAP_LEN, fields, ELEMENTSOF(fields), offs);
        const uint64_t a = BASE + offs[1], b = BASE + offs[2], c = BASE + offs[3], d = BASE + offs[4];
        /* counts[0] = 1, entries[0] = B's user pointer */
        put64(&f, offs[0] + 0x10, 1);
        put64(&f, offs[0] + 0x10 + 0x80, b + 0x10);
        free_to_tcache(&f, offs[2], 0, key);
        put64(&f, offs[3] + 0x10, (c + 0x10) >> 12);
        put64(&f, offs[3] + 0x18, key);
        put64(&f, offs[5], 0x430); /* E's prev_size: D's size */

        chunk_state(&f, b + 0x18, &pl);
        assert_true(pl.in_chunk && pl.chunk_free);
        assert_int_equal(pl.chunk_addr, b);
        assert_int_equal(pl.chunk_size, 0x20);
        assert_non_null(strstr(pl.free_how, "tcache list"));

        chunk_state(&f, c + 0x18, &pl);
        assert_true(pl.in_chunk && pl.chunk_free);
        assert_non_null(strstr(pl.free_how, "tcache key"));

        chunk_state(&f, d + 0x40, &pl);
        assert_true(pl.in_chunk && pl.chunk_free);
        assert_int_equal(pl.chunk_size, 0x430);
        assert_non_null(strstr(pl.free_how, "PREV_INUSE"));

        /* near misses: a chunk in use, the tcache struct, the top chunk, outside */
        chunk_state(&f, a + 0x18, &pl);
        assert_true(pl.in_chunk);
        assert_false(pl.chunk_free);
        chunk_state(&f, BASE + 0x100, &pl);
        assert_false(pl.in_chunk);
        chunk_state(&f, BASE + offs[6] + 0x100, &pl);
        assert_false(pl.in_chunk);
        chunk_state(&f, BASE - 8, &pl);
        assert_false(pl.in_chunk);

        /* D's next chunk says PREV_INUSE clear, but its prev_size disagrees */
        put64(&f, offs[5], 0x999);
        chunk_state(&f, d + 0x40, &pl);
        assert_false(pl.chunk_free);
        /* B off the list (count 0) and A with a key-like word: in use */
        put64(&f, offs[0] + 0x10, 0);
        put64(&f, offs[1] + 0x18, 0x1234);
        chunk_state(&f, b + 0x18, &pl);
        assert_false(pl.chunk_free);
        free(f.mem);
}

/* The heap and a second region ("the program's read-only data") behind one
 * read callback. */
#define RO_BASE 0x555555554000ULL
#define RO_LEN 0x1000U

struct two {
        struct fake *heap;
        uint8_t ro[RO_LEN];
};

static ssize_t two_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
        struct two *t = ctx;
        if (addr >= RO_BASE && addr - RO_BASE < RO_LEN) {
                size_t n = (size_t) MIN((uint64_t) len, RO_LEN - (addr - RO_BASE));
                memcpy(buf, t->ro + (addr - RO_BASE), n);
                return (ssize_t) n;
        }
        return fake_read(t->heap, addr, buf, len);
}

/* 200 bytes of "read-only data": strings and binary, like .rodata and
 * .eh_frame after it */
static void fill_ro(struct two *t)
{
        memset(t->ro, 0, sizeof(t->ro));
        for (size_t i = 0; i < 200; i++)
                t->ro[0x100 + i] = (uint8_t) (0x31 + (i * 7) % 90);
}

static void test_copy(void **state)
{
        struct fake f;
        struct heap_facts h;
        uint64_t offs[ELEMENTSOF(typical) + 1];
        _cleanup_free_ struct two *t = calloc(1, sizeof(*t));
        assert_non_null(t);
        fill_ro(t);
        t->heap = &f;
        const struct heap_copy_region regs[] = {
                { RO_BASE, RO_BASE + RO_LEN, "/usr/bin/victim", "r--p" },
                { BASE, BASE + HEAP_LEN, "[heap]", "rw-p" },
        };

        /* a memcpy of 120 bytes of the read-only data into the 24-byte
         * buffer at offs[3]: through the next chunk's header and beyond */
        layout(&f, HEAP_LEN, typical, ELEMENTSOF(typical), offs);
        memcpy(f.mem + offs[3] + 16, t->ro + 0x120, 120);
        examine(&f, &h);
        assert_true(h.corrupt);
        assert_false(h.overflow); /* not text: the 0x80.. bytes are not printable */
        assert_int_equal(h.bad.addr, BASE + offs[4]);
        heap_find_copy(two_read, t, regs, ELEMENTSOF(regs), &h);
        assert_true(h.copied);
        assert_int_equal(h.copy_lo, BASE + offs[3] + 16);
        assert_int_equal(h.copy_hi, BASE + offs[3] + 16 + 120);
        assert_int_equal(h.copy_src, RO_BASE + 0x120);
        assert_string_equal(h.copy_src_name, "/usr/bin/victim");
        assert_string_equal(h.copy_src_perms, "r--p");
        heap_facts_done(&h);
        free(f.mem);

        /* a "negative" memmove: the bytes land from 8 bytes below the
         * buffer's header upwards; the header of the buffer's own chunk is
         * the broken one and its user bytes are the copy */
        layout(&f, HEAP_LEN, typical, ELEMENTSOF(typical), offs);
        memcpy(f.mem + offs[3] + 8, t->ro + 0x100, 150);
        f.mem[offs[3] + 15] = 0; /* one byte the copy skipped (the high byte of the size) */
        examine(&f, &h);
        assert_true(h.corrupt);
        assert_int_equal(h.bad.addr, BASE + offs[3]);
        heap_find_copy(two_read, t, regs, ELEMENTSOF(regs), &h);
        assert_true(h.copied);
        assert_int_equal(h.copy_lo, BASE + offs[3] + 16);
        assert_int_equal(h.copy_src, RO_BASE + 0x108);
        heap_facts_done(&h);
        free(f.mem);

        /* near misses: 0xff over the header (a memset fill: no anchor);
         * varied bytes over it that are nowhere else; only 20 bytes that
         * match the read-only data (a short coincidence) */
        for (unsigned k = 0; k < 3; k++) {
                layout(&f, HEAP_LEN, typical, ELEMENTSOF(typical), offs);
                for (unsigned i = 0; i < 48; i++)
                        f.mem[offs[3] + 16 + i] = k == 0 ? 0xff : (uint8_t) (0x90 + i * 13);
                if (k == 2)
                        memcpy(f.mem + offs[4] + 16, t->ro + 0x140, 20);
                examine(&f, &h);
                assert_true(h.corrupt);
                heap_find_copy(two_read, t, regs, ELEMENTSOF(regs), &h);
                assert_false(h.copied);
                heap_facts_done(&h);
                free(f.mem);
        }

        /* the source is another heap buffer: needs 64 bytes; 48 are not
         * enough, 100 are */
        for (unsigned len = 48; len <= 100; len += 52) {
                layout(&f, HEAP_LEN, typical, ELEMENTSOF(typical), offs);
                memcpy(f.mem + offs[4] + 0x90, t->ro + 0x100, len); /* the source, inside the 0x110 chunk */
                memcpy(f.mem + offs[3] + 16, t->ro + 0x100, len); /* the copy, from the 24-byte buffer on */
                memset(f.mem + offs[3] + 16 + len, 0, 8);
                examine(&f, &h);
                assert_true(h.corrupt);
                const struct heap_copy_region heap_only[] = { { BASE, BASE + HEAP_LEN, "[heap]", "rw-p" } };
                heap_find_copy(fake_read, &f, heap_only, 1, &h);
                assert_int_equal(h.copied, len >= 64);
                heap_facts_done(&h);
                free(f.mem);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_intact),
                cmocka_unit_test(test_offbyone_to_zero),
                cmocka_unit_test(test_offbyone_plausible),
                cmocka_unit_test(test_offbyone_top),
                cmocka_unit_test(test_zero_byte_not_full),
                cmocka_unit_test(test_overflow),
                cmocka_unit_test(test_truncated_read),
                cmocka_unit_test(test_tcache_key),
                cmocka_unit_test(test_chunk_state),
                cmocka_unit_test(test_many_chunks),
                cmocka_unit_test(test_garbage),
                cmocka_unit_test(test_copy),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
