#include "writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "io.h"
#include "seektable.h"
#include "util.h"

#define DEFAULT_FRAME_SIZE (2u << 20)

struct bundle_writer {
        int fd;
        ZSTD_CCtx *cctx;
        uint8_t *in;
        size_t in_len;
        size_t frame_size;
        uint8_t *out;
        size_t out_cap;
        uint64_t compressed;
        uint64_t offset; /* tar stream bytes accepted */
        struct seek_table table;
        struct bundle_member *members;
        size_t n_members;
        size_t cap_members;
        bool in_member;
        uint64_t member_left;
        bool failed;
        bool finished;
};

int bundle_writer_new(int fd, const struct bundle_writer_options *opts,
                      struct bundle_writer **ret)
{
        struct bundle_writer *w = calloc(1, sizeof(*w));
        if (!w)
                return -ENOMEM;
        w->fd = fd;
        w->frame_size = opts && opts->frame_size ? opts->frame_size : DEFAULT_FRAME_SIZE;
        if (w->frame_size > SEEKTABLE_MAX_FRAME_SIZE)
                w->frame_size = SEEKTABLE_MAX_FRAME_SIZE;
        w->in = malloc(w->frame_size);
        w->out_cap = ZSTD_compressBound(w->frame_size);
        w->out = malloc(w->out_cap);
        w->cctx = ZSTD_createCCtx();
        if (!w->in || !w->out || !w->cctx) {
                bundle_writer_free(w);
                return -ENOMEM;
        }
        int level = opts && opts->level ? opts->level : 1;
        ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, level);
        ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_checksumFlag, 1);
        ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_contentSizeFlag, 1);
        if (opts && opts->workers > 1)
                ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_nbWorkers, opts->workers);
        *ret = w;
        return 0;
}

void bundle_writer_free(struct bundle_writer *w)
{
        if (!w)
                return;
        ZSTD_freeCCtx(w->cctx);
        free(w->in);
        free(w->out);
        free(w->members);
        seektable_free(&w->table);
        free(w);
}

static int flush_frame(struct bundle_writer *w)
{
        if (w->in_len == 0)
                return 0;
        size_t n = ZSTD_compress2(w->cctx, w->out, w->out_cap, w->in, w->in_len);
        if (ZSTD_isError(n))
                return -EIO;
        int r = write_full(w->fd, w->out, n);
        if (r < 0)
                return r;
        r = seektable_add(&w->table, (uint32_t)n, (uint32_t)w->in_len);
        if (r < 0)
                return r;
        w->compressed += n;
        w->in_len = 0;
        return 0;
}

/* Appends raw tar bytes, cutting frames at frame_size. */
static int put(struct bundle_writer *w, const void *data, size_t len)
{
        if (w->failed)
                return -EIO;
        const uint8_t *p = data;
        while (len > 0) {
                size_t take = MIN(len, w->frame_size - w->in_len);
                if (p)
                        memcpy(w->in + w->in_len, p, take);
                else
                        memset(w->in + w->in_len, 0, take);
                w->in_len += take;
                w->offset += take;
                len -= take;
                if (p)
                        p += take;
                if (w->in_len == w->frame_size) {
                        int r = flush_frame(w);
                        if (r < 0) {
                                w->failed = true;
                                return r;
                        }
                }
        }
        return 0;
}

int bundle_writer_begin(struct bundle_writer *w, const char *name, uint64_t size, time_t mtime)
{
        if (w->in_member || w->finished)
                return -EBUSY;
        if (w->n_members == w->cap_members) {
                size_t cap = w->cap_members ? w->cap_members * 2 : 32;
                struct bundle_member *m = realloc(w->members, cap * sizeof(*m));
                if (!m)
                        return -ENOMEM;
                w->members = m;
                w->cap_members = cap;
        }
        uint8_t hdr[TAR_BLOCK];
        int r = tar_header_encode(hdr, name, size, mtime, 0600);
        if (r < 0)
                return r;
        struct bundle_member *m = &w->members[w->n_members];
        memset(m, 0, sizeof(*m));
        snprintf(m->name, sizeof(m->name), "%s", name);
        m->header_offset = w->offset;
        m->offset = w->offset + TAR_BLOCK;
        m->size = size;
        r = put(w, hdr, TAR_BLOCK);
        if (r < 0)
                return r;
        w->n_members++;
        w->in_member = true;
        w->member_left = size;
        return 0;
}

int bundle_writer_write(struct bundle_writer *w, const void *data, size_t len)
{
        if (!w->in_member)
                return -EINVAL;
        if (len > w->member_left)
                return -EFBIG;
        int r = put(w, data, len);
        if (r < 0)
                return r;
        w->member_left -= len;
        return 0;
}

int64_t bundle_writer_pad(struct bundle_writer *w)
{
        if (!w->in_member)
                return -EINVAL;
        uint64_t left = w->member_left;
        while (w->member_left > 0) {
                size_t chunk = (size_t)MIN(w->member_left, (uint64_t)w->frame_size);
                int r = put(w, NULL, chunk);
                if (r < 0)
                        return r;
                w->member_left -= chunk;
        }
        return (int64_t)left;
}

uint64_t bundle_writer_remaining(const struct bundle_writer *w)
{
        return w->in_member ? w->member_left : 0;
}

int bundle_writer_end(struct bundle_writer *w)
{
        if (!w->in_member)
                return -EINVAL;
        if (w->member_left != 0)
                return -EBADFD;
        w->in_member = false;
        uint64_t size = w->members[w->n_members - 1].size;
        return put(w, NULL, (size_t)tar_padding(size));
}

int bundle_writer_add(struct bundle_writer *w, const char *name, const void *data, size_t len,
                      time_t mtime)
{
        int r = bundle_writer_begin(w, name, len, mtime);
        if (r < 0)
                return r;
        r = bundle_writer_write(w, data, len);
        if (r < 0)
                return r;
        return bundle_writer_end(w);
}

uint64_t bundle_writer_compressed(const struct bundle_writer *w) { return w->compressed; }
uint64_t bundle_writer_offset(const struct bundle_writer *w) { return w->offset; }

const struct bundle_member *bundle_writer_members(const struct bundle_writer *w, size_t *ret_n)
{
        *ret_n = w->n_members;
        return w->members;
}

int bundle_writer_finish(struct bundle_writer *w)
{
        if (w->in_member)
                return -EBUSY;
        if (w->finished)
                return -EALREADY;
        /* end of archive: two zero blocks */
        int r = put(w, NULL, 2 * TAR_BLOCK);
        if (r < 0)
                return r;
        r = flush_frame(w);
        if (r < 0)
                return r;
        struct strbuf sb;
        strbuf_init(&sb);
        r = seektable_encode(&w->table, &sb);
        if (r == 0)
                r = write_full(w->fd, sb.data, sb.len);
        strbuf_free(&sb);
        if (r < 0)
                return r;
        w->finished = true;
        return 0;
}
