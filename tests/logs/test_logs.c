/* Test driver for corecollect's log collectors: runs one collector against a
 * real source and prints what it appended, so the shell tests beside it can
 * check the text.
 *
 *   test_logs kmsg PATH MAX_LINES
 *   test_logs journal DIR|- PID SECONDS MAX_LINES     ("-": local journal)
 *
 * Exit codes: 0 the collector returned ≥ 0 (its output is on stdout);
 * 1 it returned -errno (printed on stderr as "error: -N (strerror)", with
 * whatever it appended still on stdout); 64 usage. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "io.h"
#include "logs.h"
#include "util.h"

static int usage(void)
{
        fprintf(stderr, "usage: test_logs kmsg PATH MAX_LINES\n"
                        "       test_logs journal DIR|- PID SECONDS MAX_LINES\n");
        return 64;
}

static int run(int argc, char **argv)
{
        struct strbuf out;
        uint64_t max_lines, seconds;
        int pid, r;

        strbuf_init(&out);
        if (argc == 4 && strcmp(argv[1], "kmsg") == 0) {
                if (parse_u64(argv[3], &max_lines) < 0)
                        return usage();
                r = kmsg_collect(argv[2], (size_t)max_lines, &out);
        } else if (argc == 6 && strcmp(argv[1], "journal") == 0) {
                if (parse_int(argv[3], &pid) < 0 || parse_u64(argv[4], &seconds) < 0 ||
                    parse_u64(argv[5], &max_lines) < 0)
                        return usage();
                const char *dir = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
                r = journal_collect(dir, (pid_t)pid, seconds, (size_t)max_lines, &out);
        } else
                return usage();

        if (out.len > 0 && write_full(STDOUT_FILENO, out.data, out.len) < 0) {
                strbuf_free(&out);
                return 1;
        }
        strbuf_free(&out);
        if (r < 0) {
                fprintf(stderr, "error: %d (%s)\n", r, strerror(-r));
                return 1;
        }
        return 0;
}

int main(int argc, char **argv) { return run(argc, argv); }
