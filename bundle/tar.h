/* ustar headers for the bundle's tar stream. Sizes above the octal field's
 * range (8 GiB) use the GNU base-256 form, which GNU tar reads. */
#pragma once

#include <stdint.h>
#include <time.h>

#define TAR_BLOCK 512
#define TAR_NAME_MAX 99

/* Fills a 512-byte header for a regular file. -ENAMETOOLONG if the name does
 * not fit the 100-byte name field. */
int tar_header_encode(uint8_t hdr[TAR_BLOCK], const char *name, uint64_t size, time_t mtime,
                      unsigned mode);

/* Parses a header. Returns 1 for a valid header, 0 for an all-zero block (end
 * of archive), -EBADMSG for a bad checksum or malformed field. name must have
 * room for TAR_NAME_MAX+1 bytes. */
int tar_header_decode(const uint8_t hdr[TAR_BLOCK], char *name, uint64_t *ret_size,
                      char *ret_type);

/* Bytes of padding after a member of this size. */
static inline uint64_t tar_padding(uint64_t size)
{
        return (TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK;
}
