#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <zstd.h>

#include "io.h"
#include "seektable.h"
#include "util.h"

#define CACHE_SLOTS 16
/* A frame is decompressed whole, and reads that alternate between frames
 * decompress them again and again: frames larger than BUNDLE_FRAME_MAX
 * (corecollect writes 2 MiB ones) are refused as too large for the limits, and the
 * decompressed frames kept take at most CACHE_BYTES. Both shrink to an
 * eighth and a quarter of the address space the user allows (ulimit -v). */
#define CACHE_BYTES (128u << 20)

/* Decompressed frames live in their own mappings, aligned to and rounded
 * up to 2 MiB and marked MADV_HUGEPAGE: zstd writes every page of a frame,
 * and with 4 KiB pages each first write is a page fault (512 per 2 MiB
 * frame: 44% of an analysis's faults on fixtures/threads.zst, which cost
 * more system time than all zstd's user time); with transparent huge
 * pages ("madvise" or "always") it is one. */
#define FRAME_ALIGN ((size_t)2 << 20)

static void *frame_buf_new(size_t size, size_t *ret_cap)
{
        size_t cap = (size + FRAME_ALIGN - 1) / FRAME_ALIGN * FRAME_ALIGN;
        if (cap == 0)
                cap = FRAME_ALIGN;
        uint8_t *p = mmap(NULL, cap + FRAME_ALIGN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
                return NULL;
        size_t lead = (FRAME_ALIGN - (uintptr_t)p % FRAME_ALIGN) % FRAME_ALIGN;
        if (lead)
                munmap(p, lead);
        munmap(p + lead + cap, FRAME_ALIGN - lead);
        (void)madvise(p + lead, cap, MADV_HUGEPAGE);
        *ret_cap = cap;
        return p + lead;
}

static void frame_buf_free(void *p, size_t cap)
{
        if (p)
                munmap(p, cap);
}

struct frame_slot {
        ssize_t frame; /* -1 when empty */
        uint8_t *data;
        size_t cap;
        uint64_t last_use;
};

struct bundle_reader {
        int fd;
        uint64_t file_size;
        struct seek_table table;
        ZSTD_DCtx *dctx;
        uint8_t *cbuf;
        size_t cbuf_cap;
        struct frame_slot slots[CACHE_SLOTS];
        uint64_t tick;
        uint64_t decompressions;
        uint64_t frame_max;    /* largest frame decompressed */
        uint64_t cache_bytes;  /* decompressed frames kept, at least one frame */
        struct bundle_member *members;
        size_t n_members;
        size_t *by_name; /* member indices sorted by (name, index) */
        int members_state; /* 0 not walked, 1 ok, <0 error */
};

int bundle_reader_open_fd(int fd, struct bundle_reader **ret)
{
        _cleanup_close_ int owned = fd;
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EBADMSG;
        struct bundle_reader *r = calloc(1, sizeof(*r));
        if (!r)
                return -ENOMEM;
        r->fd = TAKE_FD(owned);
        r->file_size = (uint64_t)st.st_size;
        r->frame_max = BUNDLE_FRAME_MAX;
        r->cache_bytes = CACHE_BYTES;
        struct rlimit rl;
        if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
                r->frame_max = MIN(r->frame_max, (uint64_t)rl.rlim_cur / 8);
                r->cache_bytes = MIN(r->cache_bytes, (uint64_t)rl.rlim_cur / 4);
        }
        for (size_t i = 0; i < CACHE_SLOTS; i++)
                r->slots[i].frame = -1;
        int e = seektable_parse(r->fd, r->file_size, &r->table);
        if (e < 0) {
                bundle_reader_free(r);
                return e;
        }
        r->dctx = ZSTD_createDCtx();
        if (!r->dctx) {
                bundle_reader_free(r);
                return -ENOMEM;
        }
        *ret = r;
        return 0;
}

int bundle_reader_open(const char *path, struct bundle_reader **ret)
{
        /* a FIFO must not block the open: bundle_reader_open_fd refuses
         * anything but a regular file, then reads block as usual */
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        struct stat st;
        int r = fstat(fd, &st) < 0 ? -errno : !S_ISREG(st.st_mode) ? -EBADMSG : 0;
        int fl = r == 0 ? fcntl(fd, F_GETFL) : 0;
        if (r == 0 && (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0))
                r = -errno;
        if (r < 0) {
                close(fd);
                return r;
        }
        return bundle_reader_open_fd(fd, ret);
}

