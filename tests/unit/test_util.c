/* Number parsing and the I/O helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "io.h"
#include "util.h"

#define UNTOUCHED 0x5a5a5a5a5a5a5a5aULL

/* lower and upper bounds in a sorted array of records, by a uint64_t field */
static void test_sorted_count(void **state)
{
        struct rec {
                uint32_t pad;
                uint64_t key;
        } v[] = { { 0, 10 }, { 0, 20 }, { 0, 20 }, { 0, 30 } };
        assert_int_equal(SORTED_COUNT(v, 4, key, 5, false), 0);
        assert_int_equal(SORTED_COUNT(v, 4, key, 20, false), 1);
        assert_int_equal(SORTED_COUNT(v, 4, key, 20, true), 3);
        assert_int_equal(SORTED_COUNT(v, 4, key, 25, true), 3);
        assert_int_equal(SORTED_COUNT(v, 4, key, 30, true), 4);
        assert_int_equal(SORTED_COUNT(v, 4, key, UINT64_MAX, false), 4);
        assert_int_equal(SORTED_COUNT(v, 0, key, 20, true), 0);
}

static void u64_ok(const char *s, uint64_t want)
{
        uint64_t v = UNTOUCHED;
        int r = parse_u64(s, &v);
        if (r != 0 || v != want)
                fail_msg("parse_u64(\"%s\") = %d, %llu", s, r, (unsigned long long)v);
}

static void u64_bad(const char *s, int err)
{
        uint64_t v = UNTOUCHED;
        int r = parse_u64(s, &v);
        if (r != err)
                fail_msg("parse_u64(\"%s\") = %d, want %d", s ? s : "(null)", r, err);
        assert_true(v == UNTOUCHED); /* not written on failure */
}

static void test_parse_u64(void **state)
{
        u64_ok("0", 0);
        u64_ok("1", 1);
        u64_ok("4096", 4096);
        u64_ok("18446744073709551615", UINT64_MAX);
        u64_ok("0x10", 16);
        u64_ok("0XfF", 255);
        u64_ok("0xffffffffffffffff", UINT64_MAX);
        /* decimal, not octal, despite the leading zero */
        u64_ok("010", 10);
        u64_ok("0009", 9);

        u64_bad("18446744073709551616", -ERANGE);
        u64_bad("99999999999999999999999", -ERANGE);
        u64_bad("0x10000000000000000", -ERANGE);
        u64_bad(NULL, -EINVAL);
        u64_bad("", -EINVAL);
        u64_bad("-1", -EINVAL);
        u64_bad("+1", -EINVAL);
        u64_bad(" 1", -EINVAL);
        u64_bad("\t1", -EINVAL);
        u64_bad("\n1", -EINVAL);
        u64_bad("1 ", -EINVAL);
        u64_bad("1x", -EINVAL);
        u64_bad("abc", -EINVAL);
        u64_bad("0x", -EINVAL);
        u64_bad("0x-1", -EINVAL);
        u64_bad("0x 1", -EINVAL);
        u64_bad("0xg", -EINVAL);
        u64_bad("0x0x10", -EINVAL);
        u64_bad("0X0X10", -EINVAL);
        u64_bad("1.5", -EINVAL);
        u64_bad("1e3", -EINVAL);
}

static void size_ok(const char *s, uint64_t want)
{
        uint64_t v = UNTOUCHED;
        int r = parse_size(s, &v);
        if (r != 0 || v != want)
                fail_msg("parse_size(\"%s\") = %d, %llu", s, r, (unsigned long long)v);
}

static void size_bad(const char *s, int err)
{
        uint64_t v = UNTOUCHED;
        int r = parse_size(s, &v);
        if (r != err)
                fail_msg("parse_size(\"%s\") = %d, want %d", s ? s : "(null)", r, err);
        assert_true(v == UNTOUCHED);
}

static void test_parse_size(void **state)
{
        size_ok("0", 0);
        size_ok("512", 512);
        size_ok("64K", 64 << 10);
        size_ok("64k", 64 << 10);
        size_ok("256M", 256ULL << 20);
        size_ok("2G", 2ULL << 30);
        size_ok("2g", 2ULL << 30);
        size_ok("1T", 1ULL << 40);
        size_ok("0K", 0);
        size_ok("0x10K", 16 << 10);
        size_ok("010M", 10ULL << 20);
        size_ok("16777215T", 16777215ULL << 40);
        size_ok("18446744073709551615", UINT64_MAX);

        size_bad("16777216T", -ERANGE); /* 2^64 */
        size_bad("17179869184G", -ERANGE);
        size_bad("18446744073709551616", -ERANGE);
        size_bad(NULL, -EINVAL);
        size_bad("", -EINVAL);
        size_bad("K", -EINVAL);
        size_bad("1KB", -EINVAL);
        size_bad("1KK", -EINVAL);
        size_bad("1 K", -EINVAL);
        size_bad("-1K", -EINVAL);
        size_bad("1P", -EINVAL);
        size_bad("1.5G", -EINVAL);
        /* longer than any number: refused, not truncated */
        size_bad("00000000000000000000000000000000000000000000000000000000000000001", -EINVAL);
}

