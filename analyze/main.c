/* coreinspect: where and why a program crashed, from a bundle or a core.
 * main() parses arguments; analyze.c does the work, report.c prints it. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "escape.h"
#include "fleet.h"
#include "index.h"
#include "list.h"
#include "report.h"
#include "sarif.h"
#include "util.h"
#include "verbs.h"
#include "version.h"

/* Exit codes of index, trends and expire (docs/coreinspect.1), besides 0
 * and EXIT_USAGE: the fleet library returns -errno and a count of bundles
 * not indexed. */
enum {
        EXIT_FLEET_SOME_FAILED = 1, /* index: some bundles could not be analyzed (listed) */
        EXIT_FLEET_DB_ERROR = 2,    /* the database cannot be opened, created, read or written */
};

static void usage(FILE *f)
{
        fprintf(f,
                "Usage: coreinspect [OPTIONS] BUNDLE|CORE\n"
                "       coreinspect --version\n"
                "       coreinspect VERB --help\n"
                "       coreinspect index [--db PATH] [--debug-dir DIR]... [--max-memory SIZE]\n"
                "                         [--timeout DURATION] [--retry-failed] BUNDLE|DIR...\n"
                "       coreinspect gdb [--debug-dir DIR]... BUNDLE [-- GDB-ARGS...]\n"
                "       coreinspect dump [-o FILE] BUNDLE|CORE [MEMBER]\n"
                "       coreinspect list [FILTERS] [--json] [STORE...]   (coreinspect list --help)\n"
                "       coreinspect remove BUNDLE...\n"
                "       coreinspect trends [--db PATH] [--window DURATION] [--now EPOCH]\n"
                "                          [--host HOST] [--exe EXE] [--class CLASS]\n"
                "                          [--limit N] [--json] [--signature SIG] [--html FILE]\n"
                "                          [--by version]\n"
                "       coreinspect expire [--db PATH] --older-than DURATION\n"
                "                          [--rollups-older-than DURATION] [--now EPOCH]\n"
                "\n"
                "Prints every thread's stack, crashing thread first, from a corecollect\n"
                "bundle, a raw ELF core (with --exe) or a systemd-coredump core.*.zst. The\n"
                "kind of input is detected from its content.\n"
                "\n"
                "  --json                 JSON report (docs/json-schema.md)\n"
                "  --sarif                SARIF 2.1.0 for CI: one result, rule = class, location\n"
                "                         = crash frame's file:line, related = other frames\n"
                "  --exe PATH             the executable of a raw core\n"
                "  --debug-dir DIR        look for debug info under DIR (.build-id tree or\n"
                "                         debuglink); repeatable; also COREINSPECT_DEBUG_DIRS\n"
                "  --source-dir DIR       look for the crash frame's source file under DIR\n"
                "                         (its DWARF path appended, then its file name);\n"
                "                         repeatable; then the DWARF path itself, then\n"
                "                         debuginfod; the crash frame shows its line with\n"
                "                         two lines around it\n"
                "  --unwinder=NAME        libdwfl (default), libunwind, or both (compare)\n"
                "  --max-frames N         per thread (default 256)\n"
                "  --max-threads N        threads unwound fully (default 4096); the others\n"
                "                         show where they were (frame #0) only\n"
                "  --max-zstd SIZE        largest non-seekable zstd core to decompress (default 4G;\n"
                "                         in memory up to half of ulimit -v, then in $TMPDIR or\n"
                "                         /var/tmp)\n"
                "  -v, --verbose          debug messages\n"
                "  -h, --help             this text\n"
                "\n"
                "Debug info lookup order: the bundle's files/, the same path on this machine\n"
                "when the build-id matches, /usr/lib/debug/.build-id, --debug-dir and\n"
                "COREINSPECT_DEBUG_DIRS, then debuginfod when DEBUGINFOD_URLS is set.\n"
                "\n"
                "index adds bundles (a directory: its *.zst) to a database of crashes by\n"
                "signature; trends prints the signatures, most crashes in the last window\n"
                "(default 7d) first, against the window before. --db: an SQLite file or a\n"
                "PostgreSQL connection string (postgresql://...); else COREINSPECT_DB, else\n"
                "~/.local/share/coreinspect/index.sqlite (docs/fleet.md). index analyzes\n"
                "each bundle in a child process of at most --max-memory more address space\n"
                "(default 4G) and --timeout (default 5m); one that fails is recorded with\n"
                "why and not tried again by this version of coreinspect (--retry-failed).\n"
                "\n"
                "Exit codes:\n"
                "  0   report printed\n"
                "  1   partial report: some thread could not be unwound fully, or the\n"
                "      core is truncated\n"
                "  2   bad input (one line on stderr says what is wrong)\n"
                "  3   too large for the limits: the input needs more memory than ulimit -v\n"
                "      allows, or is past --max-zstd (one line on stderr)\n"
                "  64  usage error\n"
                "  index: 0 all indexed, 1 some bundles not indexed (listed), 2 database\n"
                "  unusable; trends: 0, 2 database unusable or missing\n");
}

