/* UTF-8 decoding for the escapers (terminal, JSON, the crash database):
 * one definition of what counts as valid. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes) and its code
 * point in *ret_cp; 0 if invalid (a stray or missing continuation byte,
 * overlong, a surrogate, beyond U+10FFFF, cut at n). */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *ret_cp);
