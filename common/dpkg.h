/* Which installed Debian package owns a file, and its version, read from
 * dpkg's database directly: ADMINDIR/info/NAME[:ARCH].list (one path a
 * line), read once for all the paths asked, and ADMINDIR/status (RFC822-
 * style paragraphs), read once for all the owners. No program is run.
 * Used at capture time by corecollect (packages.json) and at analysis time
 * by the debug-package hints. libc only.
 *
 * Paths are data: compared byte for byte, never interpreted; a path with a
 * newline or longer than DPKG_PATH_MAX can be no line of a list and is
 * owned by nobody. After the /usr merge a file is mapped as /usr/lib/X but
 * its package may list /lib/X (or the reverse): both are looked for. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define DPKG_ADMINDIR_DEFAULT "/var/lib/dpkg"
/* Longest path looked for (and so, the longest list line that can match). */
#define DPKG_PATH_MAX 4096

/* Bounds of one lookup: it stops with -ETIME once now_usec() passes
 * deadline_usec (0: none) and with -EFBIG once it would read more than
 * max_bytes of lists and status together (0: no limit). */
struct dpkg_limits {
        uint64_t deadline_usec;
        uint64_t max_bytes;
        uint64_t bytes_read; /* out: what the lookup read */
};

/* The other name of path under the /usr merge ("/lib/x" <-> "/usr/lib/x",
 * likewise /bin, /sbin, /lib32, /lib64, /libx32), or NULL when it has none
 * (or out of memory). Caller frees. */
char *dpkg_usrmerge_alias(const char *path);

/* The owners of paths[0..n) (or of their usrmerge aliases) by the .list
 * files under admindir: ret_owners[i] is "name" or "name:arch" (as the list
 * file is named; caller frees) or NULL. 0; -ETIME or -EFBIG from lim (then
 * the owners found so far stay set); -errno when the lists cannot be read
 * at all (all NULL); -ENOMEM (all NULL). lim may be NULL. */
int dpkg_find_owners(const char *admindir, const char *const *paths, size_t n, struct dpkg_limits *lim,
                     char **ret_owners);

/* One installed package as ADMINDIR/status describes it. */
struct dpkg_package {
        char *name;    /* without the architecture */
        char *arch;    /* "amd64", "all", ...; NULL when status names none */
        char *version; /* NULL when status has no entry for the owner */
};

/* The status entries of owners[0..n) ("name" or "name:arch", as
 * dpkg_find_owners returns them; NULL entries are skipped): ret[i].name is
 * always set (from the owner), arch and version from the status paragraph
 * of an installed package with that name (and that architecture, when the
 * owner names one); status is not read when no owner is given. Same
 * errors and limits as dpkg_find_owners; on -ETIME
 * and -EFBIG the names are set, versions may be missing. Free each with
 * dpkg_package_clear. */
int dpkg_find_packages(const char *admindir, const char *const *owners, size_t n, struct dpkg_limits *lim,
                       struct dpkg_package *ret);
void dpkg_package_clear(struct dpkg_package *p);
