/* The one ELF reader for untrusted input, libc only (the capture handler
 * links it and must not link elfutils): the file header with PN_XNUM, the
 * program headers, the note iterator (alignment and bounds), the GNU
 * build-id, and the hex encoder every build-id goes through. Little-endian
 * ELF32 and ELF64; every size is checked against the bytes at hand. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BUILD_ID_MAX 64 /* bytes; hex string is twice that */

/* Where the bytes come from: a file, a stream's head, a process image. */
struct elf_reader {
        /* Reads up to len bytes at off; short only at the end; -errno. */
        ssize_t (*pread)(void *ctx, void *buf, size_t len, uint64_t off);
        void *ctx;
};

struct elf_ehdr {
        bool is64;
        uint16_t type, machine;
        uint64_t phoff, shoff;
        uint64_t phnum;     /* e_phnum, or with PN_XNUM section 0's sh_info once resolved */
        bool xnum;          /* e_phnum was PN_XNUM */
        uint16_t phentsize, shentsize, shnum;
        size_t ehsize;      /* of this class's header */
};

struct elf_phdr {
        uint32_t type, flags;
        uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* Parses the file header at the start of buf. -EAGAIN when len is too
 * short to tell, -EBADMSG when it is not little-endian ELF32/ELF64. With
 * PN_XNUM, phnum is left at PN_XNUM and xnum set (elf_ehdr_xnum). */
int elf_ehdr_parse(const void *buf, size_t len, struct elf_ehdr *ret);
/* Whether the program header entries have this class's size. */
bool elf_phentsize_ok(const struct elf_ehdr *h);
/* Resolves PN_XNUM from section header 0 (sh0, len bytes of it). */
int elf_ehdr_xnum(struct elf_ehdr *h, const void *sh0, size_t len);
/* Reads and parses the header through rd, resolving PN_XNUM (-EBADMSG when
 * section 0 is missing); -EBADMSG when short or not ELF, or a read error. */
int elf_ehdr_read(const struct elf_reader *rd, struct elf_ehdr *ret);

/* Entry i of the program header table at table (at least (i + 1) *
 * h->phentsize bytes; elf_phentsize_ok(h) must hold). */
void elf_phdr_at(const struct elf_ehdr *h, const void *table, uint64_t i, struct elf_phdr *ret);
/* Reads the first n entries through rd into a new array (caller frees).
 * -EBADMSG when the table is cut, -ENOMEM. */
int elf_phdrs_read(const struct elf_reader *rd, const struct elf_ehdr *h, uint64_t n,
                   struct elf_phdr **ret);

struct elf_note {
        uint32_t type;
        const char *name; /* namesz bytes, not necessarily NUL-terminated */
        size_t namesz;
        const uint8_t *desc;
        size_t descsz;
};

/* Walks a block of notes whose entries are padded to align (4, or 8 in
 * PT_NOTE segments with p_align 8, as GNU property notes are). */
struct elf_notes {
        const uint8_t *buf;
        size_t len, off, align;
};
void elf_notes_init(struct elf_notes *it, const void *buf, size_t len, size_t align);
/* 1 with the next note in ret, 0 at the end (fewer than 12 bytes left, or
 * the last note's padding past the end), -EBADMSG at a note that does not
 * fit (iteration stops there). */
int elf_notes_next(struct elf_notes *it, struct elf_note *ret);
/* Whether n is in namespace name ("CORE", "GNU": namesz counts the NUL). */
bool elf_note_is(const struct elf_note *n, const char *name, uint32_t type);

/* Lowercase hex of n bytes into out (2n + 1 bytes with the NUL). */
void hex_encode(const void *p, size_t n, char *out);
/* If n is a GNU build-id (1 to BUILD_ID_MAX bytes): its hex in hex, true. */
bool elf_note_build_id(const struct elf_note *n, char hex[2 * BUILD_ID_MAX + 1]);

/* The NT_GNU_BUILD_ID from the PT_NOTE segments of the ELF image rd reads.
 * loaded: rd reads the image as mapped (offset 0 is its first PT_LOAD's
 * page; notes are read at their p_vaddr), else as a file (notes at
 * p_offset). At most 4096 program headers and 64 KiB of each note segment
 * are read. 0, -ENOENT if none, -EBADMSG if not ELF, -ENOMEM. */
int elf_build_id_read(const struct elf_reader *rd, bool loaded, char hex[2 * BUILD_ID_MAX + 1]);
/* The same for the ELF file open at fd. */
int elf_build_id(int fd, char hex[2 * BUILD_ID_MAX + 1]);
