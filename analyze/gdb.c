/* coreinspect gdb BUNDLE [-- GDB-ARGS]: gdb on a crash from another
 * machine. The core and a sysroot of the binaries the bundle carries (at
 * the paths they had on the crashed host) go into a private directory
 * (0700) that is removed when gdb ends, also on SIGINT/SIGTERM/SIGHUP. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyze.h"
#include "extract.h"
#include "io.h"
#include "util.h"
#include "verbs.h"

static volatile sig_atomic_t gdb_child, got_signal;

static void on_signal(int sig)
{
        got_signal = sig;
        extract_interrupted = 1;
        if (gdb_child > 0 && sig != SIGINT)
                kill((pid_t)gdb_child, sig);
}

static void gdb_usage(FILE *f)
{
        fprintf(f, "Usage: coreinspect gdb [--debug-dir DIR]... BUNDLE [-- GDB-ARGS...]\n"
                   "\n"
                   "Runs gdb on the crash in BUNDLE on any machine: the core and the binaries\n"
                   "the bundle carries (under the paths they had on the crashed host, as gdb's\n"
                   "sysroot) are written to a private temporary directory in $TMPDIR or\n"
                   "/var/tmp, removed when gdb ends. Debug info: the bundle's files by\n"
                   "build-id, /usr/lib/debug (COREINSPECT_SYSTEM_DEBUG_DIR), --debug-dir,\n"
                   "COREINSPECT_DEBUG_DIRS, and debuginfod when DEBUGINFOD_URLS is set.\n"
                   "GDB-ARGS go to gdb as they are (for example -batch -ex bt); without\n"
                   "them gdb is interactive. COREINSPECT_GDB names another gdb.\n"
                   "\n"
                   "  --debug-dir DIR   another debug directory (repeatable)\n"
                   "  -h, --help        this text\n"
                   "\n"
                   "Exit codes: gdb's, 2 bad input, 64 usage, 127 gdb cannot be started.\n");
}

/* debug-file-directory: the system's and the user's (entries with ':'
 * cannot be said to gdb). The bundle's files are not in it: they are the
 * binaries themselves, in the sysroot, and a stripped one found by
 * build-id would hide the system's real debug file. Nothing under the
 * temporary directory is in gdb's auto-load safe-path ("$debugdir"), so no
 * .debug_gdb_scripts of the crashed host's binaries runs. */
static char *debug_path(const char *const *dirs, size_t n)
{
        struct strbuf sb;
        strbuf_init(&sb);
        const char *sys = getenv("COREINSPECT_SYSTEM_DEBUG_DIR");
        if (!sys)
                sys = "/usr/lib/debug";
        if (*sys && !strchr(sys, ':'))
                strbuf_printf(&sb, "%s", sys);
        for (size_t i = 0; i < n; i++)
                if (*dirs[i] && !strchr(dirs[i], ':'))
                        strbuf_printf(&sb, "%s%s", sb.len ? ":" : "", dirs[i]);
        const char *env = getenv("COREINSPECT_DEBUG_DIRS");
        if (env && *env)
                strbuf_printf(&sb, "%s%s", sb.len ? ":" : "", env);
        if (sb.len == 0)
                strbuf_puts(&sb, "/nonexistent"); /* gdb: an empty value means its default */
        return strbuf_steal(&sb, NULL);
}

