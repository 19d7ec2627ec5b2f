/* How a person gets missing debug info: the Debian debug package of the
 * package that owned the file on the crashed host (recorded by corecollect
 * in packages.json), else of the one that owns it here (from dpkg's file
 * lists, read once per process for all modules), else debuginfod-find,
 * else rebuild with -g. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dpkg.h"
#include "escape.h"
#include "io.h"
#include "symbols-internal.h"
#include "util.h"

extern char **environ;

/* Runs argv (looked up in PATH, no shell) with stdin and stderr on
 * /dev/null and returns its stdout (at most max bytes, NUL-terminated) if
 * it exits 0. */
__attribute__((unused)) static int run_capture(char *const argv[], size_t max, char **ret)
{
        posix_spawn_file_actions_t fa;
        int pipefd[2], r, status;
        pid_t pid;

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return -errno;
        _cleanup_close_ int rd = pipefd[0];
        _cleanup_close_ int wr = pipefd[1];

        r = posix_spawn_file_actions_init(&fa);
        if (r != 0)
                return -r;
        r = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        if (r == 0)
                r = posix_spawn_file_actions_adddup2(&fa, wr, STDOUT_FILENO);
        if (r == 0)
                r = posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        if (r == 0)
                r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (r != 0)
                return -r;
        close(TAKE_FD(wr));

        _cleanup_free_ char *buf = malloc(max + 1);
        ssize_t n = buf ? read_full(rd, buf, max) : -ENOMEM;
        close(TAKE_FD(rd)); /* a child with more to say gets EPIPE, not a hang */
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        if (n < 0)
                return (int)n;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return -ENOENT;
        buf[n] = '\0';
        *ret = TAKE_PTR(buf);
        return 0;
}

/* dpkg's architecture, which is the one it was built for: for the
 * architectures Debian names, the one we were built for; else asked once. */
static const char *native_arch(void)
{
#if defined(__x86_64__) && !defined(__ILP32__)
        return "amd64";
#elif defined(__aarch64__)
        return "arm64";
#elif defined(__i386__)
        return "i386";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        return "ppc64el";
#elif defined(__s390x__)
        return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
        return "riscv64";
#else
        static char *cached;
        static bool asked;
        if (!asked) {
                char *argv[] = { (char *)"dpkg", (char *)"--print-architecture", NULL };
                asked = true;
                if (run_capture(argv, 256, &cached) == 0)
                        cached[strcspn(cached, "\n")] = '\0';
        }
        return cached;
#endif
}

/* Owners already looked up in this process, path -> package or NULL, for
 * one dpkg admin dir. */
static struct {
        char *admindir;
        char **paths;
        char **owners;
        size_t n;
} owner_cache;

static ssize_t owner_cache_find(const char *path)
{
        for (size_t i = 0; i < owner_cache.n; i++)
                if (strcmp(owner_cache.paths[i], path) == 0)
                        return (ssize_t)i;
        return -1;
}

/* Looks up the owners of the n paths not yet in the cache, in one pass over
 * dpkg's file lists. Failures leave them uncached (asked again next time). */
static void owner_cache_fill(const char *admindir, char **paths, size_t n)
{
        if (!owner_cache.admindir || strcmp(owner_cache.admindir, admindir) != 0) {
                for (size_t i = 0; i < owner_cache.n; i++) {
                        free(owner_cache.paths[i]);
                        free(owner_cache.owners[i]);
                }
                free(owner_cache.paths);
                free(owner_cache.owners);
                free(owner_cache.admindir);
                memset(&owner_cache, 0, sizeof(owner_cache));
                owner_cache.admindir = strdup(admindir);
                if (!owner_cache.admindir)
                        return;
        }
        size_t n_new = 0;
        for (size_t i = 0; i < n; i++) {
                bool dup = owner_cache_find(paths[i]) >= 0;
                for (size_t k = 0; k < n_new && !dup; k++)
                        dup = strcmp(paths[k], paths[i]) == 0;
                if (!dup)
                        paths[n_new++] = paths[i];
        }
        if (n_new == 0)
                return;
        _cleanup_free_ char **owners = calloc(n_new, sizeof(*owners));
        char **np = reallocarray(owner_cache.paths, owner_cache.n + n_new, sizeof(char *));
        if (np)
                owner_cache.paths = np;
        char **no = reallocarray(owner_cache.owners, owner_cache.n + n_new, sizeof(char *));
        if (no)
                owner_cache.owners = no;
        if (!owners || !np || !no || dpkg_find_owners(admindir, (const char *const *)paths, n_new, NULL, owners) < 0)
                return;
        for (size_t i = 0; i < n_new; i++) {
                char *p = strdup(paths[i]);
                if (!p) {
                        free(owners[i]);
                        continue;
                }
                owner_cache.paths[owner_cache.n] = p;
                owner_cache.owners[owner_cache.n++] = owners[i];
        }
}

static const char *cached_owner(const char *path)
{
        ssize_t i = owner_cache_find(path);
        return i >= 0 ? owner_cache.owners[i] : NULL;
}

/* Whether pkg ("name" or "name:arch", from a bundle: someone else's text)
 * can go into a command line as it is: Debian's package name characters
 * (policy 5.6.1) and an architecture of [a-z0-9-]. */
static bool valid_package(const char *pkg)
{
        size_t nl = strspn(pkg, "abcdefghijklmnopqrstuvwxyz0123456789+-.");
        if (nl < 2 || nl > 128 || !((pkg[0] >= 'a' && pkg[0] <= 'z') || (pkg[0] >= '0' && pkg[0] <= '9')))
                return false;
        if (pkg[nl] == '\0')
                return true;
        const char *arch = pkg + nl + 1;
        size_t al = strspn(arch, "abcdefghijklmnopqrstuvwxyz0123456789-");
        return pkg[nl] == ':' && al > 0 && al < 32 && arch[al] == '\0';
}

