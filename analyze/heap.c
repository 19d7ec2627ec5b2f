/* Walking glibc's main heap through a read callback.
 *
 * Chunk layout (64-bit): [prev_size][size|flags][user data ...]; the user
 * data of an in-use chunk of size S runs S - 8 bytes, over the next chunk's
 * prev_size. Sizes are multiples of 16 and at least 0x20; the last chunk of
 * the main heap is the top chunk, which ends where the [heap] mapping ends.
 * Every value read is checked against the heap bounds before it is used. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "util.h"

#define HEAP_WINDOW (64U << 10)   /* bytes per read through the callback */
#define MIN_CHUNK 0x20ULL
#define SIZE_MASK (~(uint64_t) 7) /* PREV_INUSE, IS_MMAPPED, NON_MAIN_ARENA */
#define CONFIRM_CHUNKS 16         /* a repaired chain this long counts as good */
#define CONFIRM_MIN 3             /* fewer valid chunks: not a repair */
#define SCORE_GOOD 1000
#define MAX_KEYS 32               /* distinct tcache key candidates tracked */

struct reader {
        heap_read_fn read;
        void *ctx;
        uint64_t lo, hi;           /* the heap mapping */
        uint8_t *buf;              /* HEAP_WINDOW bytes */
        uint64_t win_addr;
        size_t win_len;
        uint64_t bytes_read;
        bool exhausted;            /* HEAP_READ_MAX reached */
};

/* Reads the 8-byte word at addr (inside the heap). -EFAULT outside the heap,
 * -EIO when the callback could not read it, -ENOBUFS over the read budget. */
static int read_u64(struct reader *r, uint64_t addr, uint64_t *ret)
{
        if (addr < r->lo || addr > r->hi || r->hi - addr < 8)
                return -EFAULT;
        if (r->win_len < 8 || addr < r->win_addr || addr - r->win_addr > r->win_len - 8) {
                if (r->bytes_read >= HEAP_READ_MAX) {
                        r->exhausted = true;
                        return -ENOBUFS;
                }
                size_t len = (size_t) MIN((uint64_t) HEAP_WINDOW, r->hi - addr);
                len = (size_t) MIN((uint64_t) len, HEAP_READ_MAX - r->bytes_read);
                len = MAX(len, (size_t) 8);
                r->win_len = 0;
                ssize_t n = r->read(r->ctx, addr, r->buf, len);
                if (n < 8)
                        return -EIO;
                r->win_addr = addr;
                r->win_len = (size_t) MIN((size_t) n, len);
                r->bytes_read += r->win_len;
        }
        memcpy(ret, r->buf + (addr - r->win_addr), 8);
        return 0;
}

/* A size a chunk at addr can have. */
static bool size_plausible(const struct reader *r, uint64_t addr, uint64_t size)
{
        return size >= MIN_CHUNK && (size & 0xf) == 0 && size <= r->hi - addr;
}

/* How far a chain starting at addr stays plausible: SCORE_GOOD when it ends
 * exactly at the heap end (the top chunk) or runs CONFIRM_CHUNKS chunks, else
 * the number of plausible chunks. */
static unsigned chain_score(struct reader *r, uint64_t addr)
{
        for (unsigned i = 0; i < CONFIRM_CHUNKS; i++) {
                uint64_t field;
                /* the heap's end, or less than a low byte short of it: the top
                 * chunk's own size may have lost its low byte the same way
                 * (the same overflow, before the chunk after it existed) */
                if (addr == r->hi || (i > 0 && addr < r->hi && r->hi - addr < 0x100))
                        return SCORE_GOOD;
                if (read_u64(r, addr + 8, &field) < 0)
                        return i;
                uint64_t size = field & SIZE_MASK;
                if (!size_plausible(r, addr, size))
                        return i;
                addr += size;
        }
        return SCORE_GOOD;
}

/* The off-by-one test for bad (whose size field is bad_field) right after the
 * in-use chunk before. Returns the size field bad should have, or 0. */