/* `coreinspect index --help`, `coreinspect trends --help`: that verb only. */
static void fleet_usage(FILE *f, bool is_index)
{
        if (is_index)
                fprintf(f, "Usage: coreinspect index [--db PATH] [--debug-dir DIR]... [--max-memory SIZE]\n"
                           "                         [--timeout DURATION] [--retry-failed] BUNDLE|DIR...\n"
                           "\n"
                           "Adds bundles (a directory: its *.zst) to a database of crashes by signature:\n"
                           "--db an SQLite file or postgresql://..., else COREINSPECT_DB, else\n"
                           "~/.local/share/coreinspect/index.sqlite (docs/fleet.md). Each bundle is\n"
                           "analyzed in a child process of at most --max-memory more address space\n"
                           "(default 4G) and --timeout (default 5m); one that fails is recorded with\n"
                           "why and not tried again by this version (--retry-failed).\n"
                           "Exit codes: 0 all indexed, 1 some bundles not indexed (listed), 2 database\n"
                           "unusable, 64 usage.\n");
        else
                fprintf(f, "Usage: coreinspect trends [--db PATH] [--window DURATION] [--now EPOCH]\n"
                           "                          [--host HOST] [--exe EXE] [--class CLASS]\n"
                           "                          [--limit N] [--json] [--signature SIG]\n"
                           "                          [--html FILE] [--by version]\n"
                           "\n"
                           "The signatures with the most crashes in the last window (default 7d)\n"
                           "first, against the window before: new, rising or fading (docs/fleet.md).\n"
                           "Exit codes: 0, 2 database unusable or missing, 64 usage.\n");
}

/* "7d", "24h", "90m", "3600s" or seconds. */
static int parse_duration(const char *s, uint64_t *ret)
{
        char *end;
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        if (errno || end == s || v == 0)
                return -EINVAL;
        uint64_t mul = 1;
        if (*end == 'd')
                mul = 86400;
        else if (*end == 'h')
                mul = 3600;
        else if (*end == 'm')
                mul = 60;
        else if (*end == 'w')
                mul = 7 * 86400;
        else if (*end != 's' && *end != '\0')
                return -EINVAL;
        if (*end && end[1])
                return -EINVAL;
        if (v > UINT64_MAX / mul)
                return -ERANGE;
        *ret = v * mul;
        return 0;
}

/* What coreinspect analyzes with when no option says otherwise. */
static struct analyze_options default_options(void)
{
        return (struct analyze_options){
                .unwind = { .unwinder = UNWINDER_DWFL, .max_frames = 256, .max_threads = 4096 },
                .max_zstd = 4ULL << 30,
        };
}

