/* SHA-256 (FIPS 180-4), for the database's keys: a bundle path or a
 * crash's identity of any length becomes 64 hex digits that fit any index. */
#pragma once

#include <stddef.h>

#define SHA256_HEX_SIZE 65 /* 64 hex digits and a NUL */

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_SIZE]);
