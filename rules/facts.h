/* struct crash_facts: everything the classifier may look at, gathered once by
 * analyze/ (facts.c, insn.c, heap.c) from the core and the bundle. rules/
 * reads only this: no I/O, no elfutils. All strings are owned by whoever
 * filled the struct (analyze/) and outlive the classification. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FACTS_MAX_FRAMES 512

struct fact_frame {
        const char *function; /* NULL when unknown */
        const char *module;   /* path */
        const char *file;
        int line;
        uint64_t pc;
        uint64_t sp;          /* stack pointer in this frame (0 if unknown) */
        bool inlined;
        bool module_no_elf;   /* in a module whose ELF file was not found */
        char label[64];       /* then, without a function: "MODULE+0xOFFSET" */
        bool scanned;         /* found by a stack scan: a guess, not an unwind */
};

#define FACTS_MAX_MISSING 8

/* A module whose ELF file was not found (not in the bundle, not here with
 * its build-id): no symbols, no CFI, no code to decode. */
struct missing_elf_facts {
        const char *path;
        const char *build_id; /* NULL when unknown */
};

enum insn_access {
        INSN_NONE = 0,  /* not decoded, or no memory operand */
        INSN_READ,      /* loads from memory */
        INSN_WRITE,     /* stores to memory */
        INSN_READ_WRITE,
        INSN_EXEC,      /* the fault is fetching the instruction itself (pc == si_addr) */
};

struct insn_facts {
        bool decoded;
        char text[96];          /* "mov dword ptr [rax], 1" */
        enum insn_access access;
        bool has_mem;           /* has a memory operand */
        char base_reg[16];      /* register of the memory operand's base ("rax"), "" if none */
        char index_reg[16];
        uint64_t base_value;    /* value of base_reg in the crashing thread */
        int64_t disp;
        uint64_t mem_addr;      /* computed effective address (valid when has_mem) */
        bool is_call;           /* call (pushes a return address) */
        bool is_push;
        bool is_ret;
        bool is_div;            /* div/idiv */
        char divisor_reg[16];   /* register or "" for a memory divisor */
        uint64_t divisor;       /* its value when known */
        bool divisor_known;
        bool is_ud2;
        bool is_int3;
        bool is_privileged;     /* only ring 0 may run it (hlt, in/out, cli, ...):
                                 * a general-protection fault in user mode */
};

struct map_facts {
        bool found;             /* the address is inside a mapping */
        uint64_t start, end;
        char perms[5];          /* "r-xp" */
        const char *name;       /* path, "[stack]", "[heap]", "" for anonymous */
        /* when not inside a mapping: the neighbours of the gap */
        uint64_t below_end;     /* end of the mapping below (0 if none) */
        const char *below_name;
        uint64_t above_start;   /* start of the mapping above (0 if none) */
        const char *above_name;
        char above_perms[5];
        /* the nearest mapping that ends at or below the address (below the
         * containing mapping when found): what a write running upwards came
         * through. prev_end 0 when there is none */
        uint64_t prev_start, prev_end;
        char prev_perms[5];
        const char *prev_name;
        /* the start of the unbroken run of writable mappings that ends at
         * prev_end (prev_start when prev alone is writable, 0 when it is
         * not): how far down a write running upwards may have started */
        uint64_t run_start;
};

struct stack_facts {
        bool known;
        uint64_t lo, hi;        /* the crashing thread's stack mapping */
        bool main_thread;       /* [stack] of the process */
        uint64_t guard_lo, guard_hi; /* guard page(s) or gap below lo */
        uint64_t rlimit_stack;  /* soft RLIMIT_STACK in bytes, UINT64_MAX = unlimited, 0 unknown */
        uint64_t sp;
        uint64_t used;          /* hi - sp */
};

struct recursion_facts {
        bool found;
        size_t cycle_len;       /* 1 for direct recursion */
        size_t repeats;         /* how many times the cycle repeats consecutively */
        const char *members[4]; /* function names of the cycle, innermost first */
        size_t depth;           /* total frames of the thread (unwound) */
        bool frames_capped;     /* unwinding stopped at the frame limit */
};

struct big_frame_facts {
        bool found;
        const char *function;
        uint64_t size;          /* bytes between this frame's sp and the caller's */
};

struct heap_chunk_facts {
        uint64_t addr;          /* chunk start (user pointer - 16) */
        uint64_t size_field;    /* the raw size word */
        uint64_t usable;        /* usable bytes (size - 8) */
};

