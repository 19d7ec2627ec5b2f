/* The crashing user's read access to its bundle (access.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "access.h"
#include "util.h"

#define AT_SECURE_TYPE 23

/* The four ids of "Uid:" or "Gid:" in status. */
static bool status_ids(const char *status, size_t len, const char *key, unsigned long ids[4])
{
        size_t kl = strlen(key);
        for (size_t off = 0; off < len;) {
                const char *line = status + off;
                const char *nl = memchr(line, '\n', len - off);
                size_t ll = nl ? (size_t)(nl - line) : len - off;
                if (ll > kl && memcmp(line, key, kl) == 0) {
                        char buf[128];
                        if (ll - kl >= sizeof(buf))
                                return false;
                        memcpy(buf, line + kl, ll - kl);
                        buf[ll - kl] = '\0';
                        char *p = buf, *end;
                        for (int i = 0; i < 4; i++) {
                                while (*p == ' ' || *p == '\t')
                                        p++;
                                if (*p < '0' || *p > '9')
                                        return false;
                                errno = 0;
                                ids[i] = strtoul(p, &end, 10);
                                if (errno || end == p)
                                        return false;
                                p = end;
                        }
                        return true;
                }
                off += ll + 1;
        }
        return false;
}

/* AT_SECURE of a 64-bit auxv: 0 or 1; -1 when absent or malformed. */
static int auxv_secure(const void *auxv, size_t len)
{
        if (!auxv || len % 16)
                return -1;
        for (size_t off = 0; off + 16 <= len; off += 16) {
                uint64_t type, val;
                memcpy(&type, (const char *)auxv + off, 8);
                memcpy(&val, (const char *)auxv + off + 8, 8);
                if (type == 0)
                        break;
                if (type == AT_SECURE_TYPE)
                        return val != 0;
        }
        return -1;
}

bool access_user_may_read(int dump_mode, uid_t uid, const char *status, size_t status_len, const void *auxv,
                          size_t auxv_len)
{
        unsigned long u[4], g[4];
        if (dump_mode != 1 || uid == 0 || !status)
                return false;
        if (!status_ids(status, status_len, "Uid:", u) || !status_ids(status, status_len, "Gid:", g))
                return false;
        for (int i = 0; i < 4; i++)
                if (u[i] != (unsigned long)uid || g[i] != g[0])
                        return false;
        return auxv_secure(auxv, auxv_len) == 0;
}

int access_grant_read(int fd, uid_t uid)
{
        /* the kernel's posix_acl_xattr format: a version, then entries
         * (tag, perm, id) little-endian, sorted by tag */
        struct {
                uint16_t tag, perm;
                uint32_t id;
        } __attribute__((packed)) e[5] = {
                { 0x01, 6, UINT32_MAX },    /* ACL_USER_OBJ rw- */
                { 0x02, 4, (uint32_t)uid }, /* ACL_USER uid r-- */
                { 0x04, 0, UINT32_MAX },    /* ACL_GROUP_OBJ --- */
                { 0x10, 4, UINT32_MAX },    /* ACL_MASK r-- */
                { 0x20, 0, UINT32_MAX },    /* ACL_OTHER --- */
        };
        uint8_t buf[4 + sizeof(e)];
        uint32_t version = 2;
        memcpy(buf, &version, 4);
        memcpy(buf + 4, e, sizeof(e));
        return fsetxattr(fd, "system.posix_acl_access", buf, sizeof(buf), 0) < 0 ? -errno : 0;
}
