/* The zstd seekable format's seek table (contrib/seekable_format of zstd):
 * a skippable frame (magic 0x184D2A5E) holding one entry per frame
 * {compressed size, decompressed size[, checksum]} and a 9-byte footer
 * {number of frames, descriptor, magic 0x8F92EAB1}. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "io.h"

#define SEEKTABLE_SKIPPABLE_MAGIC 0x184D2A5EU
#define SEEKTABLE_MAGIC 0x8F92EAB1U
#define SEEKTABLE_FOOTER_SIZE 9
#define SEEKTABLE_MAX_FRAMES 0x8000000U
#define SEEKTABLE_MAX_FRAME_SIZE 0x40000000U

struct seek_entry {
        uint32_t csize;
        uint32_t dsize;
};

struct seek_table {
        struct seek_entry *entries;
        size_t n;
        size_t cap;
        /* Filled by seektable_parse: cumulative offsets, n+1 entries each. */
        uint64_t *coff;
        uint64_t *doff;
};

int seektable_add(struct seek_table *t, uint32_t csize, uint32_t dsize);
/* Serializes the table (no checksums) as a skippable frame. */
int seektable_encode(const struct seek_table *t, struct strbuf *out);
/* Parses the table at the end of a file of file_size bytes read through fd.
 * -EBADMSG when there is no valid seek table or the frame sizes do not add
 * up to the file size. On success fills t (entries, coff, doff). */
int seektable_parse(int fd, uint64_t file_size, struct seek_table *t);
/* The frame holding decompressed offset off, or -ERANGE. */
ssize_t seektable_find(const struct seek_table *t, uint64_t off);
void seektable_free(struct seek_table *t);