void bundle_reader_free(struct bundle_reader *r)
{
        if (!r)
                return;
        if (r->fd >= 0)
                close(r->fd);
        seektable_free(&r->table);
        ZSTD_freeDCtx(r->dctx);
        free(r->cbuf);
        for (size_t i = 0; i < CACHE_SLOTS; i++)
                frame_buf_free(r->slots[i].data, r->slots[i].cap);
        free(r->members);
        free(r->by_name);
        free(r);
}

uint64_t bundle_reader_size(const struct bundle_reader *r) { return r->table.doff[r->table.n]; }
size_t bundle_reader_frames(const struct bundle_reader *r) { return r->table.n; }
uint64_t bundle_reader_decompressions(const struct bundle_reader *r) { return r->decompressions; }

/* Returns the decompressed frame, from the cache or freshly decoded. */
static int get_frame(struct bundle_reader *r, size_t frame, const uint8_t **ret)
{
        /* Look at every slot: a failed decompression leaves an empty slot
         * anywhere, with cached frames after it. */
        struct frame_slot *victim = NULL;
        for (size_t i = 0; i < CACHE_SLOTS; i++) {
                struct frame_slot *s = &r->slots[i];
                if (s->frame == (ssize_t)frame) {
                        s->last_use = ++r->tick;
                        *ret = s->data;
                        return 0;
                }
                /* an empty slot if any, else the least recently used */
                if (!victim || (victim->frame >= 0 &&
                                (s->frame < 0 || s->last_use < victim->last_use)))
                        victim = s;
        }
        const struct seek_entry *e = &r->table.entries[frame];
        if (e->csize > r->cbuf_cap) {
                uint8_t *b = realloc(r->cbuf, e->csize);
                if (!b)
                        return -ENOMEM;
                r->cbuf = b;
                r->cbuf_cap = e->csize;
        }
        ssize_t n = pread_full(r->fd, r->cbuf, e->csize, r->table.coff[frame]);
        if (n < 0)
                return (int)n;
        if ((size_t)n != e->csize)
                return -EBADMSG;
        /* The frame must be exactly one zstd frame of exactly dsize bytes.
         * Check what its header says before allocating dsize (up to 1 GiB)
         * on the word of the seek table alone. */
        if (ZSTD_findFrameCompressedSize(r->cbuf, e->csize) != e->csize)
                return -EBADMSG;
        unsigned long long fcs = ZSTD_getFrameContentSize(r->cbuf, e->csize);
        if (fcs == ZSTD_CONTENTSIZE_ERROR || (fcs != ZSTD_CONTENTSIZE_UNKNOWN && fcs != e->dsize))
                return -EBADMSG;
        if (e->dsize > r->frame_max)
                return -EFBIG;
        /* keep the cache within CACHE_BYTES (or this one frame): drop the
         * least recently used others first */
        for (;;) {
                uint64_t held = 0;
                struct frame_slot *old = NULL;
                for (size_t i = 0; i < CACHE_SLOTS; i++) {
                        struct frame_slot *s = &r->slots[i];
                        if (s == victim || !s->data)
                                continue;
                        held += s->cap;
                        if (!old || s->frame < 0 || (old->frame >= 0 && s->last_use < old->last_use))
                                old = s;
                }
                if (!old || held + MAX((uint64_t)victim->cap, (uint64_t)e->dsize) <= r->cache_bytes)
                        break;
                frame_buf_free(old->data, old->cap);
                old->data = NULL;
                old->cap = 0;
                old->frame = -1;
        }
        if (victim->cap < e->dsize || !victim->data) {
                size_t cap;
                uint8_t *d = frame_buf_new(e->dsize, &cap);
                if (!d)
                        return -ENOMEM;
                frame_buf_free(victim->data, victim->cap);
                victim->data = d;
                victim->cap = cap;
        }
        victim->frame = -1;
        size_t got = ZSTD_decompressDCtx(r->dctx, victim->data, e->dsize, r->cbuf, e->csize);
        if (ZSTD_isError(got) || got != e->dsize)
                return -EBADMSG;
        r->decompressions++;
        victim->frame = (ssize_t)frame;
        victim->last_use = ++r->tick;
        *ret = victim->data;
        return 0;
}