static void test_parse_int(void **state)
{
        int v = 77;
        assert_int_equal(parse_int("0", &v), 0);
        assert_int_equal(v, 0);
        assert_int_equal(parse_int("-5", &v), 0);
        assert_int_equal(v, -5);
        assert_int_equal(parse_int("2147483647", &v), 0);
        assert_int_equal(v, INT32_MAX);
        assert_int_equal(parse_int("-2147483648", &v), 0);
        assert_int_equal(v, INT32_MIN);
        v = 77;
        assert_int_equal(parse_int("2147483648", &v), -ERANGE);
        assert_int_equal(parse_int("-2147483649", &v), -ERANGE);
        assert_int_equal(parse_int("99999999999999999999", &v), -ERANGE);
        assert_int_equal(parse_int("", &v), -EINVAL);
        assert_int_equal(parse_int(NULL, &v), -EINVAL);
        assert_int_equal(parse_int("1x", &v), -EINVAL);
        assert_int_equal(parse_int("-", &v), -EINVAL);
        assert_int_equal(v, 77);
}

static void test_log_errno(void **state)
{
        log_set_level(LOGL_ERR);
        /* always a negative errno, whichever sign it was given */
        assert_int_equal(log_errno(EIO, "test %d", 1), -EIO);
        assert_int_equal(log_errno(-ENOENT, "test %d", 2), -ENOENT);
}

/* A log line quoting bytes the crashed process chose is one line with no
 * control byte in it. */
static void test_log_escapes(void **state)
{
        int fd = memfd_create("test-log", MFD_CLOEXEC);
        assert_true(fd >= 0);
        fflush(stderr);
        int saved = dup(2);
        assert_int_equal(dup2(fd, 2), 2);
        log_set_level(LOGL_ERR);
        log_error("exe %s", "/tmp/a\x1b[2J\nforged line \xff caf\xc3\xa9");
        fflush(stderr);
        dup2(saved, 2);
        close(saved);
        char buf[256] = "";
        assert_true(pread(fd, buf, sizeof(buf) - 1, 0) > 0);
        close(fd);
        assert_string_equal(buf, "coreinspect: exe /tmp/a\\x1b[2J\\x0aforged line \\xff caf\xc3\xa9\n");
}

static void test_path_file_name(void **state)
{
        assert_string_equal(path_file_name("/usr/lib/libc.so.6"), "libc.so.6");
        assert_string_equal(path_file_name("victim"), "victim");
        assert_string_equal(path_file_name("dir/"), "");
        assert_null(path_file_name(NULL));
}

static void test_io(void **state)
{
        int fd = memfd_create("test-io", MFD_CLOEXEC);
        assert_true(fd >= 0);
        char data[10000];
        for (size_t i = 0; i < sizeof(data); i++)
                data[i] = (char)(i % 251);
        assert_int_equal(write_full(fd, data, sizeof(data)), 0);

        char buf[12000];
        assert_int_equal(pread_full(fd, buf, sizeof(buf), 0), sizeof(data));
        assert_memory_equal(buf, data, sizeof(data));
        assert_int_equal(pread_full(fd, buf, 100, 9950), 50);
        assert_memory_equal(buf, data + 9950, 50);
        assert_int_equal(pread_full(fd, buf, 100, 20000), 0);
        assert_int_equal(lseek(fd, 1, SEEK_SET), 1);
        assert_int_equal(read_full(fd, buf, 10), 10);
        assert_memory_equal(buf, data + 1, 10);
        assert_int_equal(read_full(-1, buf, 10), -EBADF);
        assert_int_equal(write_full(-1, buf, 10), -EBADF);

        /* read_file_at: whole, cut at max, and refusing symlinks */
        char path[64];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        char *s = NULL;
        size_t len = 0;
        int trunc = -1;
        assert_int_equal(read_file_at(AT_FDCWD, path, 1 << 20, &s, &len, &trunc), -ELOOP);
        assert_null(s);
        int dfd = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(dfd >= 0);
        assert_int_equal(read_file_at(dfd, "comm", 4096, &s, &len, &trunc), 0);
        assert_int_equal(trunc, 0);
        assert_true(len > 1 && s[len - 1] == '\n' && s[len] == '\0');
        free(s);
        assert_int_equal(read_file_at(dfd, "comm", 3, &s, &len, &trunc), 0);
        assert_int_equal(trunc, 1);
        assert_int_equal(len, 3);
        assert_int_equal(s[3], '\0');
        free(s);
        assert_int_equal(read_file_at(dfd, "no-such-file", 10, &s, &len, NULL), -ENOENT);
        close(dfd);

        /* an empty file reads as "", NUL-terminated */
        const char *tmp = getenv("TMPDIR");
        char epath[256];
        snprintf(epath, sizeof(epath), "%s/coreinspect-empty-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        int efd = mkstemp(epath);
        assert_true(efd >= 0);
        close(efd);
        s = NULL;
        assert_int_equal(read_file_at(AT_FDCWD, epath, 100, &s, &len, &trunc), 0);
        unlink(epath);
        assert_non_null(s);
        assert_int_equal(len, 0);
        assert_int_equal(trunc, 0);
        assert_int_equal(s[0], '\0');
        free(s);
        close(fd);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_sorted_count),
                cmocka_unit_test(test_parse_u64),
                cmocka_unit_test(test_parse_size),
                cmocka_unit_test(test_parse_int),
                cmocka_unit_test(test_log_errno),
                cmocka_unit_test(test_log_escapes),
                cmocka_unit_test(test_path_file_name),
                cmocka_unit_test(test_io),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
