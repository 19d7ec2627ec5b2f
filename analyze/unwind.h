/* Unwinding every thread of a core. libdwfl (CFI, inline frames through
 * DWARF scopes) first; libunwind as the second unwinder; a stack scan for
 * return addresses as the last resort, its frames marked as such. */
#pragma once

#include "core.h"
#include "model.h"
#include "modules.h"

enum unwinder_choice { UNWINDER_DWFL, UNWINDER_LIBUNWIND, UNWINDER_BOTH };

struct unwind_options {
        enum unwinder_choice unwinder;
        unsigned max_frames; /* per thread */
        size_t max_threads;  /* unwound fully; the others get their pc only (0: all) */
};

struct unwinder;

int unwinder_new(struct core *core, struct module_set *ms, struct unwinder **ret);
void unwinder_free(struct unwinder *u);

/* Unwinds thread index i of the core into t (frames, error, unwinder). */
void unwind_thread(struct unwinder *u, size_t i, const struct unwind_options *o,
                   struct thread_report *t);

/* libunwind's coredump accessors read memory a word per system call: it
 * runs on the first LIBUNWIND_THREADS_MAX threads only (as the second
 * unwinder, the rescue, or --unwinder=libunwind, where the rest fall back to
 * libdwfl). */
#define LIBUNWIND_THREADS_MAX 512u

/* A thread past --max-threads: its registers and the frame of its pc only,
 * with t->error saying why. */
void unwind_thread_pc(struct unwinder *u, size_t i, const struct unwind_options *o,
                      struct thread_report *t);

/* Symbolizes pc into one or more frames (inline expansion) appended to t.
 * exact: pc is the faulting pc, not a return address. */
void symbolize_pc(struct unwinder *u, uint64_t pc, bool exact, enum frame_origin origin,
                  struct thread_report *t, unsigned max_frames);

/* The second unwinder (unwind_libunwind.c): unwinds thread i from its
 * registers through libunwind's remote API with memory served by the core
 * and the module files. Appends symbolized frames to t; returns 0 when it
 * reached the outermost frame, -errno/-EIO when it stopped early (t->error
 * set). */
int unwind_libunwind(struct unwinder *u, size_t i, const struct unwind_options *o,
                     struct thread_report *t);

/* Shared with unwind_libunwind.c */
struct core *unwinder_core(struct unwinder *u);
struct module_set *unwinder_modules(struct unwinder *u);
/* The address of a defined symbol (data or code) in any module; -ENOENT. */
int unwinder_symbol(struct unwinder *u, const char *name, uint64_t *ret);
/* The raw (mangled) name of the symbol starting exactly at addr, or NULL.
 * Caller frees. */
char *unwinder_symbol_at(struct unwinder *u, uint64_t addr);
/* The start of the function symbol containing pc (dynsym or symtab);
 * -ENOENT when no function symbol covers it. */
int unwinder_function_start(struct unwinder *u, uint64_t pc, uint64_t *ret);
/* pc lies in no symbol, and within max bytes past the end of a sized
 * function symbol (in the padding after it): that function's name (strdup'ed,
 * demangled as the frames are) and its start and end. -ENOENT otherwise. */
int unwinder_function_before(struct unwinder *u, uint64_t pc, uint64_t max, char **name, uint64_t *start,
                             uint64_t *end);
/* Where unwind_libunwind.c keeps its state (freed with the unwinder). */
void **unwinder_lu_slot(struct unwinder *u);
void unwind_libunwind_free(void *state);
/* Reads process memory: the core's dumped bytes, else the module files. */
ssize_t unwinder_read(struct unwinder *u, uint64_t addr, void *buf, size_t len);
