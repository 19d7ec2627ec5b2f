/* `corecollect list` and `coreinspect list` (the same code): one line per
 * bundle of one or more stores, newest first, filtered by time, executable,
 * comm, pid, signal, host, and by class and signature where the bundle has
 * been analysed (the verdict coreinspect cached in the bundle's xattr
 * VERDICT_XATTR). Only libc, json-c and the bundle reader: corecollect
 * links it without elfutils. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* "class\tsignature" of the last analysis, set by coreinspect on a bundle
 * it may write (the store's owner: root). */
#define VERDICT_XATTR "user.coreinspect.verdict"

/* Parses argv (argv[1] is "list") and lists. program: for messages.
 * Exit codes: 0 all bundles listed, 1 some bundle unreadable (still listed
 * with the reason), 2 a store cannot be read, 64 usage. */
int list_main(int argc, char **argv, const char *program);

/* Seconds since the epoch for a --since/--until value at now: "1h", "30m",
 * "2d", "1w" ago; "today", "yesterday" (local midnight), "now", "@EPOCH",
 * "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" (local time). -EINVAL else. */
int list_parse_time(const char *s, int64_t now, int64_t *ret);
