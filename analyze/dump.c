/* coreinspect dump BUNDLE [-o FILE] [MEMBER]: the core (or another member)
 * out of a bundle, like `coredumpctl dump`. To a file the core is sparse:
 * its zero pages take no disk. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "extract.h"
#include "util.h"
#include "verbs.h"

static void dump_usage(FILE *f)
{
        fprintf(f, "Usage: coreinspect dump [-o FILE] BUNDLE|CORE [MEMBER]\n"
                   "\n"
                   "Writes the core of BUNDLE (a bundle, a raw core or a systemd-coredump\n"
                   "core.*.zst), or the bundle's MEMBER (meta.json, proc/maps, files/BUILD-ID,\n"
                   "...; `tar --zstd -tf BUNDLE` lists them) to FILE or to standard output,\n"
                   "which must not be a terminal. A core written to a file is sparse.\n"
                   "\n"
                   "  -o, --output FILE   write to FILE (created mode 0600, replaced if present)\n"
                   "  -h, --help          this text\n"
                   "\n"
                   "Exit codes: 0 written, 2 bad input, no such member, or the output cannot\n"
                   "be written (one line on stderr), 3 too large for the limits, 64 usage.\n");
}

static void on_signal(int sig)
{
        extract_interrupted = 1;
}

int dump_main(int argc, char **argv)
{
        static const struct option opts[] = {
                { "output", required_argument, NULL, 'o' },
                { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        const char *output = NULL;
        int c;
        optind = 2;
        while ((c = getopt_long(argc, argv, "o:vh", opts, NULL)) >= 0) {
                switch (c) {
                case 'o':
                        output = optarg;
                        break;
                case 'v':
                        log_set_level(LOGL_DEBUG);
                        break;
                case 'h':
                        dump_usage(stdout);
                        return 0;
                default:
                        dump_usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (optind >= argc || argc - optind > 2) {
                dump_usage(stderr);
                return EXIT_USAGE;
        }
        const char *path = argv[optind], *member = argc - optind == 2 ? argv[optind + 1] : "core";
        if (!output && isatty(STDOUT_FILENO)) {
                log_error("refusing to write binary data to a terminal: use -o FILE or a redirection");
                return EXIT_USAGE;
        }
        struct input *in = NULL;
        int r = extract_open_input(path, &in);
        if (r != 0)
                return r;
        bool core = strcmp(member, "core") == 0;
        if (core && !in->has_core) {
                log_error("%s: holds no core (an OOM kill, or RLIMIT_CORE allowed none)", path);
                input_free(in);
                return EXIT_BAD_INPUT;
        }
        if (!core && in->kind != INPUT_BUNDLE) {
                log_error("%s: a %s has no member %s, only a core", path, input_kind_name(in->kind), member);
                input_free(in);
                return EXIT_BAD_INPUT;
        }
        struct sigaction sa = { .sa_handler = on_signal };
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        int fd = STDOUT_FILENO;
        if (output) {
                fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
                if (fd < 0) {
                        log_error("cannot create %s: %m", output);
                        input_free(in);
                        return EXIT_BAD_INPUT;
                }
        }
        r = core ? extract_core(in, fd, true) : extract_member(in, member, fd, true);
        input_free(in);
        if (output && close(fd) < 0 && r >= 0)
                r = -errno;
        if (r < 0) {
                if (r == -ENOENT)
                        log_error("%s: no member %s (tar --zstd -tf lists them)", path, member);
                else if (r == -EINTR)
                        log_error("interrupted");
                else
                        log_error("cannot write %s: %s", output ? output : "the output", strerror(-r));
                if (output)
                        unlink(output);
                return r == -EFBIG ? EXIT_TOO_LARGE : EXIT_BAD_INPUT;
        }
        return 0;
}