/* coreinspect index|trends ... */
static int fleet_main(int argc, char **argv)
{
        bool is_index = strcmp(argv[1], "index") == 0;
        bool is_expire = strcmp(argv[1], "expire") == 0;
        struct expire_options ex = { .rollups_older_than_s = 400 * 86400 };
        static const struct option opts[] = {
                { "db", required_argument, NULL, 'D' },
                { "debug-dir", required_argument, NULL, 'd' },
                { "window", required_argument, NULL, 'w' },
                { "now", required_argument, NULL, 'n' },
                { "limit", required_argument, NULL, 'l' },
                { "json", no_argument, NULL, 'j' },
                { "host", required_argument, NULL, 'H' },
                { "exe", required_argument, NULL, 'e' },
                { "class", required_argument, NULL, 'c' },
                { "max-memory", required_argument, NULL, 'M' },
                { "timeout", required_argument, NULL, 'T' },
                { "retry-failed", no_argument, NULL, 'R' },
                { "signature", required_argument, NULL, 'S' },
                { "html", required_argument, NULL, 'X' },
                { "by", required_argument, NULL, 'B' },
                { "older-than", required_argument, NULL, 'O' },
                { "rollups-older-than", required_argument, NULL, 'P' },
                { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        struct analyze_options o = default_options();
        struct trends_options t = { .window_s = 7 * 86400, .limit = 20 };
        struct index_options io = { .max_memory = 4ULL << 30, .timeout_s = 300 };
        const char *dirs[64];
        size_t n_dirs = 0;
        const char *db = NULL;
        int c;
        optind = 2;
        while ((c = getopt_long(argc, argv, "vh", opts, NULL)) >= 0) {
                uint64_t v;
                switch (c) {
                case 'D':
                        db = optarg;
                        break;
                case 'd':
                        if (!is_index || n_dirs == ELEMENTSOF(dirs))
                                goto usage;
                        dirs[n_dirs++] = optarg;
                        break;
                case 'w':
                        if (is_index || parse_duration(optarg, &t.window_s) < 0) {
                                log_error("--window needs a duration such as 7d, 24h or 3600");
                                return EXIT_USAGE;
                        }
                        break;
                case 'n':
                        if (is_index || parse_u64(optarg, &v) < 0 || v == 0 || v > INT64_MAX) {
                                log_error("--now needs seconds since the epoch");
                                return EXIT_USAGE;
                        }
                        t.now = (int64_t)v;
                        ex.now = (int64_t)v; /* expire: the cut is --older-than before it */
                        break;
                case 'l':
                        if (is_index || parse_u64(optarg, &v) < 0 || v == 0 || v > 1000000) {
                                log_error("--limit needs a number from 1 to 1000000");
                                return EXIT_USAGE;
                        }
                        t.limit = (size_t)v;
                        break;
                case 'j':
                        if (is_index)
                                goto usage;
                        t.json = true;
                        break;
                case 'H':
                case 'e':
                case 'c':
                        if (is_index)
                                goto usage;
                        *(c == 'H' ? &t.host : c == 'e' ? &t.exe : &t.class_id) = optarg;
                        break;
                case 'M':
                        if (!is_index || parse_size(optarg, &io.max_memory) < 0 || io.max_memory < (16 << 20)) {
                                log_error("--max-memory needs a size of at least 16M, such as 4G");
                                return EXIT_USAGE;
                        }
                        break;
                case 'T':
                        if (!is_index || parse_duration(optarg, &io.timeout_s) < 0 || io.timeout_s > 7 * 86400) {
                                log_error("--timeout needs a duration up to 7d, such as 5m or 300");
                                return EXIT_USAGE;
                        }
                        break;
                case 'R':
                        if (!is_index)
                                goto usage;
                        io.retry_failed = true;
                        break;
                case 'S':
                        if (is_index || is_expire)
                                goto usage;
                        t.signature = optarg;
                        break;
                case 'X':
                        if (is_index || is_expire)
                                goto usage;
                        t.html = optarg;
                        break;
                case 'B':
                        if (is_index || is_expire || strcmp(optarg, "version") != 0) {
                                log_error("--by needs 'version'");
                                return EXIT_USAGE;
                        }
                        t.by_version = true;
                        break;
                case 'O':
                case 'P':
                        if (!is_expire || parse_duration(optarg, c == 'O' ? &ex.older_than_s : &ex.rollups_older_than_s) < 0 ||
                            (c == 'O' ? ex.older_than_s : ex.rollups_older_than_s) == 0) {
                                log_error("--older-than and --rollups-older-than need a duration such as 90d");
                                return EXIT_USAGE;
                        }
                        break;
                case 'v':
                        log_set_level(LOGL_DEBUG);
                        io.verbose = true;
                        break;
                case 'h':
                        fleet_usage(stdout, is_index);
                        return 0;
                default:
                        goto usage;
                }
        }
        if (is_index ? optind >= argc : optind != argc)
                goto usage;
        if (is_expire && !ex.older_than_s)
                goto usage;
        char *def = db ? NULL : fleet_default_db();
        if (!db && !def) {
                log_error("out of memory");
                return EXIT_FLEET_DB_ERROR;
        }
        int r;
        size_t failed = 0;
        if (is_expire)
                r = fleet_expire(db ? db : def, &ex);
        else if (is_index) {
                o.debug_dirs = dirs;
                o.n_debug_dirs = n_dirs;
                r = fleet_index(db ? db : def, argv + optind, (size_t)(argc - optind), &o, &io, &failed);
        } else
                r = fleet_trends(db ? db : def, &t);
        free(def);
        if (fflush(stdout) != 0) {
                log_error("cannot write the output: %m");
                r = -EIO;
        }
        return r < 0 ? EXIT_FLEET_DB_ERROR : failed > 0 ? EXIT_FLEET_SOME_FAILED : 0;
usage:
        fleet_usage(stderr, is_index);
        return EXIT_USAGE;
}

bool option_dir_add(const char **dirs, size_t *n, size_t max, const char *dir, const char *option)
{
        if (*n == max) {
                log_error("too many %s", option);
                return false;
        }
        dirs[(*n)++] = dir;
        return true;
}

int main(int argc, char **argv)
{
        log_set_program("coreinspect");
        if (argc == 2 && strcmp(argv[1], "--version") == 0) {
                printf("coreinspect " PROJECT_VERSION " (%s)\n", ANALYZER_VERSION);
                return 0;
        }
        if (argc > 1 && (strcmp(argv[1], "index") == 0 || strcmp(argv[1], "trends") == 0 ||
                         strcmp(argv[1], "expire") == 0))
                return fleet_main(argc, argv);
        /* the on-call verbs (verbs.h), each in its own file */
        if (argc > 1 && strcmp(argv[1], "gdb") == 0)
                return gdb_main(argc, argv);
        if (argc > 1 && strcmp(argv[1], "dump") == 0)
                return dump_main(argc, argv);
        if (argc > 1 && strcmp(argv[1], "list") == 0)
                return list_main(argc, argv, "coreinspect");
        if (argc > 1 && strcmp(argv[1], "remove") == 0)
                return remove_main(argc, argv);
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "sarif", no_argument, NULL, 'S' },
                { "exe", required_argument, NULL, 'e' },
                { "debug-dir", required_argument, NULL, 'd' },
                { "source-dir", required_argument, NULL, 's' },
                { "unwinder", required_argument, NULL, 'u' },
                { "max-frames", required_argument, NULL, 'm' },
                { "max-threads", required_argument, NULL, 'T' },
                { "max-zstd", required_argument, NULL, 'z' },
                { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        struct analyze_options o = default_options();
        o.hints = true; /* the report shows them (index does not) */
        const char *dirs[64], *sdirs[64];
        size_t n_dirs = 0, n_sdirs = 0;
        bool json = false, sarif = false;
        int c;
        while ((c = getopt_long(argc, argv, "vh", opts, NULL)) >= 0) {
                switch (c) {
                case 'j':
                        json = true;
                        break;
                case 'S':
                        sarif = true;
                        break;
                case 'e':
                        o.exe = optarg;
                        break;
                case 'd':
                        if (!option_dir_add(dirs, &n_dirs, ELEMENTSOF(dirs), optarg, "--debug-dir"))
                                return EXIT_USAGE;
                        break;
                case 's':
                        if (!option_dir_add(sdirs, &n_sdirs, ELEMENTSOF(sdirs), optarg, "--source-dir"))
                                return EXIT_USAGE;
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
                case 'T': {
                        uint64_t v;
                        if (parse_u64(optarg, &v) < 0 || v == 0 || v > 10000000) {
                                log_error("--max-threads needs a number from 1 to 10000000");
                                return EXIT_USAGE;
                        }
                        o.unwind.max_threads = (size_t)v;
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
        o.source_dirs = sdirs;
        o.n_source_dirs = n_sdirs;
        struct report r;
        const char *why = NULL;
        int e = analyze_path(argv[optind], &o, &r, &why);
        int rc = analyze_exit_code(e, &r);
        if (e < 0) {
                log_error("%s: %s", argv[optind], why);
                return rc;
        }
        verdict_cache_store(argv[optind], &r);
        if (sarif)
                report_print_sarif(&r, stdout);
        else if (json)
                report_print_json(&r, stdout);
        else
                report_print_text(&r, stdout);
        report_free(&r);
        text_safe_release();
        if (fflush(stdout) != 0) {
                log_error("cannot write the report: %m");
                return EXIT_BAD_INPUT;
        }
        return rc;
}