static uint64_t off_by_one_repair(struct reader *r, uint64_t bad, uint64_t bad_field)
{
        uint64_t tail, best = 0;
        unsigned best_score = 0;

        if ((bad_field & 0xff) != 0)
                return 0;
        /* The last 8 usable bytes of the chunk before overlap bad's prev_size:
         * a buffer filled to its end has no zero byte there. */
        if (read_u64(r, bad, &tail) < 0)
                return 0;
        for (unsigned i = 0; i < 8; i++)
                if (((tail >> (8 * i)) & 0xff) == 0)
                        return 0;
        for (uint64_t k = 0x01; k <= 0xf1; k += 0x10) {
                uint64_t cand = (bad_field & ~(uint64_t) 0xff) | k;
                uint64_t size = cand & SIZE_MASK;
                if (!size_plausible(r, bad, size))
                        continue;
                unsigned score = chain_score(r, bad + size);
                if (score > best_score) { /* ties: the smallest size wins */
                        best_score = score;
                        best = cand;
                }
        }
        return best_score >= CONFIRM_MIN ? best : 0;
}

#define OVERFLOW_SCAN 4096 /* bytes of text followed past a chunk's end */

static bool printable(uint8_t b)
{
        return b >= 0x20 && b <= 0x7e;
}

/* The chunk ending at bad was written past its end with text: its last 8
 * usable bytes (bad's prev_size) are printable and so is at least the low
 * byte of bad's size field (a size glibc wrote is a multiple of 16 with
 * flag bits: never like that together with a text tail). Returns how many
 * bytes of text run past the end (a string copy wrote its NUL after them);
 * 0 when it does not look like that. */
static uint64_t text_overflow(struct reader *r, uint64_t bad)
{
        uint64_t w, n = 0;

        if (read_u64(r, bad, &w) < 0)
                return 0;
        for (unsigned i = 0; i < 8; i++)
                if (!printable((w >> (8 * i)) & 0xff))
                        return 0;
        for (uint64_t a = bad + 8; a < r->hi && n < OVERFLOW_SCAN; a += 8) {
                if (read_u64(r, a, &w) < 0)
                        break;
                for (unsigned i = 0; i < 8; i++) {
                        uint8_t b = (w >> (8 * i)) & 0xff;
                        if (!printable(b))
                                return n;
                        n++;
                }
        }
        return n;
}

struct key_count {
        uint64_t key;
        size_t n;
};

/* tcache_key is 64 random bits: not a heap address, not a small number or a
 * canonical user pointer, not text, not one repeated byte. */
static bool key_plausible(const struct reader *r, uint64_t v)
{
        uint64_t top = v >> 47;
        bool printable = true, repeated = true;

        if (top == 0 || top == 0x1ffff)
                return false;
        if (v >= r->lo && v < r->hi)
                return false;
        for (unsigned i = 0; i < 8; i++) {
                uint8_t b = (v >> (8 * i)) & 0xff;
                if (b < 0x20 || b > 0x7e)
                        printable = false;
                if (b != (v & 0xff))
                        repeated = false;
        }
        int bits = __builtin_popcountll(v);
        return !printable && !repeated && bits >= 8 && bits <= 56;
}

/* Counts chunk+0x18 as a tcache key candidate when the chunk looks like a
 * tcache entry: its first word is a safe-linked next pointer,
 * (pos >> 12) ^ next with pos = chunk + 0x10, and next NULL or a 16-aligned
 * address inside the heap. */
static void key_check(struct reader *r, uint64_t chunk, struct key_count *keys, size_t *n_keys)
{
        uint64_t next, key;

        if (read_u64(r, chunk + 0x10, &next) < 0 || read_u64(r, chunk + 0x18, &key) < 0)
                return;
        next ^= (chunk + 0x10) >> 12;
        if (next != 0 && (next < r->lo || next >= r->hi || (next & 0xf) != 0))
                return;
        if (!key_plausible(r, key))
                return;
        for (size_t i = 0; i < *n_keys; i++)
                if (keys[i].key == key) {
                        keys[i].n++;
                        return;
                }
        if (*n_keys < MAX_KEYS)
                keys[(*n_keys)++] = (struct key_count) { .key = key, .n = 1 };
}

static void set_chunk(struct heap_chunk_facts *c, uint64_t addr, uint64_t field)
{
        uint64_t size = field & SIZE_MASK;

        c->addr = addr;
        c->size_field = field;
        c->usable = size >= 8 ? size - 8 : 0;
}

enum walk_end {
        WALK_TOP,          /* reached the top chunk */
        WALK_CORRUPT,      /* an impossible size field */
        WALK_UNREADABLE,   /* the callback failed */
        WALK_LIMIT,        /* chunk or byte budget */
        WALK_SHORT,        /* the chain stopped less than a header before the end */
};

struct walk {
        enum walk_end end;
        uint64_t end_addr;       /* where the walk stopped */
        uint64_t second_bad;     /* a further bad chunk after a repaired one, or 0 */
        struct key_count keys[MAX_KEYS];
        size_t n_keys;
};

