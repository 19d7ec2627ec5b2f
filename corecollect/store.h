/* The store: a directory of bundles. Bundles are created under a temporary
 * dot-name relative to the store's dirfd and renamed when complete, so a
 * reader never sees half a bundle. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "config.h"

#define STORE_TMP_PREFIX ".tmp-"
#define STORE_SUFFIX ".zst"

/* Opens (creating it 0700 if missing) the store directory. */
int store_open(const char *path, bool create, int *ret_dirfd);

/* Makes a bundle name "core.COMM.PID.TIME.zst" with COMM reduced to safe
 * characters. */
void store_bundle_name(char *buf, size_t size, const char *comm, pid_t pid, int64_t time);

/* Deletes the oldest bundles until the store holds at most max_store - need
 * bytes and the filesystem keeps keep_free bytes free. Returns the number of
 * bundles removed or -ENOSPC when room cannot be made. Never removes the
 * bundle named keep (may be NULL), nor temporary files of other captures. */
int store_make_room(int dirfd, const struct config *cfg, uint64_t need, const char *keep);

/* Crash-storm limit: at most cfg->rate_burst bundles per executable (keyed
 * by exe path) per cfg->rate_interval_s. Returns 1 if this crash may be
 * captured, 0 if it must be skipped (and counts it in the store's
 * "skipped" file), -errno on error (then capture anyway). */
int store_rate_check(int dirfd, const struct config *cfg, const char *exe, int64_t now);

/* Number of crashes skipped by the rate limit, per executable, as text. */
int store_read_skipped(int dirfd, char **ret);
