/* Test driver for symbols/: runs one lookup and prints what it found.
 *
 *   symfind elf|debuginfo BUILD-ID|- PATH|- [options]
 *   symfind build-id FILE | debuglink FILE | has-debug-info FILE
 *   symfind hint BUILD-ID|- PATH|-
 *   symfind inflate FILE OUT   (symbols_elf_inflate: writes the copy to OUT,
 *                               prints "none" when FILE needs none)
 *
 * Options: --debug-dir DIR (repeatable), --system-dir DIR ("" = none,
 * default none so tests never see the machine's /usr/lib/debug),
 * --debuglink NAME, --bundle FILE, --env (read COREINSPECT_DEBUG_DIRS and
 * DEBUGINFOD_URLS).
 *
 * A lookup prints "SOURCE WHERE", then checks that the returned fd is
 * seekable and that its build-id is the one asked for.
 * Exit: 0 found/printed, 1 not found (-ENOENT; prints "none"), 2 other
 * error, 64 usage. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "reader.h"
#include "symbols.h"
#include "util.h"

#define MAX_DIRS 16

static int usage(void)
{
        fprintf(stderr, "usage: symfind elf|debuginfo BUILD-ID|- PATH|- [--debug-dir DIR]... "
                        "[--system-dir DIR] [--debuglink NAME] [--bundle FILE] [--env]\n"
                        "       symfind build-id|debuglink|has-debug-info FILE\n"
                        "       symfind hint BUILD-ID|- PATH|-\n"
                        "       symfind inflate FILE OUT\n");
        return 64;
}

static const char *arg_or_null(const char *a)
{
        return strcmp(a, "-") == 0 ? NULL : a;
}

static int run_file_query(const char *what, const char *file)
{
        _cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC);
        _cleanup_free_ char *s = NULL;
        int r;

        if (fd < 0)
                return log_errno(errno, "%s", file), 2;
        if (strcmp(what, "has-debug-info") == 0) {
                bool yes = symbols_has_debug_info(fd);
                printf("%s\n", yes ? "yes" : "no");
                return yes ? 0 : 1;
        }
        r = strcmp(what, "build-id") == 0 ? symbols_elf_build_id(fd, &s) : symbols_elf_debuglink(fd, &s);
        if (r < 0) {
                printf("%s\n", strerror(-r));
                return r == -ENOENT ? 1 : 2;
        }
        printf("%s\n", s);
        return 0;
}

static int run_lookup(bool debuginfo, const char *build_id, const char *path, int argc, char **argv)
{
        const char *dirs[MAX_DIRS];
        struct symbols_options o = { .debug_dirs = dirs, .system_debug_dir = "" };
        struct bundle_reader *bundle = NULL;
        struct symbols *s = NULL;
        const char *debuglink = NULL;
        struct symbols_found f = { .fd = -1 };
        char *got = NULL;
        int r, rc = 2;

        for (int i = 0; i < argc; i++) {
                bool has_val = i + 1 < argc;
                if (strcmp(argv[i], "--env") == 0)
                        o.use_env = true;
                else if (strcmp(argv[i], "--debug-dir") == 0 && has_val && o.n_debug_dirs < MAX_DIRS)
                        dirs[o.n_debug_dirs++] = argv[++i];
                else if (strcmp(argv[i], "--system-dir") == 0 && has_val)
                        o.system_debug_dir = argv[++i];
                else if (strcmp(argv[i], "--debuglink") == 0 && has_val)
                        debuglink = argv[++i];
                else if (strcmp(argv[i], "--bundle") == 0 && has_val && !bundle) {
                        r = bundle_reader_open(argv[++i], &bundle);
                        if (r < 0)
                                return log_errno(r, "%s", argv[i]), 2;
                } else
                        return usage();
        }
        o.bundle = bundle;

        r = symbols_new(&o, &s);
        if (r < 0) {
                log_errno(r, "symbols_new");
                goto out;
        }
        r = debuginfo ? symbols_find_debuginfo(s, build_id, path, debuglink, &f)
                      : symbols_find_elf(s, build_id, path, &f);
        if (r == -ENOENT) {
                printf("none\n");
                rc = 1;
                goto out;
        }
        if (r < 0) {
                log_errno(r, "lookup");
                goto out;
        }

        /* The promises of the API, checked on every lookup. */
        if (lseek(f.fd, 0, SEEK_CUR) != 0) {
                log_error("returned fd is not at offset 0");
                goto out;
        }
        if (build_id && (symbols_elf_build_id(f.fd, &got) < 0 || strcasecmp(got, build_id) != 0)) {
                log_error("returned file has build-id %s, asked for %s", got ? got : "none", build_id);
                goto out;
        }
        if (debuginfo && !symbols_has_debug_info(f.fd)) {
                log_error("returned debug file has no .debug_info");
                goto out;
        }
        printf("%s %s\n", symbols_source_name(f.source), f.where);
        rc = 0;
out:
        free(got);
        symbols_found_clear(&f);
        symbols_free(s);
        bundle_reader_free(bundle);
        return rc;
}

static int run_inflate(const char *file, const char *out)
{
        _cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return log_errno(errno, "%s", file), 2;
        _cleanup_close_ int copy = -1;
        int r = symbols_elf_inflate(fd, &copy);
        if (r < 0) {
                printf("%s\n", strerror(-r));
                return 2;
        }
        if (copy < 0) {
                printf("none\n");
                return 1;
        }
        _cleanup_close_ int o = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (o < 0)
                return log_errno(errno, "%s", out), 2;
        char buf[65536];
        ssize_t n;
        while ((n = read(copy, buf, sizeof(buf))) > 0)
                if (write(o, buf, (size_t)n) != n)
                        return log_errno(errno, "%s", out), 2;
        if (n < 0)
                return log_errno(errno, "%s", file), 2;
        printf("inflated\n");
        return 0;
}

int main(int argc, char **argv)
{
        log_set_program("symfind");
        if (getenv("SYMFIND_DEBUG"))
                log_set_level(LOGL_DEBUG);
        if (argc < 3)
                return usage();
        if (strcmp(argv[1], "build-id") == 0 || strcmp(argv[1], "debuglink") == 0 ||
            strcmp(argv[1], "has-debug-info") == 0)
                return argc == 3 ? run_file_query(argv[1], argv[2]) : usage();
        if (argc < 4)
                return usage();
        if (strcmp(argv[1], "inflate") == 0)
                return argc == 4 ? run_inflate(argv[2], argv[3]) : usage();
        if (strcmp(argv[1], "hint") == 0) {
                _cleanup_free_ char *h = symbols_hint(arg_or_null(argv[2]), arg_or_null(argv[3]));
                if (!h)
                        return 2;
                printf("%s\n", h);
                return 0;
        }
        if (strcmp(argv[1], "elf") != 0 && strcmp(argv[1], "debuginfo") != 0)
                return usage();
        return run_lookup(strcmp(argv[1], "debuginfo") == 0, arg_or_null(argv[2]), arg_or_null(argv[3]),
                          argc - 4, argv + 4);
}