/* Handles an impossible size field at x: the off-by-one repair on x, or on
 * the chunk before it (whose zeroed low byte made it too small, so the walk
 * broke one chunk later). Fills bad/before. Returns the address to continue
 * the walk at after a repair, 0 to stop. */
static uint64_t on_corrupt(struct reader *r, struct heap_facts *out, uint64_t x, uint64_t x_field,
                           const struct heap_chunk_facts *prev, const struct heap_chunk_facts *pprev)
{
        uint64_t fix;

        out->corrupt = true;
        set_chunk(&out->bad, x, x_field);
        if (prev)
                out->before = *prev;
        if (prev && (fix = off_by_one_repair(r, x, x_field)) != 0) {
                out->chunks++; /* x itself, with its repaired size */
        } else if (prev && pprev && (fix = off_by_one_repair(r, prev->addr, prev->size_field)) != 0) {
                out->bad = *prev;
                out->before = *pprev;
        } else {
                uint64_t n = prev ? text_overflow(r, x) : 0;
                if (n) {
                        out->overflow = true;
                        out->overflow_bytes = n;
                }
                return 0;
        }
        out->off_by_one = true;
        out->expected_size = fix;
        return out->bad.addr + (fix & SIZE_MASK);
}

static void walk(struct reader *r, struct heap_facts *out, struct walk *w)
{
        struct heap_chunk_facts prev = {}, pprev = {};
        bool has_prev = false, has_pprev = false;
        uint64_t addr = (r->lo + 15) & ~(uint64_t) 15;

        for (;;) {
                uint64_t field;
                w->end_addr = addr;
                if (addr == r->hi && out->off_by_one && !w->second_bad) {
                        w->end = WALK_TOP; /* the repaired chunk was the top */
                        return;
                }
                if (out->chunks >= HEAP_CHUNKS_MAX) {
                        w->end = WALK_LIMIT;
                        return;
                }
                if (addr >= r->hi || r->hi - addr < 16) {
                        w->end = WALK_SHORT;
                        return;
                }
                int k = read_u64(r, addr + 8, &field);
                if (k < 0) {
                        w->end = k == -ENOBUFS ? WALK_LIMIT : WALK_UNREADABLE;
                        return;
                }
                out->walked = true;
                uint64_t size = field & SIZE_MASK;
                if (!size_plausible(r, addr, size)) {
                        if (out->corrupt) { /* already repaired one: stop here */
                                w->second_bad = addr;
                                w->end = WALK_CORRUPT;
                                return;
                        }
                        uint64_t next = on_corrupt(r, out, addr, field, has_prev ? &prev : NULL,
                                                   has_pprev ? &pprev : NULL);
                        if (next == 0) {
                                w->end = WALK_CORRUPT;
                                return;
                        }
                        /* continue after the repaired chunk; it is not a tcache entry */
                        set_chunk(&prev, out->bad.addr, out->expected_size);
                        has_prev = true, has_pprev = false;
                        addr = next;
                        continue;
                }
                out->chunks++;
                if (size == r->hi - addr) {
                        w->end = WALK_TOP;
                        return;
                }
                key_check(r, addr, w->keys, &w->n_keys);
                pprev = prev, has_pprev = has_prev;
                set_chunk(&prev, addr, field);
                has_prev = true;
                addr += size;
        }
}

