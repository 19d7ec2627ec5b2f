/* Gathering a report from an input: the core's notes, the bundle's facts,
 * modules and debug info, and every thread's frames. */
#pragma once

#include "model.h"
#include "unwind.h"

struct analyze_options {
        const char *exe;                /* --exe: the executable of a raw core */
        const char *const *debug_dirs;
        size_t n_debug_dirs;
        struct unwind_options unwind;
        uint64_t max_zstd;              /* bound for decompressing a plain zstd core */
        bool bundle_only;               /* use nothing but the input: ELF and debug files from
                                         * the bundle's files/ only (not this machine's files,
                                         * debug dirs or debuginfod), no dpkg-query for hints,
                                         * no user rule files; the environment is not read */
        bool hints;                     /* fill modules' hints (how to get missing debug info):
                                         * reads this machine's package lists; not for index */
};

/* Exit codes of coreinspect (also in --help and docs/coreinspect.1); only
 * the programs' main() use them (analyze_exit_code). */
enum {
        EXIT_REPORT = 0,
        EXIT_PARTIAL = 1,
        EXIT_BAD_INPUT = 2,
        EXIT_TOO_LARGE = 3, /* the input needs more memory or disk than the limits allow */
        EXIT_USAGE = 64,
};

/* Fills r from the bundle or core at path. 0 with a report (r->partial or
 * r->truncated when part of it is missing), or -errno and no report (r
 * zeroed) with *ret_why set to one line saying what is wrong (static or
 * thread-local text, valid until the thread's next call): -EFBIG and
 * -ENOMEM when the input needs more than the limits allow, others (-EBADMSG,
 * -ENOENT, ...) for bad input. Logs nothing. Reentrant. */
int analyze_path(const char *path, const struct analyze_options *o, struct report *r, const char **ret_why);
/* What analyze_path's result means as an exit code (for main()). */
int analyze_exit_code(int r, const struct report *rep);
