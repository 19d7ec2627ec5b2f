/* The core_pattern handler: one streaming pass from the kernel's pipe into a
 * bundle in the store. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"

struct capture_args {
        pid_t pid;          /* %P: pid in the initial namespace */
        pid_t tid;          /* %i */
        int signo;          /* %s */
        int64_t time;       /* %t: seconds since the epoch */
        uid_t uid;          /* %u */
        gid_t gid;          /* %g */
        int dump_mode;      /* %d */
        int pidfd;          /* %F: fd number, -1 when not given */
        uint64_t core_limit; /* %c: RLIMIT_CORE of the process; UINT64_MAX = unlimited or not given */
        const char *comm;   /* %e */
        int input_fd;       /* the core (stdin) */
};

/* Exit codes of `corecollect capture` (docs/corecollect.md); only main()
 * and the deadline's _exit use them. */
enum {
        CAPTURE_OK = 0,         /* complete bundle written */
        CAPTURE_TRUNCATED = 1,  /* bundle written, marked truncated */
        CAPTURE_SKIPPED = 3,    /* rate limit: nothing written, counted */
        CAPTURE_FAILED = 4,     /* no bundle (store unusable, disk full, bad core, signal) */
        CAPTURE_UNSAFE_STORE = 5, /* no bundle: the store is not root's or is writable by others */
};

/* RLIMIT_CORE below this keeps no core at all, as the kernel does for a
 * core file (its minimum dump is one page). */
#define CORE_LIMIT_MIN 4096

/* Runs the capture; logs its own errors. Returns 0 when a bundle was
 * written (its final path in *ret_path, whether its core was cut in
 * *ret_truncated; either may be NULL), -EAGAIN when the rate limit skipped
 * the crash (nothing written, counted), -EPERM when the store is not root's
 * or is writable by others, another -errno when no bundle was written
 * (store unusable or full, bad core, signal). capture_exit_code() maps
 * these to the handler's exit codes. */
int capture_run(const struct config *cfg, const struct capture_args *a, char **ret_path, bool *ret_truncated);

/* The CAPTURE_* exit code for capture_run's result. */
int capture_exit_code(int r, bool truncated);
