#include "seektable.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void put32(uint8_t *p, uint32_t v)
{
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
        p[2] = (uint8_t)(v >> 16);
        p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int seektable_add(struct seek_table *t, uint32_t csize, uint32_t dsize)
{
        if (t->n >= SEEKTABLE_MAX_FRAMES)
                return -E2BIG;
        if (t->n == t->cap) {
                size_t cap = t->cap ? t->cap * 2 : 64;
                struct seek_entry *e = realloc(t->entries, cap * sizeof(*e));
                if (!e)
                        return -ENOMEM;
                t->entries = e;
                t->cap = cap;
        }
        t->entries[t->n++] = (struct seek_entry){ csize, dsize };
        return 0;
}

int seektable_encode(const struct seek_table *t, struct strbuf *out)
{
        uint8_t b[12];
        uint64_t content = (uint64_t)t->n * 8 + SEEKTABLE_FOOTER_SIZE;
        if (content > UINT32_MAX)
                return -E2BIG;
        put32(b, SEEKTABLE_SKIPPABLE_MAGIC);
        put32(b + 4, (uint32_t)content);
        strbuf_append(out, b, 8);
        for (size_t i = 0; i < t->n; i++) {
                put32(b, t->entries[i].csize);
                put32(b + 4, t->entries[i].dsize);
                strbuf_append(out, b, 8);
        }
        put32(b, (uint32_t)t->n);
        b[4] = 0; /* descriptor: no checksums (each frame carries zstd's own) */
        put32(b + 5, SEEKTABLE_MAGIC);
        strbuf_append(out, b, SEEKTABLE_FOOTER_SIZE);
        return out->oom ? -ENOMEM : 0;
}

int seektable_parse(int fd, uint64_t file_size, struct seek_table *t)
{
        memset(t, 0, sizeof(*t));
        uint8_t foot[SEEKTABLE_FOOTER_SIZE];
        if (file_size < SEEKTABLE_FOOTER_SIZE + 8)
                return -EBADMSG;
        ssize_t n = pread_full(fd, foot, sizeof(foot), file_size - sizeof(foot));
        if (n < 0)
                return (int)n;
        if ((size_t)n != sizeof(foot) || get32(foot + 5) != SEEKTABLE_MAGIC)
                return -EBADMSG;
        uint32_t frames = get32(foot);
        uint8_t desc = foot[4];
        if (desc & 0x7c) /* reserved bits must be zero */
                return -EBADMSG;
        size_t esize = (desc & 0x80) ? 12 : 8;
        if (frames > SEEKTABLE_MAX_FRAMES)
                return -EBADMSG;
        uint64_t table = (uint64_t)frames * esize + SEEKTABLE_FOOTER_SIZE + 8;
        if (table > file_size)
                return -EBADMSG;
        uint8_t hdr[8];
        n = pread_full(fd, hdr, 8, file_size - table);
        if (n != 8 || get32(hdr) != SEEKTABLE_SKIPPABLE_MAGIC || get32(hdr + 4) != table - 8)
                return -EBADMSG;

        _cleanup_free_ uint8_t *raw = malloc(frames ? (size_t)frames * esize : 1);
        t->entries = calloc(frames ? frames : 1, sizeof(*t->entries));
        t->coff = calloc((size_t)frames + 1, sizeof(uint64_t));
        t->doff = calloc((size_t)frames + 1, sizeof(uint64_t));
        if (!raw || !t->entries || !t->coff || !t->doff) {
                seektable_free(t);
                return -ENOMEM;
        }
        n = pread_full(fd, raw, (size_t)frames * esize, file_size - table + 8);
        if (n < 0 || (size_t)n != (size_t)frames * esize) {
                seektable_free(t);
                return n < 0 ? (int)n : -EBADMSG;
        }
        t->n = t->cap = frames;
        for (uint32_t i = 0; i < frames; i++) {
                const uint8_t *e = raw + (size_t)i * esize;
                t->entries[i].csize = get32(e);
                t->entries[i].dsize = get32(e + 4);
                if (t->entries[i].dsize > SEEKTABLE_MAX_FRAME_SIZE || t->entries[i].csize == 0) {
                        seektable_free(t);
                        return -EBADMSG;
                }
                t->coff[i + 1] = t->coff[i] + t->entries[i].csize;
                t->doff[i + 1] = t->doff[i] + t->entries[i].dsize;
        }
        if (t->coff[frames] != file_size - table) {
                seektable_free(t);
                return -EBADMSG;
        }
        return 0;
}

ssize_t seektable_find(const struct seek_table *t, uint64_t off)
{
        if (t->n == 0 || off >= t->doff[t->n])
                return -ERANGE;
        size_t lo = 0, hi = t->n; /* invariant: doff[lo] <= off < doff[hi] */
        while (hi - lo > 1) {
                size_t mid = lo + (hi - lo) / 2;
                if (t->doff[mid] <= off)
                        lo = mid;
                else
                        hi = mid;
        }
        return (ssize_t)lo;
}

void seektable_free(struct seek_table *t)
{
        free(t->entries);
        free(t->coff);
        free(t->doff);
        memset(t, 0, sizeof(*t));
}
