/* corecollect: the core_pattern handler and its store. main() only parses
 * arguments; the work is in capture.c, install.c and list.c. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture.h"
#include "config.h"
#include "install.h"
#include "list.h"
#include "oomwatch.h"
#include "util.h"

#define EXIT_USAGE 64

static void usage(FILE *f)
{
        fprintf(f,
                "Usage:\n"
                "  corecollect --version\n"
                "  corecollect COMMAND --help\n"
                "  corecollect install [--store DIR] [--config PATH] [--set KEY=VALUE]...\n"
                "  corecollect uninstall\n"
                "  corecollect list [--since WHEN] [--until WHEN] [--exe EXE] [--comm COMM] [--pid PID]\n"
                "                   [--signal SIG] [--class CLASS] [--signature SIG] [--host HOST]\n"
                "                   [--json] [--store DIR | STORE...]   (corecollect list --help)\n"
                "  corecollect oom-watch [-c CONFIG] [--store DIR] [--once] [--timeout SEC]\n"
                "  corecollect capture [-c CONFIG] [--store DIR] [--set KEY=VALUE]...\n"
                "                      PID TID SIGNAL TIME UID GID DUMPMODE PIDFD [CORELIMIT] COMM < core\n"
                "\n"
                "install writes CONFIG (default " CONFIG_DEFAULT_PATH ") and points the kernel's\n"
                "core_pattern at `corecollect capture`, saving the previous core_pattern and\n"
                "core_pipe_limit; uninstall restores them. Bundles go to the store (default\n"
                STORE_DEFAULT_PATH "). Settings (--set or CONFIG): max_bundle, max_core,\n"
                "time_budget_ms, files_budget, file_max, kmsg_lines, journal_dir,\n"
                "journal_seconds, journal_lines, frame_size, level, max_store, keep_free,\n"
                "uid_max_store, protect_age_s, rate_burst, rate_uid_burst, rate_interval_s,\n"
                "environ_filter, packages (1/0), packages_budget_ms, packages_max_read,\n"
                "dpkg_admindir.\n"
                "Sizes take K/M/G suffixes.\n"
                "\n"
                "Exit codes:\n"
                "  install/uninstall: 0 done, 1 error, 2 already in that state\n"
                "  list:    0 listed, 1 some bundle unreadable, 2 store unreadable\n"
                "  oom-watch: 0 stopped (or with --once: a bundle written), 1 error,\n"
                "           3 --timeout passed without an OOM kill\n"
                "  capture: 0 bundle written, 1 bundle written but truncated,\n"
                "           3 skipped (crash-storm limit), 4 no bundle (store/disk/input error,\n"
                "           signal), 5 no bundle: store not owned by root or writable by others\n"
                "  any:     64 usage error\n");
}

/* `corecollect COMMAND --help`: that command's usage only. */
static void command_usage(FILE *f, const char *cmd)
{
        static const struct {
                const char *cmd, *text;
        } help[] = {
                { "install", "Usage: corecollect install [--store DIR] [--config PATH] [--set KEY=VALUE]...\n"
                             "\n"
                             "Writes PATH (default " CONFIG_DEFAULT_PATH ") and points the kernel's\n"
                             "core_pattern at `corecollect capture`, saving the previous core_pattern and\n"
                             "core_pipe_limit there. Drop-ins PATH.d/*.conf override it at capture time.\n"
                             "Exit codes: 0 done, 1 error, 2 already installed (settings updated).\n" },
                { "uninstall", "Usage: corecollect uninstall\n"
                               "\n"
                               "Restores the core_pattern and core_pipe_limit that install saved and\n"
                               "removes the config. Exit codes: 0 done, 1 error, 2 not installed.\n" },
                { "oom-watch", "Usage: corecollect oom-watch [-c CONFIG] [--store DIR] [--once] [--timeout SEC]\n"
                               "\n"
                               "Follows the kernel log and writes a bundle (no core) for each OOM kill.\n"
                               "Exit codes: 0 stopped (--once: a bundle written), 1 error, 3 --timeout\n"
                               "passed without an OOM kill.\n" },
                { "capture", "Usage: corecollect capture [-c CONFIG] [--store DIR] [--set KEY=VALUE]...\n"
                             "                           PID TID SIGNAL TIME UID GID DUMPMODE PIDFD [CORELIMIT] COMM < core\n"
                             "\n"
                             "The kernel's core_pattern handler (install sets it up): streams the core\n"
                             "and the process's facts into one bundle in the store. Exit codes: 0\n"
                             "written, 1 written but truncated, 3 skipped (crash-storm limit), 4 no\n"
                             "bundle, 5 store not owned by root or writable by others.\n" },
        };
        for (size_t i = 0; i < ELEMENTSOF(help); i++)
                if (strcmp(help[i].cmd, cmd) == 0) {
                        fputs(help[i].text, f);
                        return;
                }
        usage(f);
}

