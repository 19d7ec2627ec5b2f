/* Random-access reader of a bundle: reads the seek table, then serves reads
 * of the uncompressed tar stream by decompressing only the frames that hold
 * the requested bytes (kept in a small LRU). Never trusts sizes in the file:
 * every offset is checked against the file and the seek table. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "writer.h"

struct bundle_reader;

/* fd is owned by the reader afterwards (closed by bundle_reader_free).
 * Errors: -EBADMSG (not a bundle / corrupt seek table), -errno. */
int bundle_reader_open_fd(int fd, struct bundle_reader **ret);
int bundle_reader_open(const char *path, struct bundle_reader **ret);
void bundle_reader_free(struct bundle_reader *r);

/* Size of the uncompressed tar stream. */
uint64_t bundle_reader_size(const struct bundle_reader *r);
/* Number of zstd frames and how many were decompressed so far. */
size_t bundle_reader_frames(const struct bundle_reader *r);
uint64_t bundle_reader_decompressions(const struct bundle_reader *r);

/* Reads up to len bytes of the tar stream at off. Returns bytes read (short
 * only at the end of the stream), -EBADMSG for a corrupt frame, -EFBIG for
 * a frame larger than the reader decompresses (64 MiB, or an eighth of
 * ulimit -v). Decompressed frames kept: at most 128 MiB (a quarter of
 * ulimit -v). */
ssize_t bundle_reader_pread(struct bundle_reader *r, void *buf, size_t len, uint64_t off);

/* The members, from the tar headers (walked once, lazily). -EBADMSG if a
 * header is corrupt or a member runs past the end of the stream. */
int bundle_reader_members(struct bundle_reader *r, const struct bundle_member **ret,
                          size_t *ret_n);
/* -ENOENT if absent. */
int bundle_reader_find(struct bundle_reader *r, const char *name,
                       const struct bundle_member **ret);
/* Reads a whole member (at most max bytes, else -EFBIG) NUL-terminated. */
int bundle_reader_read_member(struct bundle_reader *r, const char *name, size_t max, char **ret,
                              size_t *ret_len);
