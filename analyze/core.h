/* The ELF core, read through an input (bundle frames or a file): program
 * headers, the notes (threads, siginfo, mapped files, auxv, psinfo) and the
 * process memory that was dumped. x86-64 only; other machines are refused
 * with a clear reason. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "elfparse.h"
#include "input.h"

#define CORE_NREGS 27 /* struct user_regs_struct on x86-64 */
enum core_reg {
        CREG_R15, CREG_R14, CREG_R13, CREG_R12, CREG_RBP, CREG_RBX, CREG_R11, CREG_R10, CREG_R9, CREG_R8,
        CREG_RAX, CREG_RCX, CREG_RDX, CREG_RSI, CREG_RDI, CREG_ORIG_RAX, CREG_RIP, CREG_CS, CREG_EFLAGS,
        CREG_RSP, CREG_SS, CREG_FS_BASE, CREG_GS_BASE, CREG_DS, CREG_ES, CREG_FS, CREG_GS,
};

struct core_thread {
        pid_t tid;
        int cursig;
        uint64_t regs[CORE_NREGS];
};

struct core_segment_info {
        uint64_t vaddr, memsz, filesz, offset;
        uint32_t flags; /* PF_R/W/X */
};

struct core_file_map {
        uint64_t start, end, file_offset; /* file_offset in bytes */
        const char *path;                 /* points into the note copy */
};

struct core_siginfo {
        bool present;
        int signo, code, err;
        uint64_t addr;    /* SIGSEGV/SIGBUS/SIGILL/SIGFPE */
        pid_t sender_pid; /* SI_USER, SI_TKILL, SI_QUEUE */
        uid_t sender_uid;
};

struct core {
        struct input *in;
        uint16_t machine;
        struct elf_phdr *phdrs;         /* every program header, in file order */
        size_t n_phdrs;
        struct core_segment_info *segs; /* PT_LOAD, sorted by vaddr */
        size_t n_segs;
        struct core_thread *threads;    /* note order: the first is the crashing one */
        size_t n_threads;
        struct core_siginfo si;
        struct core_file_map *maps;     /* NT_FILE, sorted by start, not overlapping */
        size_t n_maps;
        bool maps_malformed;            /* NT_FILE entries were dropped */
        uint64_t *auxv;                 /* pairs (type, value) */
        size_t n_auxv;
        pid_t pid;
        uid_t uid;
        char fname[17];
        char psargs[81];
        bool notes_truncated; /* the notes were cut or malformed part way */
        uint8_t *notes;       /* raw notes (maps' paths point in here) */
        size_t notes_len;
        uint64_t bytes_unreadable; /* reads that fell into padding of a truncated core */
};

/* Parses the core. Errors: -EBADMSG with *why (not a core, wrong machine,
 * headers past the end, ...), -ENOMEM. The core does not own `in`. */
int core_load(struct input *in, struct core **ret, const char **why);
void core_free(struct core *c);

/* Reads process memory at addr from the dumped segments. Returns the number
 * of bytes read (may be short when the range leaves dumped memory), 0 when
 * addr is not dumped, -errno on read errors. */
ssize_t core_read_mem(struct core *c, uint64_t addr, void *buf, size_t len);
/* The PT_LOAD segment holding addr (dumped or not), or NULL. */
const struct core_segment_info *core_segment_at(const struct core *c, uint64_t addr);
/* The NT_FILE mapping holding addr, or NULL. O(log n). */
const struct core_file_map *core_map_at(const struct core *c, uint64_t addr);
/* Index of the first NT_FILE mapping / PT_LOAD segment starting at or
 * after addr (n_maps / n_segs if none). */
size_t core_map_first(const struct core *c, uint64_t addr);
size_t core_segment_first(const struct core *c, uint64_t addr);
uint64_t core_auxv(const struct core *c, uint64_t type, bool *found);
