/* Running one piece of work (the analysis of one bundle) in a child
 * process, so that its crash, hang or runaway memory costs that piece only:
 * `coreinspect index` analyzes every bundle this way (docs/fleet.md). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct isolate_limits {
        /* bytes of address space the child may map beyond what it inherits
         * (RLIMIT_AS = inherited size + this); 0: no limit of ours */
        uint64_t max_memory;
        uint64_t timeout_ms; /* wall clock; the child is killed past it; 0: none */
        size_t max_output;   /* bytes the child may send back */
        bool pass_stderr;    /* copy the child's stderr to ours as it comes */
};

struct isolate_result {
        char *output;       /* what fn wrote to its fd (plus a NUL), when it succeeded */
        size_t output_len;
        char reason[1024];  /* when it failed: why, in one line */
};

/* Calls fn(arg, fd) in a forked child: fn writes its result to fd and
 * returns an exit status (0: success). The child cannot dump core, dies
 * with us, and runs under the limits. Its stderr goes through us: its last
 * line kept for the reason, and passed on to our stderr with pass_stderr.
 * Returns 0 when fn returned 0 within the limits (ret->output holds what it
 * wrote), 1 when the child failed (ret->reason: its exit status and last
 * message, the signal that killed it, the time limit, too much output), or
 * -errno when no child could be started. Blocks until the child is gone.
 * Free ret with isolate_result_free in every case. */
int isolate_run(int (*fn)(void *arg, int fd), void *arg, const struct isolate_limits *lim,
                struct isolate_result *ret);
void isolate_result_free(struct isolate_result *r);