/* Extracts, runs gdb, waits. Returns gdb's exit code or ours. */
static int run_gdb(struct input *in, const char *tmp, const char *const *dirs, size_t n_dirs, char **extra,
                   int n_extra)
{
        _cleanup_close_ int dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
                return log_errno(errno, "cannot open %s: %m", tmp), EXIT_BAD_INPUT;
        _cleanup_close_ int cfd = openat(dfd, "core", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (cfd < 0)
                return log_errno(errno, "cannot create the core in %s: %m", tmp), EXIT_BAD_INPUT;
        int r = extract_core(in, cfd, true);
        if (r < 0) {
                if (r != -EINTR)
                        log_error("cannot write the core to %s: %s", tmp, strerror(-r));
                return EXIT_BAD_INPUT;
        }
        _cleanup_free_ char *exe_rel = NULL;
        _cleanup_(strbuf_free) struct strbuf libdirs;
        strbuf_init(&libdirs);
        r = extract_sysroot(in, dfd, &exe_rel, &libdirs);
        if (r < 0) {
                if (r != -EINTR)
                        log_error("cannot write the sysroot to %s: %s", tmp, strerror(-r));
                return EXIT_BAD_INPUT;
        }
        log_debug("sysroot: %d files", r);
        if (extract_interrupted)
                return EXIT_BAD_INPUT;

        _cleanup_free_ char *dbg = debug_path(dirs, n_dirs);
        struct strbuf search;
        strbuf_init(&search);
        strbuf_puts(&search, "set solib-search-path ");
        for (size_t o = 0; o < libdirs.len;) {
                const char *nl = memchr(libdirs.data + o, '\n', libdirs.len - o);
                size_t l = (size_t)(nl - (libdirs.data + o));
                if (!memchr(libdirs.data + o, ':', l))
                        strbuf_printf(&search, "%s%s/%.*s", o ? ":" : "", tmp, (int)l, libdirs.data + o);
                o += l + 1;
        }
        _cleanup_free_ char *search_cmd = strbuf_steal(&search, NULL);
        char *sysroot_cmd = NULL, *debug_cmd = NULL, *exe = NULL, *core = NULL;
        const char *urls = getenv("DEBUGINFOD_URLS");
        if (!dbg || !search_cmd || asprintf(&sysroot_cmd, "set sysroot %s/root", tmp) < 0 ||
            asprintf(&debug_cmd, "set debug-file-directory %s", dbg) < 0 ||
            asprintf(&core, "--core=%s/core", tmp) < 0 || (exe_rel && asprintf(&exe, "%s/%s", tmp, exe_rel) < 0)) {
                log_error("out of memory");
                return EXIT_BAD_INPUT;
        }
        const char *gdb = getenv("COREINSPECT_GDB");
        if (!gdb || !*gdb)
                gdb = "gdb";
        const char **av = calloc((size_t)n_extra + 16, sizeof(char *));
        if (!av)
                return log_error("out of memory"), EXIT_BAD_INPUT;
        size_t k = 0;
        av[k++] = gdb;
        av[k++] = "-q";
        av[k++] = "-iex";
        av[k++] = sysroot_cmd;
        av[k++] = "-iex";
        av[k++] = debug_cmd;
        av[k++] = "-iex";
        av[k++] = search_cmd;
        av[k++] = "-iex";
        av[k++] = urls && *urls ? "set debuginfod enabled on" : "set debuginfod enabled off";
        if (exe)
                av[k++] = exe;
        av[k++] = core;
        for (int i = 0; i < n_extra; i++)
                av[k++] = extra[i];
        av[k] = NULL;

        /* like system(): the terminal's ^C and ^\ are gdb's while it runs */
        struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
        sigaction(SIGINT, &ign, &old_int);
        sigaction(SIGQUIT, &ign, &old_quit);
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
                sigaction(SIGINT, &old_int, NULL);
                sigaction(SIGQUIT, &old_quit, NULL);
                signal(SIGTERM, SIG_DFL);
                signal(SIGHUP, SIG_DFL);
                execvp(gdb, (char *const *)av);
                log_error("cannot run %s: %m", gdb);
                _exit(127);
        }
        int rc;
        if (pid < 0) {
                log_errno(errno, "fork: %m");
                rc = EXIT_BAD_INPUT;
        } else {
                gdb_child = pid;
                if (got_signal && got_signal != SIGINT)
                        kill(pid, got_signal);
                int st;
                while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                        ;
                gdb_child = 0;
                rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        free(av);
        free(sysroot_cmd);
        free(debug_cmd);
        free(exe);
        free(core);
        return rc;
}

int gdb_main(int argc, char **argv)
{
        static const struct option opts[] = {
                { "debug-dir", required_argument, NULL, 'd' },
                { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        const char *dirs[64];
        size_t n_dirs = 0;
        int c;
        optind = 2;
        /* "+": stop at BUNDLE; what follows "--" is gdb's */
        while ((c = getopt_long(argc, argv, "+vh", opts, NULL)) >= 0) {
                switch (c) {
                case 'd':
                        if (!option_dir_add(dirs, &n_dirs, ELEMENTSOF(dirs), optarg, "--debug-dir"))
                                return EXIT_USAGE;
                        break;
                case 'v':
                        log_set_level(LOGL_DEBUG);
                        break;
                case 'h':
                        gdb_usage(stdout);
                        return 0;
                default:
                        gdb_usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (optind >= argc || (optind + 1 < argc && strcmp(argv[optind + 1], "--") != 0)) {
                gdb_usage(stderr);
                return EXIT_USAGE;
        }
        const char *path = argv[optind];
        char **extra = argv + MIN(optind + 2, argc);
        int n_extra = argc - MIN(optind + 2, argc);

        struct input *in = NULL;
        int r = extract_open_input(path, &in);
        if (r != 0)
                return r;
        if (!in->has_core) {
                log_error("%s: the bundle holds no core (an OOM kill, or RLIMIT_CORE allowed none)", path);
                input_free(in);
                return EXIT_BAD_INPUT;
        }
        struct sigaction sa = { .sa_handler = on_signal };
        sigemptyset(&sa.sa_mask);
        struct sigaction old[3];
        static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
        for (size_t i = 0; i < 3; i++)
                sigaction(sigs[i], &sa, &old[i]);
        _cleanup_free_ char *tmp = NULL;
        r = extract_mkdtemp("coreinspect-gdb", &tmp);
        if (r < 0) {
                log_error("cannot make a temporary directory in $TMPDIR or /var/tmp: %s", strerror(-r));
                input_free(in);
                return EXIT_BAD_INPUT;
        }
        int rc = run_gdb(in, tmp, dirs, n_dirs, extra, n_extra);
        input_free(in);
        r = extract_rm_rf(tmp);
        if (r < 0)
                log_error("cannot remove %s: %s", tmp, strerror(-r));
        for (size_t i = 0; i < 3; i++)
                sigaction(sigs[i], &old[i], NULL);
        if (got_signal) {
                /* the directory is gone: die of the signal as the caller expects */
                signal(got_signal, SIG_DFL);
                raise(got_signal);
        }
        return rc;
}
