/* Shell quoting and terminal escaping of bytes the crashed process chose
 * (common/escape.c). The quoted words are read back by a real bash, and
 * must come back byte for byte with nothing executed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"
#include "io.h"
#include "util.h"

extern char **environ;

struct sample {
        const char *s;
        size_t len; /* 0: strlen */
};

/* Every shape an argument can take that a shell would act on. */
static const struct sample hostile[] = {
        { "x; touch PWNED #", 0 },
        { "$(touch PWNED)", 0 },
        { "`touch PWNED`", 0 },
        { "it's", 0 },
        { "'", 0 },
        { "''", 0 },
        { "\"double\" \"", 0 },
        { "a\nb", 0 },
        { "\n", 0 },
        { "tab\there", 0 },
        { "\x1b]0;title\x07\x1b[2J", 0 },
        { "\xff\xfe not utf-8 \xc3", 0 },
        { "caf\xc3\xa9 \xe2\x80\xae reversed", 0 },
        { "\xc2\x9b" "31m C1 CSI", 0 },
        { "", 0 },
        { "-rf", 0 },
        { "--output=/etc/passwd", 0 },
        { "A=b", 0 },
        { "=ls", 0 },
        { "%1", 0 },
        { "~root", 0 },
        { "*", 0 },
        { "a b", 0 },
        { "back\\slash", 0 },
        { "!!", 0 },
        { "$HOME ${IFS} $'\\x41'", 0 },
        { "{a,b}", 0 },
        { "#comment", 0 },
        { "a|b&c>d<e", 0 },
        { "\x7f\x01\x02", 0 },
        { "plain/path-1.2_x+y:z,w@h%", 0 },
};

static char *quote(const char *s, size_t len, bool command)
{
        struct strbuf sb;
        strbuf_init(&sb);
        if (command)
                shell_quote_command(&sb, s, len);
        else
                shell_quote(&sb, s, len);
        char *r = strbuf_steal(&sb, NULL);
        assert_non_null(r);
        return r;
}

/* Runs `shell -c script` in dir and returns its stdout. */
static char *run_shell(const char *shell, const char *script, const char *dir, size_t *ret_len)
{
        int p[2];
        assert_int_equal(pipe(p), 0);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, p[1], 1);
        posix_spawn_file_actions_addclose(&fa, p[0]);
        posix_spawn_file_actions_addchdir_np(&fa, dir);
        char *argv[] = { (char *)shell, (char *)"-c", (char *)script, NULL };
        pid_t pid;
        int r = posix_spawn(&pid, shell, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        close(p[1]);
        assert_int_equal(r, 0);
        struct strbuf sb;
        strbuf_init(&sb);
        char buf[4096];
        ssize_t n;
        while ((n = read(p[0], buf, sizeof(buf))) > 0)
                strbuf_append(&sb, buf, (size_t)n);
        close(p[0]);
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFEXITED(st));
        return strbuf_steal(&sb, ret_len);
}

static void assert_printable(const char *q)
{
        for (const unsigned char *p = (const unsigned char *)q; *p; p++)
                if (*p < 0x20 || *p == 0x7f)
                        fail_msg("control byte 0x%02x in quoted word %s", *p, q);
}

/* All samples on one bash command line: printf gives each back NUL-ended;
 * in a scratch directory where nothing may be created. */
static void test_shell_quote_roundtrip(void **state)
{
        (void)state;
        if (access("/bin/bash", X_OK) != 0)
                skip();
        char dir[] = "/tmp/test-escape.XXXXXX";
        assert_non_null(mkdtemp(dir));
        for (int command = 0; command <= 1; command++) {
                struct strbuf script;
                strbuf_init(&script);
                strbuf_puts(&script, "printf '%s\\0'");
                for (size_t i = 0; i < ELEMENTSOF(hostile); i++) {
                        size_t len = hostile[i].len ? hostile[i].len : strlen(hostile[i].s);
                        _cleanup_free_ char *q = quote(hostile[i].s, len, command);
                        assert_printable(q);
                        strbuf_append(&script, " ", 1);
                        strbuf_puts(&script, q);
                }
                _cleanup_free_ char *text = strbuf_steal(&script, NULL);
                size_t out_len;
                _cleanup_free_ char *out = run_shell("/bin/bash", text, dir, &out_len);
                size_t off = 0;
                for (size_t i = 0; i < ELEMENTSOF(hostile); i++) {
                        size_t len = hostile[i].len ? hostile[i].len : strlen(hostile[i].s);
                        const char *want = hostile[i].s;
                        char dotted[64];
                        if (command && want[0] == '-') { /* the command word gets ./ */
                                snprintf(dotted, sizeof(dotted), "./%s", want);
                                want = dotted;
                                len += 2;
                        }
                        if (off + len >= out_len + 1 || memcmp(out + off, want, len) != 0 || out[off + len] != '\0')
                                fail_msg("sample %zu (command=%d) came back wrong from: %s", i, command, text);
                        off += len + 1;
                }
                assert_int_equal(off, out_len);
                /* nothing was executed: no file appeared */
                assert_int_equal(access("PWNED", F_OK), -1);
                char pwned[64];
                snprintf(pwned, sizeof(pwned), "%s/PWNED", dir);
                assert_int_equal(access(pwned, F_OK), -1);
        }
        /* dash has no $'...': those parts come back literal, but nothing runs */
        if (access("/bin/dash", X_OK) == 0) {
                struct strbuf script;
                strbuf_init(&script);
                strbuf_puts(&script, ": ");
                for (size_t i = 0; i < ELEMENTSOF(hostile); i++) {
                        _cleanup_free_ char *q = quote(hostile[i].s, strlen(hostile[i].s), true);
                        strbuf_append(&script, " ", 1);
                        strbuf_puts(&script, q);
                }
                _cleanup_free_ char *text = strbuf_steal(&script, NULL);
                size_t out_len;
                free(run_shell("/bin/dash", text, dir, &out_len));
                char pwned[64];
                snprintf(pwned, sizeof(pwned), "%s/PWNED", dir);
                assert_int_equal(access(pwned, F_OK), -1);
        }
        assert_int_equal(rmdir(dir), 0);
}