static const struct option common_opts[] = {
        { "store", required_argument, NULL, 's' },
        { "config", required_argument, NULL, 'c' },
        { "set", required_argument, NULL, 'S' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { "verbose", no_argument, NULL, 'v' },
        { "once", no_argument, NULL, 'o' },
        { "timeout", required_argument, NULL, 't' },
        { "kmsg", required_argument, NULL, 'k' },
        {},
};

struct cli {
        const char *config_path;
        bool config_given;
        bool json;
        char *sets[64];
        size_t n_sets;
        const char *store;
        bool once;
        uint64_t timeout_s;
        const char *kmsg;
};

static int parse_opts(int argc, char **argv, struct cli *cli)
{
        int c;
        optind = 1;
        while ((c = getopt_long(argc, argv, "+c:s:hvj", common_opts, NULL)) >= 0) {
                switch (c) {
                case 'c':
                        cli->config_path = optarg;
                        cli->config_given = true;
                        break;
                case 's':
                        cli->store = optarg;
                        break;
                case 'S':
                        if (cli->n_sets == ELEMENTSOF(cli->sets) || !strchr(optarg, '=')) {
                                log_error("--set takes KEY=VALUE: %s", optarg);
                                return -EINVAL;
                        }
                        cli->sets[cli->n_sets++] = optarg;
                        break;
                case 'j':
                        cli->json = true;
                        break;
                case 'v':
                        log_set_level(LOGL_DEBUG);
                        break;
                case 'o':
                        cli->once = true;
                        break;
                case 't':
                        if (parse_u64(optarg, &cli->timeout_s) < 0) {
                                log_error("--timeout takes seconds: %s", optarg);
                                return -EINVAL;
                        }
                        break;
                case 'k':
                        cli->kmsg = optarg;
                        break;
                case 'h':
                        command_usage(stdout, argv[0]);
                        exit(0);
                default:
                        return -EINVAL;
                }
        }
        return 0;
}

/* Applies --store and --set on top of cfg. */
static int apply_cli(struct config *cfg, const struct cli *cli)
{
        if (cli->store) {
                char *abs = realpath(cli->store, NULL);
                int r = config_set(cfg, "store", abs ? abs : cli->store);
                free(abs);
                if (r < 0) {
                        log_error("--store must be an absolute path or an existing directory: %s", cli->store);
                        return r;
                }
        }
        for (size_t i = 0; i < cli->n_sets; i++) {
                char key[64];
                const char *eq = strchr(cli->sets[i], '=');
                snprintf(key, sizeof(key), "%.*s", (int)(eq - cli->sets[i]), cli->sets[i]);
                int r = config_set(cfg, key, eq + 1);
                if (r < 0) {
                        log_error("bad setting %s", cli->sets[i]);
                        return r;
                }
        }
        return 0;
}

/* The handler runs with whatever fds the kernel gave it: make 0-2 valid so
 * that no file we open lands on them by accident. */
static void sanitize_fds(void)
{
        for (int fd = 0; fd < 3; fd++)
                if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
                        int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
                        if (n >= 0 && n != fd) {
                                dup2(n, fd);
                                close(n);
                        }
                }
}

/* 9 arguments (%P %i %s %t %u %g %d %F %e, patterns of earlier installs) or
 * 10 with %c, the process's RLIMIT_CORE, before %e. */
