/* fleet/: a database's name as it appears in messages and logs never
 * carries its password, whatever the form of the connection string
 * (fleet_redact); keys are SHA-256 (sha256_hex); any bytes but NUL survive
 * the database's text encoding (dbtext.h); isolate_run contains a crash, a
 * hang, runaway memory and output of the work it runs, and passes back
 * exactly what the work wrote. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "dbtext.h"
#include "fleet.h"
#include "isolate.h"
#include "sha256.h"
#include "utf8.h"

static void check(const char *in, const char *want)
{
        char buf[512];
        fleet_redact(in, buf, sizeof(buf));
        assert_string_equal(buf, want);
}

static void test_redact(void **state)
{
        check("/var/lib/coreinspect/index.sqlite", "/var/lib/coreinspect/index.sqlite");
        check("postgresql://crashes@db.example/crashes", "postgresql://crashes@db.example/crashes");
        check("postgresql://crashes:s3cret@db.example:5432/crashes", "postgresql://crashes:***@db.example:5432/crashes");
        check("postgres://u:p@h/c", "postgres://u:***@h/c");
        check("postgresql:///c?host=/run/pg&password=pw&user=u", "postgresql:///c?host=/run/pg&password=***&user=u");
        check("host=db dbname=c password=s3cret user=u", "host=db dbname=c password=*** user=u");
        check("password='a b\\' c' host=x", "password=*** host=x");
        check("host=x password=", "host=x password=");
        check("dbname=c password=abc password=defgh", "dbname=c password=*** password=***");
        /* libpq allows spaces around '=' */
        check("host=x password = s3cret user=u", "host=x password = *** user=u");
        check("host=x password= s3cret", "host=x password= ***");
        check("host=x password =s3cret", "host=x password =***");
        check("host=x password\t=\t'a b' user=u", "host=x password\t=\t*** user=u");
        check("sslpassword = k3y host=x", "sslpassword = *** host=x");
        check("host=x password = ", "host=x password = ");
        check("host=passwordless dbname=c", "host=passwordless dbname=c");
}

/* A buffer too small for the whole string shows nothing of a connection
 * string (a cut could lose what marks the password), a path as it is. */
static void test_redact_small_buffer(void **state)
{
        char buf[24];
        fleet_redact("host=x password=p", buf, sizeof(buf));
        assert_string_equal(buf, "host=x password=***");
        fleet_redact("host=x password=secret1", buf, sizeof(buf));
        assert_string_equal(buf, "(a 23-byte connection s");
        fleet_redact("postgresql://user:a-long-password@db.example/crashes", buf, sizeof(buf));
        assert_string_equal(buf, "(a 52-byte connection s");
        fleet_redact("/var/lib/coreinspect/a/very/long/path/index.sqlite", buf, sizeof(buf));
        assert_string_equal(buf, "/var/lib/coreinspect/a/");
}