static char *make_note(const struct heap_facts *h, const struct walk *w, size_t n_freed,
                       const struct reader *r)
{
        char buf[512];
        int n;

        if (!h->walked)
                n = snprintf(buf, sizeof buf, "heap %#" PRIx64 "-%#" PRIx64 ": no chunk header readable",
                             h->heap_start, h->heap_end);
        else if (h->off_by_one)
                n = snprintf(buf, sizeof buf,
                             "heap: chunk %#" PRIx64 " has size field %#" PRIx64 ", expected %#" PRIx64
                             ": its low byte was overwritten with 0 right after the %" PRIu64
                             " usable bytes of chunk %#" PRIx64 " were filled (off-by-one write)",
                             h->bad.addr, h->bad.size_field, h->expected_size, h->before.usable,
                             h->before.addr);
        else if (h->overflow)
                n = snprintf(buf, sizeof buf,
                             "heap: chunk %#" PRIx64 " (%" PRIu64 " usable bytes) ends in text that runs %" PRIu64
                             " bytes past its end, through the header of chunk %#" PRIx64 " (its size field %#" PRIx64
                             " is text)",
                             h->before.addr, h->before.usable, h->overflow_bytes, h->bad.addr, h->bad.size_field);
        else if (h->corrupt)
                n = snprintf(buf, sizeof buf,
                             "heap: impossible size field %#" PRIx64 " at chunk %#" PRIx64
                             " (after chunk %#" PRIx64 " of size field %#" PRIx64 ")",
                             h->bad.size_field, h->bad.addr, h->before.addr, h->before.size_field);
        else
                n = snprintf(buf, sizeof buf, "heap %#" PRIx64 "-%#" PRIx64 ":", h->heap_start, h->heap_end);
        if (n < 0 || (size_t) n >= sizeof buf)
                n = (int) strlen(buf);

        size_t len = (size_t) n;
#define APPEND(...)                                                                     \
        do {                                                                            \
                if (len < sizeof buf) {                                                 \
                        int _k = snprintf(buf + len, sizeof buf - len, __VA_ARGS__);    \
                        if (_k > 0)                                                     \
                                len = MIN(len + (size_t) _k, sizeof buf - 1);           \
                }                                                                       \
        } while (0)
        if (h->walked) {
                switch (w->end) {
                case WALK_TOP:
                        if (h->corrupt)
                                APPEND("; with that size the chain goes on to the top chunk (%zu chunks)",
                                       h->chunks);
                        else
                                APPEND(" %zu chunks, chain intact to the top chunk", h->chunks);
                        break;
                case WALK_CORRUPT:
                        if (w->second_bad)
                                APPEND("; walk stopped at another bad size at %#" PRIx64 " after %zu chunks",
                                       w->second_bad, h->chunks);
                        else
                                APPEND("; walk stopped after %zu chunks", h->chunks);
                        break;
                case WALK_UNREADABLE:
                        APPEND(" %zu chunks walked, then memory at %#" PRIx64 " was unreadable",
                               h->chunks, w->end_addr);
                        break;
                case WALK_LIMIT:
                        APPEND(" walk stopped at the limit after %zu chunks, %" PRIu64 " bytes read",
                               h->chunks, r->bytes_read);
                        break;
                case WALK_SHORT:
                        APPEND(" %zu chunks, the chain ends at %#" PRIx64 " short of the heap end",
                               h->chunks, w->end_addr);
                        break;
                }
        }
        if (h->freed_chunk_key)
                APPEND("; %zu freed tcache chunks share key %#" PRIx64, n_freed, h->tcache_key);
#undef APPEND
        return strdup(buf);
}

void heap_examine(heap_read_fn read, void *ctx, uint64_t heap_start, uint64_t heap_end,
                  struct heap_facts *out)
{
        _cleanup_free_ uint8_t *buf = NULL;
        _cleanup_free_ struct walk *w = NULL;
        struct reader r;
        size_t n_freed = 0;

        if (!out)
                return;
        *out = (struct heap_facts) { .heap_start = heap_start, .heap_end = heap_end };
        if (!read || heap_end <= heap_start)
                return;
        buf = malloc(HEAP_WINDOW);
        w = calloc(1, sizeof *w);
        if (!buf || !w)
                return;
        r = (struct reader) { .read = read, .ctx = ctx, .lo = heap_start, .hi = heap_end, .buf = buf };

        walk(&r, out, w);

        for (size_t i = 0; i < w->n_keys; i++)
                if (w->keys[i].n >= 2 && w->keys[i].n > n_freed) {
                        n_freed = w->keys[i].n;
                        out->freed_chunk_key = true;
                        out->tcache_key = w->keys[i].key;
                }
        out->note = make_note(out, w, n_freed, &r);
}

void heap_facts_done(struct heap_facts *h)
{
        if (!h)
                return;
        free((char *) h->note);
        *h = (struct heap_facts) {};
}

#define TCACHE_BINS 64                       /* glibc 2.36 TCACHE_MAX_BINS */
#define TCACHE_STRUCT_SIZE 0x290ULL          /* counts[64] (uint16) + entries[64] + header */
#define TCACHE_FOLLOW_MAX 4096               /* list entries followed in all */

/* Is the chunk at c on one of the main thread's tcache lists? *key gets the
 * tcache key of the first entry seen (0 if none). */
