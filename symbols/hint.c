/* How a person gets missing debug info: ask dpkg which package owns the
 * file, and name its Debian debug package; else debuginfod-find; else
 * rebuild with -g. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io.h"
#include "symbols.h"
#include "util.h"

extern char **environ;

/* Runs argv (looked up in PATH, no shell) with stdin and stderr on
 * /dev/null and returns its stdout (at most max bytes, NUL-terminated) if
 * it exits 0. */
static int run_capture(char *const argv[], size_t max, char **ret)
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

/* From `dpkg-query -S` output ("libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6",
 * maybe "pkg1, pkg2: path", maybe "diversion by ..." lines), the first
 * package name with its ":arch" qualifier if any. */
static char *parse_dpkg_owner(const char *out)
{
        for (const char *line = out; line && *line;) {
                const char *eol = strchrnul(line, '\n');
                const char *sep = NULL;
                for (const char *p = line; p + 2 < eol; p++)
                        if (p[0] == ':' && p[1] == ' ' && p[2] == '/') {
                                sep = p;
                                break;
                        }
                if (sep && strncmp(line, "diversion by ", 13) != 0) {
                        size_t len = strcspn(line, ", ");
                        if (len > (size_t)(sep - line))
                                len = (size_t)(sep - line);
                        if (len > 0)
                                return strndup(line, len);
                }
                line = *eol ? eol + 1 : NULL;
        }
        return NULL;
}

/* dpkg knows a file by the path its package ships, which after the /usr
 * merge may differ from the path the process mapped: try both. */
static char *dpkg_owner(const char *path)
{
        _cleanup_free_ char *alt = NULL;
        const char *candidates[3] = { path, NULL, NULL };

        if (strncmp(path, "/usr/", 5) == 0)
                alt = strdup(path + 4);
        else if (asprintf(&alt, "/usr%s", path) < 0)
                alt = NULL;
        candidates[1] = alt;

        for (size_t i = 0; i < ELEMENTSOF(candidates) && candidates[i]; i++) {
                char *argv[] = { (char *)"dpkg-query", (char *)"-S", (char *)candidates[i], NULL };
                _cleanup_free_ char *out = NULL;
                if (run_capture(argv, 64 * 1024, &out) == 0) {
                        char *pkg = parse_dpkg_owner(out);
                        if (pkg)
                                return pkg;
                }
        }
        return NULL;
}

/* Debian's debug package for binary package pkg ("name" or "name:arch"). */
static char *debug_package_command(const char *pkg)
{
        /* Packages that ship their own -dbg package instead of an
         * automatic -dbgsym one (in the debian-debug archive). */
        static const char *const own_dbg[] = { "libc6", "libc6-i386", "libc6-x32" };
        const char *colon = strchr(pkg, ':');
        size_t name_len = colon ? (size_t)(colon - pkg) : strlen(pkg);
        const char *arch = colon ? colon : "";
        char *s;

        /* The native architecture needs no qualifier. */
        if (colon) {
                char *argv[] = { (char *)"dpkg", (char *)"--print-architecture", NULL };
                _cleanup_free_ char *native = NULL;
                if (run_capture(argv, 256, &native) == 0) {
                        native[strcspn(native, "\n")] = '\0';
                        if (strcmp(native, colon + 1) == 0)
                                arch = "";
                }
        }

        for (size_t i = 0; i < ELEMENTSOF(own_dbg); i++)
                if (strlen(own_dbg[i]) == name_len && strncmp(pkg, own_dbg[i], name_len) == 0) {
                        if (asprintf(&s, "apt-get install %.*s-dbg%s", (int)name_len, pkg, arch) < 0)
                                return NULL;
                        return s;
                }
        if (asprintf(&s, "apt-get install %.*s-dbgsym%s (needs the debian-debug archive in sources.list)",
                     (int)name_len, pkg, arch) < 0)
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

char *symbols_hint(const char *build_id, const char *path)
{
        struct stat st;
        char *s;

        /* dpkg-query -S takes a pattern: only ask about plain absolute
         * paths. And only when the file here is the one that ran: after a
         * package upgrade, the package's debug info is for another build. */
        if (path && path[0] == '/' && !strpbrk(path, "*?[\\") && stat(path, &st) == 0 &&
            same_build(path, build_id)) {
                _cleanup_free_ char *pkg = dpkg_owner(path);
                if (pkg && (s = debug_package_command(pkg)))
                        return s;
        }

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
        if (asprintf(&s, "rebuild %s with -g", path && *path ? path : "the program") < 0)
                return NULL;
        return s;
}
