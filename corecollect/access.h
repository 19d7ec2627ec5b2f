/* Who besides root may read a bundle: the crashing user, through a POSIX
 * ACL entry, only when the process was dumpable in the ordinary sense.
 * systemd-coredump granted more before CVE-2022-4415 (a setuid program's
 * core, readable by the user who ran it): the conditions here are all of
 * its fix's and more. Only libc: the xattr is written by hand. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* True only when: dump_mode is 1 (SUID_DUMP_USER: not non-dumpable, not
 * suid_dumpable=2), uid is not root, /proc/PID/status says real, effective,
 * saved and filesystem uid are all uid and the four gids are all equal,
 * and the auxiliary vector has AT_SECURE 0 (no setuid/setgid/capability
 * exec). Anything missing or unparsable: false. */
bool access_user_may_read(int dump_mode, uid_t uid, const char *status, size_t status_len, const void *auxv,
                          size_t auxv_len);

/* Sets the ACL of the open file fd to user::rw-, user:UID:r--, group::---,
 * mask::r--, other::--- (system.posix_acl_access). -errno (-EOPNOTSUPP on
 * a filesystem without ACLs). */
int access_grant_read(int fd, uid_t uid);