static void test_sha256(void **state)
{
        char h[SHA256_HEX_SIZE];
        sha256_hex("", 0, h);
        assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        sha256_hex("abc", 3, h);
        assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 56: padding takes a block */
        sha256_hex(two, strlen(two), h);
        assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        static char million[1000000];
        memset(million, 'a', sizeof(million));
        sha256_hex(million, sizeof(million), h);
        assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void round_trip(const char *s)
{
        char *e = fleet_text_encode(s);
        assert_non_null(e);
        /* valid UTF-8, no NUL: what PostgreSQL's text accepts */
        for (const unsigned char *p = (const unsigned char *)e; *p;) {
                uint32_t cp;
                size_t n = utf8_decode(p, strnlen((const char *)p, 4), &cp);
                assert_true(n > 0);
                p += n;
        }
        char *d = fleet_text_decode(e);
        assert_non_null(d);
        assert_string_equal(d, s);
        free(e);
        free(d);
}

static void test_text_encoding(void **state)
{
        char *e = fleet_text_encode("/var/lib/corecollect/core.a b.1.2.zst");
        assert_string_equal(e, "/var/lib/corecollect/core.a b.1.2.zst"); /* plain text stays readable */
        free(e);
        e = fleet_text_encode("caf\xc3\xa9 \xff\\x41 \xed\xa0\x80 \xc0\xaf");
        assert_string_equal(e, "caf\xc3\xa9 \\xff\\\\x41 \\xed\\xa0\\x80 \\xc0\\xaf"); /* surrogate, overlong */
        free(e);
        assert_null(fleet_text_encode(NULL));
        round_trip("");
        round_trip("\\x41\\\\\\");
        round_trip("\x1b]0;title\x07\n\x80\xfe\xf4\x90\x80\x80 \xe2\x80\xae");
        /* every byte value, and random byte strings */
        char all[256];
        for (int i = 1; i < 256; i++)
                all[i - 1] = (char)i;
        all[255] = '\0';
        round_trip(all);
        srand(7);
        for (int n = 0; n < 2000; n++) {
                char s[64];
                size_t len = (size_t)(rand() % 63);
                for (size_t i = 0; i < len; i++)
                        s[i] = (char)(rand() % 255 + 1);
                s[len] = '\0';
                round_trip(s);
        }
}

static const char echo_bytes[] = "\x01\xff\n\x1b[31m";

static int work_echo(void *arg, int fd)
{
        return write(fd, echo_bytes, sizeof(echo_bytes)) == (ssize_t)sizeof(echo_bytes) ? 0 : 1;
}

static int work_fail(void *arg, int fd)
{
        fprintf(stderr, "first line\nbundle is corrupt\n");
        return 2;
}

static int work_crash(void *arg, int fd)
{
        fprintf(stderr, "about to crash\n");
        signal(SIGSEGV, SIG_DFL); /* cmocka catches it otherwise */
        raise(SIGSEGV);
        return 0;
}

static int work_hang(void *arg, int fd)
{
        for (;;)
                pause();
        return 0;
}

static int work_memory(void *arg, int fd)
{
        /* 64 MiB blocks, touched, until the limit stops it */
        for (int i = 0; i < 1024; i++) {
                char *p = malloc(64 << 20);
                if (!p) {
                        fprintf(stderr, "out of memory after %d MiB\n", 64 * i);
                        return 2;
                }
                memset(p, 1, 64 << 20);
        }
        return 0;
}

static int work_chatty(void *arg, int fd)
{
        static char buf[1 << 16];
        memset(buf, 'x', sizeof(buf));
        for (int i = 0; i < 64; i++)
                if (write(fd, buf, sizeof(buf)) < 0)
                        return 1;
        return 0;
}

static void test_isolate(void **state)
{
        struct isolate_limits lim = { .max_memory = 256 << 20, .timeout_ms = 1000, .max_output = 1 << 20 };
        struct isolate_result res;
        /* any bytes come back as they were written, the NUL included */
        assert_int_equal(isolate_run(work_echo, NULL, &lim, &res), 0);
        assert_int_equal(res.output_len, sizeof(echo_bytes));
        assert_memory_equal(res.output, echo_bytes, sizeof(echo_bytes));
        isolate_result_free(&res);

        assert_int_equal(isolate_run(work_fail, NULL, &lim, &res), 1);
        assert_string_equal(res.reason, "bundle is corrupt");
        assert_null(res.output);
        isolate_result_free(&res);

        assert_int_equal(isolate_run(work_crash, NULL, &lim, &res), 1);
        /* (under AddressSanitizer its handler reports the SEGV instead) */
        assert_true(strstr(res.reason, "crashed: killed by SIGSEGV; its last message: about to crash") ||
                    strstr(res.reason, "SEGV"));
        isolate_result_free(&res);

        uint64_t t0 = (uint64_t)time(NULL);
        assert_int_equal(isolate_run(work_hang, NULL, &lim, &res), 1);
        assert_string_equal(res.reason, "killed at the time limit (1 s)");
        assert_true((uint64_t)time(NULL) - t0 < 30);
        isolate_result_free(&res);

        lim.timeout_ms = 60000;
        assert_int_equal(isolate_run(work_memory, NULL, &lim, &res), 1);
        print_message("memory: %s\n", res.reason);
        assert_true(strstr(res.reason, "out of memory after") || strstr(res.reason, "out-of-memory") ||
                    strstr(res.reason, "killed by"));
        isolate_result_free(&res);

        lim.max_output = 8 << 20; /* more than a pipe holds: read while the child writes */
        assert_int_equal(isolate_run(work_chatty, NULL, &lim, &res), 0);
        assert_int_equal(res.output_len, 64 << 16);
        isolate_result_free(&res);
        lim.max_output = 100000;
        assert_int_equal(isolate_run(work_chatty, NULL, &lim, &res), 1);
        assert_string_equal(res.reason, "killed: more than 100000 bytes of output");
        isolate_result_free(&res);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_sha256),
                cmocka_unit_test(test_text_encoding),
                cmocka_unit_test(test_isolate),
                cmocka_unit_test(test_redact),
                cmocka_unit_test(test_redact_small_buffer),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
