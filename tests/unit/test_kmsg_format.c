/* The kernel log lines captured next to a core (corecollect/kmsg.c): one
 * /dev/kmsg record as the line kmsg_collect prints. The record's text is
 * the kernel's (it escapes '\' and unprintable bytes as \xNN itself), so
 * '\' stays as it is and every other byte that is not printable ASCII
 * becomes \xNN; continuation (dictionary) lines are left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "logs.h"

static void expect_record(const char *rec, size_t len, const char *want)
{
        char *line = NULL;
        assert_int_equal(kmsg_format_record(rec, len, &line), 0);
        assert_string_equal(line, want);
        free(line);
}

static void test_kmsg_format_record(void **state)
{
        (void)state;
        expect_record("6,1,12345678,-;hello\n", 21, "[   12.345678] hello\n");
        /* the kernel's own escape kept, the bytes it would have escaped
         * escaped here, the dictionary line dropped */
        static const char rec[] = "4,77,5,c;a\\x5cb\x1b[2J\x7f\xc3\xa9\t\n SUBSYSTEM=usb\n";
        expect_record(rec, sizeof(rec) - 1, "[    0.000005] a\\x5cb\\x1b[2J\\x7f\\xc3\\xa9\\x09\n");
        /* a record without a newline, with a NUL in its text */
        static const char nul[] = "6,2,1000000,-;x\0y";
        expect_record(nul, sizeof(nul) - 1, "[    1.000000] x\\x00y\n");

        char *line = NULL;
        assert_int_equal(kmsg_format_record("no header", 9, &line), -EBADMSG);
        assert_null(line);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_kmsg_format_record),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
