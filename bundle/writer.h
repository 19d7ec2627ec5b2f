/* Streaming bundle writer: a tar stream cut into independent zstd frames,
 * followed by a zstd seekable-format seek table. Memory use is bounded by
 * the frame size (input buffer + one compressed buffer + zstd's context),
 * whatever the amount of data written. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "tar.h"

struct bundle_member {
        char name[TAR_NAME_MAX + 1];
        uint64_t header_offset; /* offset of the tar header in the tar stream */
        uint64_t offset;        /* offset of the data in the tar stream */
        uint64_t size;          /* data bytes */
};

struct bundle_writer_options {
        size_t frame_size; /* uncompressed bytes per frame; 0 = default (2 MiB) */
        int level;         /* zstd level; 0 = default (1) */
        int workers;       /* compression threads; 0 or 1 = none (compress inline).
                            * N > 1: N threads compress whole frames while the
                            * caller fills the next; memory grows by about
                            * (N + 1) x 2 x frame_size, and
                            * bundle_writer_compressed() counts frames still in
                            * flight at their input size. */
};

struct bundle_writer;

/* Writes to fd (not owned) from its current position. An fd with O_DIRECT
 * set (at an aligned position) is written in aligned 1 MiB chunks, staged,
 * bypassing the page cache; the tail at bundle_writer_finish() goes out with
 * O_DIRECT cleared. Where O_DIRECT cannot be used it is cleared. */
int bundle_writer_new(int fd, const struct bundle_writer_options *opts,
                      struct bundle_writer **ret);
void bundle_writer_free(struct bundle_writer *w);

/* A whole member from memory. */
int bundle_writer_add(struct bundle_writer *w, const char *name, const void *data, size_t len,
                      time_t mtime);

/* A streamed member whose size is announced up front. Write exactly `size`
 * bytes with bundle_writer_write(), or call bundle_writer_pad() to fill the
 * rest with zeros, then bundle_writer_end(). */
int bundle_writer_begin(struct bundle_writer *w, const char *name, uint64_t size, time_t mtime);
int bundle_writer_write(struct bundle_writer *w, const void *data, size_t len);
/* Zero-copy writing into the open member: reserve gives the free part of
 * the current frame buffer (at most the member's remaining bytes, possibly
 * less than asked for anything); fill n bytes of it and commit them. Nothing
 * else may be called on w in between. */
int bundle_writer_reserve(struct bundle_writer *w, void **ret, size_t *ret_len);
int bundle_writer_commit(struct bundle_writer *w, size_t n);
/* Fills the rest of the open member with zeros; returns bytes padded. */
int64_t bundle_writer_pad(struct bundle_writer *w);
/* Bytes still owed to the open member. */
uint64_t bundle_writer_remaining(const struct bundle_writer *w);
int bundle_writer_end(struct bundle_writer *w);

/* Compressed bytes written to fd so far (frames only). */
uint64_t bundle_writer_compressed(const struct bundle_writer *w);
/* Uncompressed tar bytes so far. */
uint64_t bundle_writer_offset(const struct bundle_writer *w);
/* Members added so far (valid until the next add/begin). */
const struct bundle_member *bundle_writer_members(const struct bundle_writer *w, size_t *ret_n);

/* Ends the tar stream, flushes the last frame and writes the seek table. */
int bundle_writer_finish(struct bundle_writer *w);