ssize_t bundle_reader_pread(struct bundle_reader *r, void *buf, size_t len, uint64_t off)
{
        uint64_t size = bundle_reader_size(r);
        if (off >= size)
                return 0;
        len = (size_t)MIN((uint64_t)len, size - off);
        uint8_t *out = buf;
        size_t done = 0;
        while (done < len) {
                ssize_t f = seektable_find(&r->table, off + done);
                if (f < 0)
                        return -EBADMSG;
                const uint8_t *data = NULL;
                int e = get_frame(r, (size_t)f, &data);
                if (e < 0)
                        return e;
                uint64_t in_frame = off + done - r->table.doff[f];
                size_t take = (size_t)MIN((uint64_t)(len - done),
                                          r->table.entries[f].dsize - in_frame);
                memcpy(out + done, data + in_frame, take);
                done += take;
        }
        return (ssize_t)done;
}

static int walk_members(struct bundle_reader *r)
{
        uint64_t size = bundle_reader_size(r);
        uint64_t off = 0;
        size_t cap = 0;
        for (;;) {
                uint8_t hdr[TAR_BLOCK];
                ssize_t n = bundle_reader_pread(r, hdr, TAR_BLOCK, off);
                if (n < 0)
                        return (int)n;
                if (n != TAR_BLOCK)
                        return -EBADMSG; /* no end-of-archive marker */
                char name[TAR_NAME_MAX + 1];
                uint64_t msize;
                char type;
                int k = tar_header_decode(hdr, name, &msize, &type);
                if (k < 0)
                        return k;
                if (k == 0)
                        return 0;
                if (msize > size || off + TAR_BLOCK > size - msize)
                        return -EBADMSG;
                if (type == '0') {
                        if (r->n_members == cap) {
                                cap = cap ? cap * 2 : 16;
                                struct bundle_member *m = realloc(r->members, cap * sizeof(*m));
                                if (!m)
                                        return -ENOMEM;
                                r->members = m;
                        }
                        struct bundle_member *m = &r->members[r->n_members++];
                        memcpy(m->name, name, sizeof(m->name));
                        m->header_offset = off;
                        m->offset = off + TAR_BLOCK;
                        m->size = msize;
                }
                off += TAR_BLOCK + msize + tar_padding(msize);
        }
}

static const struct bundle_member *sort_base;

static int by_name_cmp(const void *a, const void *b)
{
        size_t x = *(const size_t *)a, y = *(const size_t *)b;
        int c = strcmp(sort_base[x].name, sort_base[y].name);
        return c ? c : (x < y ? -1 : x > y);
}

int bundle_reader_members(struct bundle_reader *r, const struct bundle_member **ret,
                          size_t *ret_n)
{
        if (r->members_state == 0) {
                int e = walk_members(r);
                if (e == 0) {
                        /* for bundle_reader_find: a bundle may hold many members */
                        r->by_name = malloc((r->n_members ? r->n_members : 1) * sizeof(*r->by_name));
                        if (!r->by_name)
                                e = -ENOMEM;
                        for (size_t i = 0; e == 0 && i < r->n_members; i++)
                                r->by_name[i] = i;
                        sort_base = r->members;
                        if (e == 0)
                                qsort(r->by_name, r->n_members, sizeof(*r->by_name), by_name_cmp);
                }
                r->members_state = e < 0 ? e : 1;
        }
        if (r->members_state < 0)
                return r->members_state;
        *ret = r->members;
        *ret_n = r->n_members;
        return 0;
}

int bundle_reader_find(struct bundle_reader *r, const char *name,
                       const struct bundle_member **ret)
{
        const struct bundle_member *m;
        size_t n;
        int e = bundle_reader_members(r, &m, &n);
        if (e < 0)
                return e;
        size_t lo = 0, hi = n; /* the first of that name */
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(m[r->by_name[mid]].name, name) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo == n || strcmp(m[r->by_name[lo]].name, name) != 0)
                return -ENOENT;
        *ret = &m[r->by_name[lo]];
        return 0;
}

int bundle_reader_read_member(struct bundle_reader *r, const char *name, size_t max, char **ret,
                              size_t *ret_len)
{
        const struct bundle_member *m;
        int e = bundle_reader_find(r, name, &m);
        if (e < 0)
                return e;
        if (m->size > max)
                return -EFBIG;
        char *buf = malloc((size_t)m->size + 1);
        if (!buf)
                return -ENOMEM;
        ssize_t n = bundle_reader_pread(r, buf, (size_t)m->size, m->offset);
        if (n < 0 || (uint64_t)n != m->size) {
                free(buf);
                return n < 0 ? (int)n : -EBADMSG;
        }
        buf[m->size] = '\0';
        *ret = buf;
        if (ret_len)
                *ret_len = (size_t)m->size;
        return 0;
}