static void expect_quote(const char *in, size_t len, const char *want)
{
        _cleanup_free_ char *q = quote(in, len, false);
        if (strcmp(q, want) != 0)
                fail_msg("shell_quote: got [%s], want [%s]", q, want);
}

static void test_shell_quote_forms(void **state)
{
        (void)state;
        expect_quote("/usr/bin/prog", 13, "/usr/bin/prog");
        expect_quote("--size=10", 9, "--size=10");
        expect_quote("", 0, "''");
        expect_quote("a b", 3, "'a b'");
        expect_quote("it's", 4, "'it'\\''s'");
        expect_quote("a\nb", 3, "'a'$'\\x0a''b'");
        expect_quote("\x1b[31m", 5, "$'\\x1b''[31m'");
        expect_quote("\xff", 1, "$'\\xff'");
        expect_quote("caf\xc3\xa9", 5, "'caf\xc3\xa9'");
        expect_quote("=x", 2, "'=x'");
        expect_quote("x;y", 3, "'x;y'");
        /* an embedded NUL is a byte like any other */
        expect_quote("a\0b", 3, "'a'$'\\x00''b'");
        _cleanup_free_ char *c = quote("-x", 2, true);
        assert_string_equal(c, "./-x");
        _cleanup_free_ char *a = quote("A=b", 3, true);
        assert_string_equal(a, "'A=b'");
        _cleanup_free_ char *d = shell_quoted("$(id)");
        assert_string_equal(d, "'$(id)'");
        assert_null(shell_quoted(NULL));
}

static void expect_text(const char *in, size_t len, const char *want)
{
        struct strbuf sb;
        strbuf_init(&sb);
        text_escape(&sb, in, len);
        _cleanup_free_ char *e = strbuf_steal(&sb, NULL);
        if (strcmp(e, want) != 0)
                fail_msg("text_escape: got [%s], want [%s]", e, want);
}

static void test_text_escape(void **state)
{
        (void)state;
        expect_text("plain text", 10, "plain text");
        expect_text("\x1b[2J", 4, "\\x1b[2J");
        expect_text("a\nb\tc\rd", 7, "a\\nb\\tc\\rd");
        expect_text("\x7f\x01", 2, "\\x7f\\x01");
        expect_text("caf\xc3\xa9 \xe2\x9c\x93", 9, "caf\xc3\xa9 \xe2\x9c\x93"); /* é ✓ kept */
        expect_text("\xff\xc3(", 3, "\\xff\\xc3(");                         /* invalid UTF-8 */
        expect_text("\xc2\x9b" "2J", 4, "\\xc2\\x9b2J");                      /* C1 CSI */
        expect_text("\xe2\x80\xae" "abc", 6, "\\xe2\\x80\\xaeabc");            /* RLO */
        expect_text("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");                     /* a surrogate */
        expect_text("\xc0\x80", 2, "\\xc0\\x80");                              /* overlong NUL */
        expect_text("back\\slash", 10, "back\\slash");

        const char *s = "nothing to do";
        assert_ptr_equal(text_safe(s), s);
        assert_null(text_safe(NULL));
        assert_string_equal(text_safe("a\x1b" "b"), "a\\x1bb");
        /* the slots rotate: earlier results stay valid for the next ones */
        const char *r[TEXT_SAFE_SLOTS];
        char in[TEXT_SAFE_SLOTS][8];
        for (int i = 0; i < TEXT_SAFE_SLOTS; i++) {
                snprintf(in[i], sizeof(in[i]), "%d\n", i);
                r[i] = text_safe(in[i]);
        }
        for (int i = 0; i < TEXT_SAFE_SLOTS; i++) {
                char want[16];
                snprintf(want, sizeof(want), "%d\\n", i);
                assert_string_equal(r[i], want);
        }
        text_safe_release();
}

static void expect_ascii(const char *in, size_t len, bool keep_backslash, const char *want)
{
        struct strbuf sb;
        strbuf_init(&sb);
        ascii_escape(&sb, in, len, keep_backslash);
        _cleanup_free_ char *e = strbuf_steal(&sb, NULL);
        if (strcmp(e, want) != 0)
                fail_msg("ascii_escape: got [%s], want [%s]", e, want);
}

/* /dev/kmsg's form: printable ASCII only; '\' escaped unless the text is
 * the kernel's own (kmsg_format_record keeps it, the journal's does not) */
static void test_ascii_escape(void **state)
{
        (void)state;
        expect_ascii("plain ~text", 11, false, "plain ~text");
        expect_ascii("", 0, false, "");
        expect_ascii("\\x1b\x1b[2J\n\t\x7f", 11, false, "\\x5cx1b\\x1b[2J\\x0a\\x09\\x7f");
        expect_ascii("\\x1b\x1b[2J\n\t\x7f", 11, true, "\\x1b\\x1b[2J\\x0a\\x09\\x7f");
        expect_ascii("caf\xc3\xa9", 5, true, "caf\\xc3\\xa9"); /* UTF-8 too */
        expect_ascii("a\0b", 3, false, "a\\x00b");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_shell_quote_forms),
                cmocka_unit_test(test_shell_quote_roundtrip),
                cmocka_unit_test(test_text_escape),
                cmocka_unit_test(test_ascii_escape),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
