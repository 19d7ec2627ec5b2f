#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zstd.h>

#include "io.h"
#include "seektable.h"
#include "util.h"

#define CACHE_SLOTS 8

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
        struct bundle_member *members;
        size_t n_members;
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
                free(r->slots[i].data);
        free(r->members);
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
        if (victim->cap < e->dsize || !victim->data) {
                uint8_t *d = realloc(victim->data, e->dsize ? e->dsize : 1);
                if (!d)
                        return -ENOMEM;
                victim->data = d;
                victim->cap = e->dsize;
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

int bundle_reader_members(struct bundle_reader *r, const struct bundle_member **ret,
                          size_t *ret_n)
{
        if (r->members_state == 0) {
                int e = walk_members(r);
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
        for (size_t i = 0; i < n; i++)
                if (strcmp(m[i].name, name) == 0) {
                        *ret = &m[i];
                        return 0;
                }
        return -ENOENT;
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