/* Debian's debug package for binary package pkg ("name" or "name:arch"). */
/* "=VERSION" for a Debian version (policy 5.6.12: [epoch:]upstream[-revision],
 * of [A-Za-z0-9.+~:-], starting with a digit) that can be pasted into a
 * shell as it is; else "" (a bundle's text is someone else's). */
static const char *version_pin(const char *version, char *buf, size_t size)
{
        size_t l = version ? strlen(version) : 0;
        if (l == 0 || l + 2 > size || !(version[0] >= '0' && version[0] <= '9') ||
            version[strspn(version, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.+~:-")] != '\0')
                return "";
        snprintf(buf, size, "=%s", version);
        return buf;
}

/* The command that installs pkg's debug package; version (the crashed
 * host's, or NULL) pins it, since debug info must be of the very build. */
static char *debug_package_command(const char *pkg, const char *version)
{
        char pin[130];
        const char *eq = version_pin(version, pin, sizeof(pin));
        /* Packages that ship their own -dbg package instead of an
         * automatic -dbgsym one (in the debian-debug archive). */
        static const char *const own_dbg[] = { "libc6", "libc6-i386", "libc6-x32" };
        const char *colon = strchr(pkg, ':');
        size_t name_len = colon ? (size_t)(colon - pkg) : strlen(pkg);
        const char *arch = colon ? colon : "";
        char *s;

        /* The native architecture needs no qualifier. */
        const char *native = colon ? native_arch() : NULL;
        if (native && strcmp(native, colon + 1) == 0)
                arch = "";

        for (size_t i = 0; i < ELEMENTSOF(own_dbg); i++)
                if (strlen(own_dbg[i]) == name_len && strncmp(pkg, own_dbg[i], name_len) == 0) {
                        if (asprintf(&s, "apt-get install %.*s-dbg%s%s", (int)name_len, pkg, arch, eq) < 0)
                                return NULL;
                        return s;
                }
        if (asprintf(&s, "apt-get install %.*s-dbgsym%s%s (needs the debian-debug archive in sources.list)",
                     (int)name_len, pkg, arch, eq) < 0)
                return NULL;
        return s;
}

/* Whether the file at path has the build-id (true when it is unknown). */
static bool same_build(const char *path, const char *build_id)
{
        if (!build_id || !*build_id)
                return true;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        _cleanup_free_ char *id = NULL;
        struct stat st;
        return fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && symbols_elf_build_id(fd, &id) == 0 &&
               strcasecmp(id, build_id) == 0;
}

/* Whether dpkg may be asked about path: an absolute path that exists here
 * as the build that ran (after a package upgrade, the package's debug info
 * is for another build). */
static bool dpkg_may_know(const char *build_id, const char *path)
{
        struct stat st;
        return path && path[0] == '/' && stat(path, &st) == 0 && same_build(path, build_id);
}

/* The hint that needs no package database. */
static char *fallback_hint(const char *build_id, const char *path)
{
        char *s;

        /* The hint is meant to be pasted into a shell: a build-id from a
         * (possibly hostile) bundle goes in only if it is plain hex. */
        if (build_id && *build_id && build_id[strspn(build_id, "0123456789abcdefABCDEF")] == '\0') {
                const char *urls = getenv("DEBUGINFOD_URLS");
                bool have_urls = urls && urls[strspn(urls, " \t\n")] != '\0';
                if (asprintf(&s, "%sdebuginfod-find debuginfo %s",
                             have_urls ? "" : "DEBUGINFOD_URLS=https://debuginfod.debian.net ", build_id) < 0)
                        return NULL;
                return s;
        }
        /* the path is the crashed process's choice: one quoted word */
        _cleanup_free_ char *qp = path && *path ? shell_quoted(path) : NULL;
        if (asprintf(&s, "rebuild %s with -g", qp ? qp : "the program") < 0)
                return NULL;
        return s;
}

void symbols_hints(const struct symbols_hint_query *q, size_t n, struct symbols_hint *ret)
{
        const char *admindir = getenv("DPKG_ADMINDIR");
        if (!admindir || !*admindir)
                admindir = DPKG_ADMINDIR_DEFAULT;

        /* every path dpkg may be asked about, asked at once (dpkg.c looks
         * for its /usr-merge alias too); not those the crashed host named */
        bool *ask = calloc(n ? n : 1, sizeof(*ask));
        char **batch = calloc(n + 1, sizeof(*batch));
        size_t n_batch = 0;
        for (size_t i = 0; ask && batch && i < n; i++) {
                ask[i] = !q[i].package && dpkg_may_know(q[i].build_id, q[i].path);
                if (ask[i])
                        batch[n_batch++] = (char *)q[i].path;
        }
        if (n_batch > 0)
                owner_cache_fill(admindir, batch, n_batch);

        for (size_t i = 0; i < n; i++) {
                ret[i] = (struct symbols_hint){};
                if (q[i].package && valid_package(q[i].package) &&
                    (ret[i].command = debug_package_command(q[i].package, q[i].package_version)))
                        ret[i].recorded_package = true;
                else if (ask && ask[i]) {
                        const char *pkg = cached_owner(q[i].path);
                        if (pkg && (ret[i].command = debug_package_command(pkg, NULL)))
                                ret[i].local_package = true;
                }
                if (!ret[i].command)
                        ret[i].command = fallback_hint(q[i].build_id, q[i].path);
        }
        free(ask);
        free(batch);
}

char *symbols_hint(const char *build_id, const char *path)
{
        struct symbols_hint h;
        symbols_hints(&(struct symbols_hint_query){ .build_id = build_id, .path = path }, 1, &h);
        return h.command;
}