static int parse_capture_args(char **args, int n, struct capture_args *a)
{
        if (n != 9 && n != 10) {
                log_error("capture needs 10 arguments (%%P %%i %%s %%t %%u %%g %%d %%F %%c %%e), got %d", n);
                return -EINVAL;
        }
        int pid, tid, sig, uid, gid, dm;
        uint64_t t, limit = UINT64_MAX;
        if (parse_int(args[0], &pid) < 0 || pid <= 0 || parse_int(args[1], &tid) < 0 ||
            parse_int(args[2], &sig) < 0 || parse_u64(args[3], &t) < 0 || parse_int(args[4], &uid) < 0 ||
            parse_int(args[5], &gid) < 0 || parse_int(args[6], &dm) < 0 ||
            (n == 10 && parse_u64(args[8], &limit) < 0)) {
                log_error("capture: bad numeric argument");
                return -EINVAL;
        }
        int pidfd = -1;
        if (parse_int(args[7], &pidfd) < 0 || pidfd < 0)
                pidfd = -1; /* "-" or an old kernel that left %F empty */
        *a = (struct capture_args){ .pid = pid, .tid = tid, .signo = sig, .time = (int64_t)t,
                                    .uid = (uid_t)uid, .gid = (gid_t)gid, .dump_mode = dm,
                                    .pidfd = pidfd, .core_limit = limit, .comm = args[n - 1] };
        return 0;
}

int main(int argc, char **argv)
{
        log_set_program("corecollect");
        if (argc < 2) {
                usage(stderr);
                return EXIT_USAGE;
        }
        const char *cmd = argv[1];
        if (strcmp(cmd, "--version") == 0) {
                printf("corecollect " PROJECT_VERSION "\n");
                return 0;
        }
        if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
                usage(stdout);
                return 0;
        }
        if (strcmp(cmd, "list") == 0) /* its own options (list.c, shared with coreinspect list) */
                return list_main(argc, argv, "corecollect");
        struct cli cli = { .config_path = CONFIG_DEFAULT_PATH };
        if (strcmp(cmd, "capture") == 0)
                sanitize_fds();
        if (parse_opts(argc - 1, argv + 1, &cli) < 0) {
                usage(stderr);
                return EXIT_USAGE;
        }
        char **rest = argv + 1 + optind;
        int n_rest = argc - 1 - optind;

        struct config cfg;
        config_defaults(&cfg);
        int rc;
        if (strcmp(cmd, "capture") == 0) {
                umask(077);
                if (!isatty(STDERR_FILENO))
                        log_set_kmsg(true);
                struct capture_args a;
                if (parse_capture_args(rest, n_rest, &a) < 0) {
                        rc = EXIT_USAGE;
                        goto out;
                }
                struct stat st;
                if ((cli.config_given || stat(cli.config_path, &st) == 0) &&
                    config_load(&cfg, cli.config_path) < 0) {
                        rc = CAPTURE_FAILED;
                        goto out;
                }
                if (apply_cli(&cfg, &cli) < 0) {
                        rc = EXIT_USAGE;
                        goto out;
                }
                a.input_fd = STDIN_FILENO;
                char *path = NULL;
                bool truncated = false;
                int r = capture_run(&cfg, &a, &path, &truncated);
                rc = capture_exit_code(r, truncated);
                if (path && isatty(STDERR_FILENO))
                        fprintf(stderr, "%s\n", path);
                free(path);
        } else if (strcmp(cmd, "install") == 0) {
                if (n_rest != 0 || apply_cli(&cfg, &cli) < 0) {
                        usage(stderr);
                        rc = EXIT_USAGE;
                        goto out;
                }
                rc = install_run(&cfg, cli.config_path, "/proc/sys/kernel");
        } else if (strcmp(cmd, "uninstall") == 0) {
                if (n_rest != 0) {
                        usage(stderr);
                        rc = EXIT_USAGE;
                        goto out;
                }
                rc = uninstall_run("/proc/sys/kernel");
        } else if (strcmp(cmd, "oom-watch") == 0) {
                struct stat st;
                if (n_rest != 0 || ((cli.config_given || stat(cli.config_path, &st) == 0) &&
                                    config_load(&cfg, cli.config_path) < 0) ||
                    apply_cli(&cfg, &cli) < 0) {
                        usage(stderr);
                        rc = EXIT_USAGE;
                        goto out;
                }
                struct oomwatch_options oo = { cli.kmsg ? cli.kmsg : "/dev/kmsg", cli.once, cli.timeout_s * 1000 };
                int r = oomwatch_run(&cfg, &oo);
                rc = r == 0 ? 0 : r == -ETIME ? 3 : 1;
        } else {
                log_error("unknown command '%s'", cmd);
                usage(stderr);
                rc = EXIT_USAGE;
        }
out:
        config_free(&cfg);
        return rc;
}
