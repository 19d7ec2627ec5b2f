/* A bounded walk of glibc's main heap (ptmalloc, x86-64, glibc 2.36) in the
 * crashed process's memory, for the classifier's heap facts (struct
 * heap_facts): is the chunk chain intact, where does it break, was the break
 * an off-by-one NUL into the next chunk's size field, are there freed tcache
 * chunks (their shared tcache_key). Pure code: memory comes through a read
 * callback; nothing here trusts a size it read. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../rules/facts.h"

/* Reads len bytes of process memory at addr into buf. Returns the number of
 * bytes read (short when the range leaves readable memory), 0 when addr is
 * not readable, -errno on errors. core_read_mem() fits with a cast of ctx. */
typedef ssize_t (*heap_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

/* Limits of one walk: the heap may be gigabytes. */
#define HEAP_READ_MAX (64ULL << 20) /* bytes read through the callback */
#define HEAP_CHUNKS_MAX 1000000

/* Walks the chunks of [heap_start, heap_end) (the [heap] mapping) from the
 * first chunk (heap_start aligned up to 16) to the top chunk, the chunk that
 * ends at heap_end. Fills *out (always reset first):
 *  - walked: at least one chunk header was read; chunks: how many were walked
 *    (the walk may stop early on a failed read or at the limits above; note
 *    says so).
 *  - corrupt, bad, before: the first size field that cannot be right (below
 *    0x20, not a multiple of 16, or running past heap_end, or whose successor
 *    is impossible and which lost its low byte), and the chunk before it.
 *  - off_by_one, expected_size: bad's low size byte is 0x00, the last 8
 *    usable bytes of before are all non-zero (a buffer filled to its usable
 *    size, then one more byte, typically the NUL of a string copy), and
 *    putting back a low byte (0x01, 0x11, ..., 0xf1) makes the chain continue
 *    to the top chunk (or for 16 chunks). The walk then continues after bad
 *    with the repaired size, so chunks counts the whole heap.
 *  - freed_chunk_key, tcache_key: at least 2 chunks look like tcache entries
 *    (a safe-linked next pointer that decodes to NULL or into the heap) and
 *    share a random-looking word at chunk+0x18 (glibc >= 2.34's tcache_key).
 *  - note: one line for the evidence, strdup'ed: the caller owns it and frees
 *    it with free((char *) out->note) or heap_facts_done(). NULL if memory
 *    ran out.
 * Never fails: what could not be learned is left unset. */
void heap_examine(heap_read_fn read, void *ctx, uint64_t heap_start, uint64_t heap_end,
                  struct heap_facts *out);

/* Frees what heap_examine() allocated (the note) and resets *h. */
void heap_facts_done(struct heap_facts *h);

/* The chunk of the main heap [heap_start, heap_end) that holds addr, and
 * whether glibc holds it as free. Walks the chunk chain from the start
 * (bounded like heap_examine; stops at the first impossible size field, so a
 * chunk past a corruption is never found). A chunk is free when:
 *  - it is on one of the main thread's tcache lists (the tcache_perthread
 *    struct is the heap's first chunk: counts[64], then entries[64]; the
 *    lists are safe-linked), or
 *  - its tcache key word (chunk+0x18) equals the key of a chunk on those
 *    lists (another thread's tcache), or
 *  - the chunk after it has PREV_INUSE clear (a bin chunk; not the top).
 * The top chunk and the tcache struct itself are never "in a chunk" here.
 * Fills *out's in_chunk/chunk_addr/chunk_size/chunk_free/free_how (free_how
 * is a static string); leaves the other fields alone. */
void heap_chunk_state(heap_read_fn read, void *ctx, uint64_t heap_start, uint64_t heap_end, uint64_t addr,
                      struct ptr_load_facts *out);

/* A region of process memory that may hold the source of a copy. */
struct heap_copy_region {
        uint64_t start, end;
        const char *name;  /* for the facts: "[stack]", a path, "[heap]" */
        const char *perms; /* "r--p" */
};

/* Limits of the copy search. */
#define HEAP_COPY_ANCHOR 16               /* bytes searched for */
#define HEAP_COPY_SEARCH_MAX (32ULL << 20) /* bytes read while searching, in all */
#define HEAP_COPY_REGION_MAX (8ULL << 20)  /* bytes searched per region */
#define HEAP_COPY_EXTEND (64U << 10)      /* bytes a match is followed each way */
#define HEAP_COPY_MIN 32                  /* a shorter match is no evidence */
#define HEAP_COPY_MIN_HEAP 64             /* ... when the source is the heap itself */

/* After heap_examine() found an impossible size field that is neither an
 * off-by-one nor a text overflow: are the bytes next to that header (16
 * bytes at bad+16, bad or bad-16: the chunk's first user bytes, its header,
 * the chunk before's tail) an exact copy of memory in one of regions (the
 * program's mappings, the stack, the heap)? The anchor must be varied (5+
 * distinct byte values, at most half zeros: a memset fill or an empty
 * buffer is no copy). A match is followed both ways while the bytes stay
 * equal; zero bytes at the run's ends are trimmed (zeros match zeros
 * anywhere). Fills h->copied and copy_* when the run is at least
 * HEAP_COPY_MIN bytes (HEAP_COPY_MIN_HEAP when the source is in the heap).
 * The anchor's own address never counts as its source. Reads are bounded. */
void heap_find_copy(heap_read_fn read, void *ctx, const struct heap_copy_region *regions, size_t n_regions,
                    struct heap_facts *h);
