/* The layout of a core's head for the capture path, read with common/'s
 * libc-only ELF parser (corecollect must not link elfutils); elf_build_id
 * of a mapped file comes from there too. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elfparse.h"

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
