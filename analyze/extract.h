/* Getting bytes out of an input onto disk for other tools: the core (sparse
 * where it holds zeros), a member, and a sysroot of the bundle's binaries
 * under the paths they had on the crashed host. Used by `coreinspect gdb`
 * and `coreinspect dump`. */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "input.h"
#include "io.h"

/* input_open for a verb: logs one line and returns EXIT_BAD_INPUT or
 * EXIT_TOO_LARGE when path cannot be opened, else 0 with *ret set. A path
 * that may be absent from the crashed host's store is the person's own:
 * it is shown escaped. */
int extract_open_input(const char *path, struct input **ret);

/* Set from a signal handler: the copy loops stop with -EINTR at the next
 * chunk. */
extern volatile sig_atomic_t extract_interrupted;

/* Writes the input's core to fd from its current offset. When fd is a
 * regular file, zero blocks become holes (lseek over them, ftruncate at the
 * end), so a 1 GiB core of mostly zeros takes little disk. progress: a
 * "dumping" line on stderr when it is a terminal. -errno on failure. */
int extract_core(struct input *in, int fd, bool progress);

/* Writes the bundle member name to fd (sparse like extract_core). -ENOENT
 * when the member does not exist, -EINVAL when the input is no bundle. */
int extract_member(struct input *in, const char *name, int fd, bool progress);

/* Under the directory dirfd, recreates every mapped file of the bundle that
 * files/ carries at its original path (meta.json's mapped_files path ->
 * files/<build_id>) as root/<path>. The paths
 * come from the crashed host: anything but a plain absolute path of
 * ordinary components ("..", ".", empty, over NAME_MAX) is skipped, and
 * nothing is ever opened through a symlink. *ret_exe: malloc'd path under
 * dirfd of the executable ("root/usr/bin/x"), NULL when not carried.
 * dirs (may be NULL): the directories of the placed files under dirfd,
 * each once, each followed by '\n' (for gdb's solib-search-path: the
 * dynamic linker's names, /lib/... on a merged-/usr host, differ from the
 * real paths in meta.json). Returns the number of files placed or -errno. */
int extract_sysroot(struct input *in, int dirfd, char **ret_exe, struct strbuf *dirs);

/* A new private directory (mkdtemp, 0700) in $TMPDIR, else /var/tmp; path
 * malloc'd. */
int extract_mkdtemp(const char *prefix, char **ret);

/* Removes path and everything under it, without following symlinks. */
int extract_rm_rf(const char *path);
