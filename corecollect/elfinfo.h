/* Just enough ELF for the capture path (corecollect must not link elfutils):
 * the GNU build-id of a mapped file, and the layout of a core's head. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUILD_ID_MAX 64 /* bytes; hex string is twice that */

/* Reads the NT_GNU_BUILD_ID of the ELF file open at fd (PT_NOTE segments).
 * hex gets a lowercase hex string. -ENOENT if none, -EBADMSG if not ELF. */
int elf_build_id(int fd, char hex[2 * BUILD_ID_MAX + 1]);

struct core_segment {
        uint64_t offset;
        uint64_t filesz;
        uint64_t vaddr;
        uint32_t flags;
        bool is_stack; /* holds some thread's stack pointer */
};

struct core_head {
        bool is64;
        uint16_t machine;
        uint64_t head_size;   /* bytes needed to read headers and notes */
        uint64_t total_size;  /* the whole core according to its headers */
        bool size_known;      /* false with PN_XNUM (too many segments to know up front) */
        struct core_segment *segs; /* PT_LOAD, sorted by offset */
        size_t n_segs;
        uint64_t note_offset, note_size;
        uint64_t *thread_sp;  /* stack pointer of each NT_PRSTATUS (x86-64 only) */
        size_t n_threads;
};

/* Phase 1: from the first bytes of the stream (at least 64), how many bytes
 * of head are needed to parse headers and notes. -EAGAIN if buf is too short
 * to tell, -EBADMSG if it is not an ELF core. */
int core_head_need(const uint8_t *buf, size_t len, uint64_t *ret_need);
/* Phase 2: parse headers, segments and notes from buf (len >= need). */
int core_head_parse(const uint8_t *buf, size_t len, struct core_head *ret);
void core_head_free(struct core_head *h);