struct heap_facts {
        bool walked;            /* the main heap was found and walked */
        uint64_t heap_start, heap_end;
        size_t chunks;          /* chunks walked before stopping */
        bool corrupt;           /* a size field that cannot be right */
        struct heap_chunk_facts bad;     /* the chunk whose size field is wrong */
        struct heap_chunk_facts before;  /* the in-use chunk right before it */
        bool off_by_one;        /* bad's size lost only its low byte to a zero
                                 * right after before's usable bytes were filled */
        uint64_t expected_size; /* what bad's size field should be, when known */
        bool overflow;          /* before's last usable bytes and bad's size field are
                                 * printable text: a string written past before's end */
        uint64_t overflow_bytes;/* bytes of text past before's usable end (a string
                                 * copy also wrote a NUL after them) */
        /* the bytes next to bad's header (its user data, the header, or
         * before's tail) are an exact copy of memory elsewhere: a copy
         * (memcpy, memmove, strcpy) wrote them over the header */
        bool copied;
        uint64_t copy_lo, copy_hi;       /* the copied run in the heap (zero bytes at its ends trimmed) */
        uint64_t copy_src;               /* where the same bytes are */
        const char *copy_src_name;       /* that mapping's name ("[stack]", a path, "[heap]") */
        char copy_src_perms[5];
        bool freed_chunk_key;   /* a chunk carrying the tcache key was found */
        uint64_t tcache_key;
        const char *note;       /* one line for the evidence */
};

/* Where the faulting instruction's base register got its value: the last
 * instruction before it (in the same straight run of code) that wrote the
 * register was a 64-bit load, whose source address is known (its registers
 * were not overwritten since, or were themselves loaded from memory the core
 * still holds), and the word there still equals what the register holds. */
struct ptr_load_facts {
        bool found;             /* the load and its source address are known */
        char reg[16];           /* the faulting instruction's base register */
        char load_text[96];     /* "mov rax, qword ptr [rax + 8]" */
        uint64_t load_pc;
        uint64_t src_addr;      /* where the pointer was read from */
        uint64_t value;         /* the pointer (the register's value) */
        /* the heap chunk holding src_addr (main heap only) */
        bool in_chunk;
        uint64_t chunk_addr;    /* chunk start (user pointer - 16) */
        uint64_t chunk_size;    /* chunk size (header size, flags masked) */
        bool chunk_free;        /* glibc holds it as free: */
        const char *free_how;   /* "in the tcache bin of 0x30-byte chunks", ... */
};

/* pc lies in no function, a few bytes past the end of one whose last
 * instruction is a call: that call returned into the padding (or whatever
 * follows) because the compiler emitted nothing after it, having proved the
 * rest of the function unreachable (undefined behaviour: clang drops a call
 * through a NULL pointer and everything after it). */
struct fell_off_facts {
        bool found;
        const char *function;
        uint64_t start, end;    /* the function's symbol */
        uint64_t call_pc;       /* its last instruction, a call ending at end */
        char call_text[96];
};

struct memory_facts {
        uint64_t rlimit_as;     /* soft, bytes; UINT64_MAX unlimited; 0 unknown */
        uint64_t rlimit_data;
        uint64_t mapped_total;  /* sum of mapping sizes */
        uint64_t vm_peak;       /* from proc/status, bytes; 0 unknown */
        uint64_t vm_size;
        uint64_t cgroup_limit;  /* memory cgroup limit (bytes), 0 unknown */
        uint64_t cgroup_usage;
        const char *cgroup;
        bool oom_kill;          /* the kernel log says this pid was OOM-killed */
        const char *oom_line;
        bool oom_memcg;         /* constraint=CONSTRAINT_MEMCG */
};

struct crash_facts {
        /* process */
        pid_t pid, tid;
        const char *exe;
        const char *input;      /* bundle or core path, for next steps */
        bool input_is_bundle;
        const char *cmdline;    /* the arguments joined by spaces (display only) */
        const char *const *argv; /* the arguments as the process had them */
        size_t argc;
        bool has_core;          /* false for OOM bundles */
        bool core_withheld;     /* no core: the process's RLIMIT_CORE was 0 */
        /* signal */
        int signo;
        int si_code;
        bool has_addr;
        uint64_t fault_addr;
        bool from_process;      /* si_code <= 0: kill/tgkill/sigqueue */
        pid_t sender_pid;
        uid_t sender_uid;
        uint64_t mmap_min_addr; /* 4096 here; 65536 on many systems */
        /* crashing thread */
        uint64_t pc, sp;
        uint64_t word_below_sp; /* the 8 bytes at sp-8: the return address a
                                 * `ret` just popped */
        bool has_word_below_sp;
        uint64_t word_at_sp;    /* the 8 bytes at sp: what a faulting `ret` would pop */
        bool has_word_at_sp;
        struct insn_facts insn;
        struct map_facts fault_map; /* the mapping (or gap) of fault_addr */
        struct map_facts pc_map;    /* the mapping of pc */
        struct map_facts base_map;  /* the mapping of the memory operand's base register value */
        struct stack_facts stack;
        struct fact_frame frames[FACTS_MAX_FRAMES];
        size_t n_frames;
        struct recursion_facts recursion;
        struct big_frame_facts big_frame;
        /* runtime messages */
        const char *abort_msg;  /* glibc __abort_msg text, NULL if none */
        const char *exception_type; /* C++ exception type when terminate() ran */
        struct heap_facts heap;
        struct ptr_load_facts ptr_load;
        struct fell_off_facts fell_off;
        struct memory_facts mem;
        size_t n_threads;
        struct missing_elf_facts missing_elf[FACTS_MAX_MISSING];
        size_t n_missing_elf;   /* how many modules miss their ELF (may exceed the array) */
};