static bool in_tcache(struct reader *r, uint64_t tcache, uint64_t c, uint64_t *key, unsigned *bin)
{
        unsigned followed = 0;

        *key = 0;
        for (unsigned i = 0; i < TCACHE_BINS; i++) {
                uint64_t counts, e;
                if (read_u64(r, tcache + 0x10 + (i / 4) * 8, &counts) < 0 ||
                    read_u64(r, tcache + 0x10 + 0x80 + i * 8, &e) < 0)
                        return false;
                unsigned n = (counts >> (16 * (i % 4))) & 0xffff;
                for (unsigned j = 0; j < n && e && followed < TCACHE_FOLLOW_MAX; j++, followed++) {
                        uint64_t next, k;
                        if ((e & 0xf) != 0 || e < r->lo + 0x10 || e >= r->hi)
                                break; /* a damaged list: stop following it */
                        if (!*key && read_u64(r, e + 8, &k) == 0)
                                *key = k;
                        if (e - 0x10 == c) {
                                *bin = i;
                                return true;
                        }
                        if (read_u64(r, e, &next) < 0)
                                break;
                        e = next ^ (e >> 12);
                }
        }
        return false;
}

void heap_chunk_state(heap_read_fn read, void *ctx, uint64_t heap_start, uint64_t heap_end, uint64_t addr,
                      struct ptr_load_facts *out)
{
        _cleanup_free_ uint8_t *buf = NULL;
        struct reader r;
        uint64_t field, next_field;

        if (!read || !out || heap_end <= heap_start || addr < heap_start || addr >= heap_end)
                return;
        buf = malloc(HEAP_WINDOW);
        if (!buf)
                return;
        r = (struct reader) { .read = read, .ctx = ctx, .lo = heap_start, .hi = heap_end, .buf = buf };

        uint64_t first = (heap_start + 15) & ~(uint64_t) 15, c = first;
        bool found = false;
        for (size_t n = 0; n < HEAP_CHUNKS_MAX; n++) {
                if (read_u64(&r, c + 8, &field) < 0)
                        return;
                uint64_t size = field & SIZE_MASK;
                if (!size_plausible(&r, c, size) || size == r.hi - c)
                        return; /* corrupt, or the top chunk */
                if (addr >= c + 0x10 && addr < c + size + 8) {
                        found = true; /* the usable bytes run over the next prev_size */
                        break;
                }
                c += size;
        }
        if (!found)
                return;
        uint64_t size = field & SIZE_MASK;
        bool tcache_struct = c == first && size == TCACHE_STRUCT_SIZE;
        if (tcache_struct)
                return;
        out->in_chunk = true;
        out->chunk_addr = c;
        out->chunk_size = size;

        uint64_t key = 0, own_key;
        unsigned bin = 0;
        uint64_t tfield;
        if (read_u64(&r, first + 8, &tfield) == 0 && (tfield & SIZE_MASK) == TCACHE_STRUCT_SIZE) {
                if (in_tcache(&r, first, c, &key, &bin)) {
                        out->chunk_free = true;
                        out->free_how = "on the main thread's tcache list";
                        return;
                }
                if (key && read_u64(&r, c + 0x18, &own_key) == 0 && own_key == key) {
                        out->chunk_free = true;
                        out->free_how = "carrying glibc's tcache key (freed into a thread's tcache)";
                        return;
                }
        }
        /* a bin chunk: the next chunk says its predecessor is not in use
         * (usable bytes of a chunk in use never reach past c + size + 8) */
        if (c + size + 16 <= r.hi && read_u64(&r, c + size + 8, &next_field) == 0 && !(next_field & 1)) {
                uint64_t prev_size;
                if (read_u64(&r, c + size, &prev_size) == 0 && prev_size == size) {
                        out->chunk_free = true;
                        out->free_how = "in a bin (the next chunk's PREV_INUSE bit is clear and its prev_size matches)";
                }
        }
}

#define COPY_WINDOW (64U << 10)
#define COPY_BLOCK 256U

static bool copy_anchor_varied(const uint8_t *b, size_t n)
{
        bool seen[256] = { false };
        unsigned distinct = 0, zeros = 0;

        for (size_t i = 0; i < n; i++) {
                if (!seen[b[i]]) {
                        seen[b[i]] = true;
                        distinct++;
                }
                zeros += b[i] == 0;
        }
        return distinct >= 5 && zeros <= n / 2;
}

/* The first address in [start, end) other than skip where pat is found;
 * 0 when none (or the budget ran out). */
