/* The store: a directory of bundles. Bundles are created under a temporary
 * dot-name relative to the store's dirfd and renamed when complete, so a
 * reader never sees half a bundle. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "config.h"

#define STORE_TMP_PREFIX ".tmp-"
#define STORE_SUFFIX ".zst"

/* Opens the store directory, creating it with create_mode if missing (0:
 * never create). -EPERM when it is not safe to use (see store_is_safe). */
int store_open(const char *path, mode_t create_mode, int *ret_dirfd);

/* A store directory must be owned by root (or by the user running us) and
 * not writable by group or others. */
bool store_is_safe(const struct stat *st);

/* Records in the bundle file fd whose crash it holds (an xattr only root can
 * set), for the per-uid share. */
int store_tag_uid(int fd, uid_t uid);

/* Makes a bundle name "core.COMM.PID.TIME.zst" with COMM reduced to safe
 * characters. */
void store_bundle_name(char *buf, size_t size, const char *comm, pid_t pid, int64_t time);

/* Makes room for need more bytes of a bundle of uid, at time now:
 * 1. uid's own bundles go, oldest first, until uid holds at most
 *    uid_max_store - need (-EDQUOT when that cannot be reached);
 * 2. then, while the store holds more than max_store - need or the
 *    filesystem has less than keep_free + need free, the oldest of uid's own
 *    bundles and of other uids' bundles older than protect_age_s go
 *    (-ENOSPC when that is not enough): one uid's crashes never remove
 *    another's recent evidence.
 * Never removes the bundle named keep (may be NULL; it still counts), nor
 * temporary or state files. Returns the number of bundles removed. */
int store_make_room(int dirfd, const struct config *cfg, uint64_t need, const char *keep, uid_t uid,
                    int64_t now);

/* One bundle's way into the store, the same for every writer (capture,
 * oom-watch), so that no bundle passes the crash-storm limits, the quota,
 * the keep-free margin or a uid's share:
 *
 *   store_begin()  checks the rate limits for (uid, exe) and takes a slot,
 *                  makes room, creates the bundle file (mode 0600, unnamed
 *                  or .tmp-NAME) and tags it with the uid;
 *   write the bundle to store_txn_fd();
 *   store_commit() names it (never replacing a file) and makes room behind
 *                  it, removing it again when it does not fit;
 *   store_abort()  leaves nothing behind and gives the rate slot back.
 *
 * commit and abort free the transaction. Errors: store_begin returns
 * -EAGAIN when a crash-storm limit skips the bundle (counted in
 * SKIPPED_FILE; *ret_limit names the setting), -EDQUOT when uid's share
 * cannot be met, -ENOSPC when the quota or keep-free margin cannot,
 * else -errno; store_commit the same -EDQUOT/-ENOSPC (bundle removed) or
 * -errno. Neither logs. One transaction at a time per process: a named
 * temporary file is removed by the capture's signal handler
 * (bundlefile.h). */
struct store_txn;
struct store_who {
        uid_t uid;        /* whose crash */
        const char *exe;  /* for the per-executable rate limit */
        const char *comm; /* for the bundle's name */
        pid_t pid;
        int64_t time;     /* of the crash, seconds */
};
int store_begin(int dirfd, const struct config *cfg, const struct store_who *who, struct store_txn **ret,
                const char **ret_limit);
int store_txn_fd(const struct store_txn *t);
/* On success *ret_name is the bundle's name in the store (caller frees;
 * NULL when out of memory, the bundle is stored all the same). */
int store_commit(struct store_txn *t, char **ret_name);
void store_abort(struct store_txn *t);
