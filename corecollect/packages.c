#include "packages.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "dpkg.h"
#include "util.h"

#define DELETED_SUFFIX " (deleted)"

/* The path dpkg may list for a mapped path: /proc/PID/maps marks a file
 * unlinked since (dpkg replaces files by rename) with " (deleted)". Caller
 * frees; *ret_deleted says the suffix was there. */
static char *lookup_path(const char *path, bool *ret_deleted)
{
        size_t l = strlen(path), sl = strlen(DELETED_SUFFIX);
        *ret_deleted = l > sl && strcmp(path + l - sl, DELETED_SUFFIX) == 0;
        return strndup(path, *ret_deleted ? l - sl : l);
}

/* Whether the file at path is no longer the one mapped (open as fd). path
 * is one dpkg owns, so a system path, not one the crashed process chose. */
static bool file_replaced(const char *path, int fd)
{
        struct stat a, b;
        if (fd < 0 || fstat(fd, &a) < 0)
                return false; /* cannot tell */
        return stat(path, &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino;
}

static uint64_t thread_cpu_usec(void)
{
        struct rusage ru;
        if (getrusage(RUSAGE_THREAD, &ru) < 0)
                return 0;
        return (uint64_t)ru.ru_utime.tv_sec * 1000000 + (uint64_t)ru.ru_utime.tv_usec +
               (uint64_t)ru.ru_stime.tv_sec * 1000000 + (uint64_t)ru.ru_stime.tv_usec;
}

static const char *skip_reason(int r)
{
        switch (r) {
        case -ETIME:
                return "time-budget";
        case -EFBIG:
                return "size-limit";
        case -ENOENT:
        case -ENOTDIR:
                return "no-dpkg";
        case -ESRCH:
                return "no-mapped-files";
        default:
                return "error";
        }
}

/* The lookup itself; returns 0 or the error that stopped it. */
static int lookup(const struct proc_info *p, struct dpkg_limits *lim, struct packages_result *res,
                  char **paths, bool *deleted, char **owners, struct dpkg_package *pk)
{
        for (size_t i = 0; i < p->n_mapped; i++) {
                paths[i] = lookup_path(p->mapped[i].path, &deleted[i]);
                if (!paths[i])
                        return -ENOMEM;
        }
        int r = dpkg_find_owners(res->admindir, (const char *const *)paths, p->n_mapped, lim, owners);
        if (r < 0)
                return r;
        r = dpkg_find_packages(res->admindir, (const char *const *)owners, p->n_mapped, lim, pk);
        if (r < 0)
                return r;
        for (size_t i = 0; i < p->n_mapped; i++) {
                struct bundle_mapped_file *f = &res->files[i];
                if (!pk[i].name)
                        continue;
                f->package = TAKE_PTR(pk[i].name);
                f->arch = TAKE_PTR(pk[i].arch);
                f->replaced = deleted[i] || file_replaced(paths[i], p->mapped[i].fd);
                if (!f->replaced)
                        f->version = TAKE_PTR(pk[i].version);
        }
        return 0;
}

void packages_lookup(const struct config *cfg, const struct proc_info *p, uint64_t deadline_usec,
                     struct packages_result *ret)
{
        *ret = (struct packages_result){ .status = "off" };
        ret->admindir = cfg->dpkg_admindir ? cfg->dpkg_admindir : DPKG_ADMINDIR_DEFAULT;
        if (!cfg->packages)
                return;
        uint64_t start = now_usec(), cpu0 = thread_cpu_usec();
        struct dpkg_limits lim = { .deadline_usec = MIN(start + cfg->packages_budget_ms * 1000, deadline_usec),
                                   .max_bytes = cfg->packages_max_read };
        size_t n = p->n_mapped;
        ret->files = calloc(n + 1, sizeof(*ret->files));
        char **paths = calloc(n + 1, sizeof(*paths)), **owners = calloc(n + 1, sizeof(*owners));
        bool *deleted = calloc(n + 1, sizeof(*deleted));
        struct dpkg_package *pk = calloc(n + 1, sizeof(*pk));
        int r = -ENOMEM;
        if (ret->files && paths && owners && deleted && pk) {
                ret->n_files = n;
                for (size_t i = 0; i < n; i++)
                        ret->files[i].path = p->mapped[i].path;
                r = start >= deadline_usec ? -ETIME
                    : n == 0              ? -ESRCH /* nothing mapped is known: an OOM kill's process is gone */
                                          : lookup(p, &lim, ret, paths, deleted, owners, pk);
        }
        for (size_t i = 0; i < n; i++) {
                free(paths ? paths[i] : NULL);
                free(owners ? owners[i] : NULL);
                if (pk)
                        dpkg_package_clear(&pk[i]);
        }
        free(paths), free(owners), free(deleted), free(pk);
        ret->status = r < 0 ? "skipped" : "ok";
        ret->reason = r < 0 ? skip_reason(r) : NULL;
        ret->bytes_read = lim.bytes_read;
        ret->usec = now_usec() - start;
        ret->cpu_usec = thread_cpu_usec() - cpu0;
        if (r < 0 && r != -ESRCH)
                log_warning("packages of the mapped files not recorded: %s (after %" PRIu64 " ms, %" PRIu64
                            " bytes of %s read)",
                            ret->reason, ret->usec / 1000, ret->bytes_read, ret->admindir);
}

int packages_write(const struct packages_result *res, struct strbuf *ret)
{
        struct bundle_meta m;
        bundle_meta_init(&m);
        m.mapped = res->files;
        m.n_mapped = res->n_files;
        m.packages.status = res->status;
        m.packages.reason = res->reason;
        m.packages.admindir = res->admindir;
        m.packages.usec = res->usec;
        m.packages.cpu_usec = res->cpu_usec;
        m.packages.bytes_read = res->bytes_read;
        return bundle_packages_write(&m, ret);
}

void packages_result_free(struct packages_result *res)
{
        for (size_t i = 0; i < res->n_files; i++) {
                free((char *)res->files[i].package);
                free((char *)res->files[i].version);
                free((char *)res->files[i].arch);
        }
        free(res->files);
        *res = (struct packages_result){};
}