static uint64_t copy_search(heap_read_fn read, void *ctx, uint8_t *buf, uint64_t start, uint64_t end,
                            const uint8_t *pat, uint64_t skip, uint64_t *budget)
{
        if (end - start > HEAP_COPY_REGION_MAX)
                end = start + HEAP_COPY_REGION_MAX;
        for (uint64_t a = start; a < end && end - a >= HEAP_COPY_ANCHOR;) {
                size_t want = (size_t) MIN((uint64_t) COPY_WINDOW, end - a);
                if (*budget < want)
                        return 0;
                ssize_t n = read(ctx, a, buf, want);
                *budget -= want;
                if (n >= HEAP_COPY_ANCHOR) {
                        const uint8_t *p = buf, *lim = buf + n;
                        while ((p = memmem(p, (size_t) (lim - p), pat, HEAP_COPY_ANCHOR)) != NULL) {
                                uint64_t at = a + (uint64_t) (p - buf);
                                if (at != skip)
                                        return at;
                                p++;
                        }
                }
                if (want < COPY_WINDOW)
                        break;
                a += COPY_WINDOW - (HEAP_COPY_ANCHOR - 1);
        }
        return 0;
}

/* How many bytes stay equal from x and y onwards (forward) or before them
 * (backward), up to max. */
static size_t copy_extend(heap_read_fn read, void *ctx, uint64_t x, uint64_t y, bool forward, size_t max)
{
        uint8_t bx[COPY_BLOCK], by[COPY_BLOCK];
        size_t done = 0;

        while (done < max) {
                size_t k = MIN((size_t) COPY_BLOCK, max - done);
                uint64_t ax = forward ? x + done : x - done - k, ay = forward ? y + done : y - done - k;
                if (!forward && (x < done + k || y < done + k))
                        break;
                ssize_t nx = read(ctx, ax, bx, k), ny = read(ctx, ay, by, k);
                if (nx != (ssize_t) k || ny != (ssize_t) k)
                        break; /* the block edge: no finer reads, the run is "at least" this */
                for (size_t i = 0; i < k; i++) {
                        size_t j = forward ? i : k - 1 - i;
                        if (bx[j] != by[j])
                                return done + i;
                }
                done += k;
        }
        return done;
}

void heap_find_copy(heap_read_fn read, void *ctx, const struct heap_copy_region *regions, size_t n_regions,
                    struct heap_facts *h)
{
        if (!read || !h || !h->corrupt || h->off_by_one || h->overflow || h->copied)
                return;
        _cleanup_free_ uint8_t *buf = malloc(COPY_WINDOW);
        if (!buf)
                return;
        uint64_t budget = HEAP_COPY_SEARCH_MAX;
        const int64_t offsets[] = { 16, 0, -16 };
        for (size_t o = 0; o < sizeof(offsets) / sizeof(offsets[0]); o++) {
                uint64_t a = h->bad.addr + (uint64_t) offsets[o];
                uint8_t pat[HEAP_COPY_ANCHOR];
                if (a < h->heap_start || a > h->heap_end || h->heap_end - a < HEAP_COPY_ANCHOR ||
                    read(ctx, a, pat, sizeof(pat)) != (ssize_t) sizeof(pat) || !copy_anchor_varied(pat, sizeof(pat)))
                        continue;
                for (size_t i = 0; i < n_regions; i++) {
                        const struct heap_copy_region *g = &regions[i];
                        if (g->end <= g->start)
                                continue;
                        uint64_t s = copy_search(read, ctx, buf, g->start, g->end, pat, a, &budget);
                        if (!s)
                                continue;
                        size_t fwd = copy_extend(read, ctx, a + HEAP_COPY_ANCHOR, s + HEAP_COPY_ANCHOR, true,
                                                 HEAP_COPY_EXTEND);
                        size_t back = copy_extend(read, ctx, a, s, false, HEAP_COPY_EXTEND);
                        uint64_t lo = a - back, hi = a + HEAP_COPY_ANCHOR + fwd;
                        /* zeros at the ends match zeros anywhere: no evidence */
                        uint8_t e;
                        while (hi > lo && read(ctx, hi - 1, &e, 1) == 1 && e == 0)
                                hi--;
                        while (lo < hi && read(ctx, lo, &e, 1) == 1 && e == 0)
                                lo++;
                        bool heap_src = s >= h->heap_start && s < h->heap_end;
                        if (hi - lo < (heap_src ? HEAP_COPY_MIN_HEAP : HEAP_COPY_MIN))
                                continue;
                        h->copied = true;
                        h->copy_lo = lo;
                        h->copy_hi = hi;
                        h->copy_src = s - (a - lo);
                        h->copy_src_name = g->name;
                        snprintf(h->copy_src_perms, sizeof(h->copy_src_perms), "%.4s", g->perms ? g->perms : "");
                        return;
                }
        }
}
