/* The crash-storm limit and the count of what it skipped, kept in two state
 * files in the store. Records are binary and length-prefixed (uid, then the
 * exe path as counted bytes), so no byte of a path — newlines included —
 * can make or change another record. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "io.h"

#define RATE_FILE ".ratelimit.v2"
#define SKIPPED_FILE ".skipped.v2"
#define QUOTA_FILE ".dropped.v1"
#define RATE_EXE_MAX 4096 /* bytes of an exe path kept in a record */

/* Checks the limits for a crash of exe by uid at now (seconds): at most
 * cfg->rate_burst captures per (uid, exe) and cfg->rate_uid_burst per uid
 * within cfg->rate_interval_s. When allowed, reserves a slot for this
 * handler process (getpid()), to be given back with rate_release() if the
 * capture fails. When over a limit, counts the crash in SKIPPED_FILE and
 * sets *ret_limit to the setting that stopped it. Returns 1 (allowed),
 * 0 (skipped) or -errno (then capture anyway). */
int rate_check(int dirfd, const struct config *cfg, uid_t uid, const char *exe, int64_t now,
               const char **ret_limit);

/* Gives back the slot rate_check() reserved for this handler at now. */
int rate_release(int dirfd, uid_t uid, const char *exe, int64_t now);

struct skipped_count {
        uint64_t count;
        uid_t uid;
        char *exe;      /* raw bytes as recorded (NUL-terminated; may hold any byte but NUL) */
        size_t exe_len; /* 0: the executables that no longer fit in the file */
};

/* Reads the skipped counts. Caller frees with skipped_free(). */
int rate_read_skipped(int dirfd, struct skipped_count **ret, size_t *ret_n);
void skipped_free(struct skipped_count *s, size_t n);

/* What the store's quota cost: bundles removed to make room (oldest first)
 * and crashes not kept because the store was full. Counted by
 * store_make_room; read by list. */
void rate_count_dropped(int dirfd, uint64_t removed, uint64_t refused);
int rate_read_dropped(int dirfd, uint64_t *ret_removed, uint64_t *ret_refused);
