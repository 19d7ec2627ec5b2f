/* coreinspect: where and why a program crashed, from a bundle or a core.
 * main() parses arguments; analyze.c does the work, report.c prints it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "report.h"
#include "util.h"

static void usage(FILE *f)
{
        fprintf(f,
                "Usage: coreinspect [OPTIONS] BUNDLE|CORE\n"
                "\n"
                "Prints every thread's stack, crashing thread first, from a corecollect\n"
                "bundle, a raw ELF core (with --exe) or a systemd-coredump core.*.zst. The\n"
                "kind of input is detected from its content.\n"
                "\n"
                "  --json                 JSON report (docs/json-schema.md)\n"
                "  --exe PATH             the executable of a raw core\n"
                "  --debug-dir DIR        look for debug info under DIR (.build-id tree or\n"
                "                         debuglink); repeatable; also COREINSPECT_DEBUG_DIRS\n"
                "  --unwinder=NAME        libdwfl (default), libunwind, or both (compare)\n"
                "  --max-frames N         per thread (default 256)\n"
                "  --max-zstd SIZE        largest non-seekable zstd core to decompress (default 4G)\n"
                "  -v, --verbose          debug messages\n"
                "  -h, --help             this text\n"
                "\n"
                "Debug info lookup order: the bundle's files/, the same path on this machine\n"
                "when the build-id matches, /usr/lib/debug/.build-id, --debug-dir and\n"
                "COREINSPECT_DEBUG_DIRS, then debuginfod when DEBUGINFOD_URLS is set.\n"
                "\n"
                "Exit codes:\n"
                "  0   report printed\n"
                "  1   partial report: some thread could not be unwound fully, or the\n"
                "      core is truncated\n"
                "  2   bad input (one line on stderr says what is wrong)\n"
                "  64  usage error\n");
}

int main(int argc, char **argv)
{
        log_set_program("coreinspect");
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "exe", required_argument, NULL, 'e' },
                { "debug-dir", required_argument, NULL, 'd' },
                { "unwinder", required_argument, NULL, 'u' },
                { "max-frames", required_argument, NULL, 'm' },
                { "max-zstd", required_argument, NULL, 'z' },
                { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        struct analyze_options o = {
                .unwind = { .unwinder = UNWINDER_DWFL, .max_frames = 256 },
                .max_zstd = 4ULL << 30,
        };
        const char *dirs[64];
        size_t n_dirs = 0;
        bool json = false;
        int c;
        while ((c = getopt_long(argc, argv, "vh", opts, NULL)) >= 0) {
                switch (c) {
                case 'j':
                        json = true;
                        break;
                case 'e':
                        o.exe = optarg;
                        break;
                case 'd':
                        if (n_dirs == ELEMENTSOF(dirs)) {
                                log_error("too many --debug-dir");
                                return EXIT_USAGE;
                        }
                        dirs[n_dirs++] = optarg;
                        break;
                case 'u':
                        if (strcmp(optarg, "libdwfl") == 0)
                                o.unwind.unwinder = UNWINDER_DWFL;
                        else if (strcmp(optarg, "libunwind") == 0)
                                o.unwind.unwinder = UNWINDER_LIBUNWIND;
                        else if (strcmp(optarg, "both") == 0)
                                o.unwind.unwinder = UNWINDER_BOTH;
                        else {
                                log_error("--unwinder must be libdwfl, libunwind or both");
                                return EXIT_USAGE;
                        }
                        break;
                case 'm': {
                        uint64_t v;
                        if (parse_u64(optarg, &v) < 0 || v == 0 || v > 100000) {
                                log_error("--max-frames needs a number from 1 to 100000");
                                return EXIT_USAGE;
                        }
                        o.unwind.max_frames = (unsigned)v;
                        break;
                }
                case 'z':
                        if (parse_size(optarg, &o.max_zstd) < 0) {
                                log_error("--max-zstd needs a size such as 4G");
                                return EXIT_USAGE;
                        }
                        break;
                case 'v':
                        log_set_level(LOGL_DEBUG);
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (optind != argc - 1) {
                usage(stderr);
                return EXIT_USAGE;
        }
        o.debug_dirs = dirs;
        o.n_debug_dirs = n_dirs;
        struct report r;
        int rc = analyze_path(argv[optind], &o, &r);
        if (rc == EXIT_BAD_INPUT)
                return rc;
        if (json)
                report_print_json(&r, stdout);
        else
                report_print_text(&r, stdout);
        report_free(&r);
        if (fflush(stdout) != 0) {
                log_error("cannot write the report: %m");
                return EXIT_BAD_INPUT;
        }
        return rc;
}
