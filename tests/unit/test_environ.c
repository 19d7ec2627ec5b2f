/* The environment filter of proc/environ (corecollect/environ.c): the
 * built-in rules keep what a debugger needs and redact credentials in every
 * shape they take in a value; a rules file replaces them. */
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
#include <unistd.h>

#include "environ.h"
#include "io.h"
#include "util.h"

static char *redact(const struct environ_filter *f, const char *const *vars, size_t n)
{
        struct strbuf env, out;
        strbuf_init(&env);
        strbuf_init(&out);
        for (size_t i = 0; i < n; i++)
                strbuf_append(&env, vars[i], strlen(vars[i]) + 1);
        environ_redact(f, env.data, env.len, &out);
        strbuf_free(&env);
        return strbuf_steal(&out, NULL);
}

static void expect(const struct environ_filter *f, const char *var, bool kept)
{
        _cleanup_free_ char *out = redact(f, &var, 1);
        const char *eq = strchr(var, '=');
        char want[8192];
        if (kept)
                snprintf(want, sizeof(want), "%s\n", var);
        else
                snprintf(want, sizeof(want), "%.*s=<redacted>\n", (int)(eq - var), var);
        if (strcmp(out, want) != 0)
                fail_msg("%s: got [%s], want [%s]", var, out, want);
}

static void test_defaults(void **state)
{
        (void)state;
        struct environ_filter *f = NULL;
        assert_int_equal(environ_filter_defaults(&f), 0);
        assert_true(f->n_allow > 10 && f->n_secret_values > 10 && f->token_length == 32);

        /* kept: what a debugger wants */
        expect(f, "PATH=/usr/local/bin:/usr/bin:/bin", true);
        expect(f, "LANG=en_US.UTF-8", true);
        expect(f, "LC_ALL=C", true);
        expect(f, "MALLOC_ARENA_MAX=2", true);
        expect(f, "GLIBC_TUNABLES=glibc.malloc.tcache_count=0", true);
        expect(f, "LD_LIBRARY_PATH=/opt/MyApp2/lib/x86_64-linux-gnu:/home/Alice/build/Release64/lib", true);
        expect(f, "INVOCATION_ID=4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99", true); /* hex: no upper case */
        expect(f, "HOME=/root", true);
        /* not allowed names, and secret names */
        expect(f, "MY_DB=prod", false);
        expect(f, "OPENAI_API_KEY=sk-x", false);
        expect(f, "PYTHON_TOKEN=abc", false);
        expect(f, "XDG_SESSION_COOKIE=abc", false);
        /* credentials inside the values of allowed names */
        expect(f, "DEBUGINFOD_URLS=https://user:hunter2@debuginfod.example.com", false);
        expect(f, "NODE_OPTIONS=--require x.js ?token=abc", false);
        expect(f, "NODE_OPTIONS=--db password=hunter2", false);
        expect(f, "NODE_OPTIONS=--db PASSWORD=hunter2", false);
        expect(f, "NODE_OPTIONS=--header Authorization: Basic dXNlcjpwYXNz", false);
        expect(f, "NODE_OPTIONS=--header authorization: x", false);
        expect(f, "PYTHONSTARTUP=Bearer abc.def", false);
        expect(f, "GODEBUG=AKIAIOSFODNN7EXAMPLE", false);
        expect(f, "GODEBUG=x ASIAIOSFODNN7EXAMPLE y", false);
        expect(f, "JAVA_HOME=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", false); /* AWS secret key */
        expect(f, "RUST_LOG=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", false); /* JWT */
        expect(f, "RUST_LOG=ghp_abcdefghijklmnopqrstuvwxyz0123456789", false);
        expect(f, "TERM=xoxb-1234-5678-abcdef", false);
        expect(f, "PYTHONWARNINGS=-----BEGIN OPENSSH PRIVATE KEY-----", false);
        expect(f, "OMP_X=s3://bucket/object?X-Amz-Signature=abc", false);
        /* a value with a newline would forge a line */
        expect(f, "TERM=xterm\nAWS_SECRET_ACCESS_KEY=forged", false);

        /* a name with a newline or ESC is escaped, its value redacted */
        const char *odd[] = { "A\nB=1", "\x1b[2J=2" };
        _cleanup_free_ char *out = redact(f, odd, 2);
        assert_string_equal(out, "A\\nB=<redacted>\n\\x1b[2J=<redacted>\n");

        /* too long to match: redacted. (Matching is O(pattern * value):
         * fnmatch would backtrack on the many ':' and '/' below.) */
        char *big = malloc(ENVIRON_VALUE_MAX + 64);
        assert_non_null(big);
        strcpy(big, "PATH=");
        for (size_t i = 5; i < ENVIRON_VALUE_MAX + 5; i++)
                big[i] = (i % 2 == 0) ? ':' : '/';
        big[ENVIRON_VALUE_MAX + 5] = '\0';
        expect(f, big, true); /* exactly the limit: matched */
        big[ENVIRON_VALUE_MAX + 5] = '/';
        big[ENVIRON_VALUE_MAX + 6] = '\0';
        expect(f, big, false);
        free(big);
        environ_filter_free(f);
}

static void test_rules_file(void **state)
{
        (void)state;
        struct environ_filter *f = NULL;
        unsigned line = 0;
        assert_int_equal(environ_filter_parse("# mine\n\nallow FOO*\nsecret-value *evil*\nsecret-shape *K[0-9]*\ntoken-length 0\n", &f, &line), 0);
        expect(f, "FOOBAR=ok", true);
        expect(f, "PATH=/bin", false);             /* the file replaces the defaults */
        expect(f, "FOO=an EVIL one", false);       /* secret-value: any case */
        expect(f, "FOO=k1", true);                 /* secret-shape: case matters */
        expect(f, "FOO=K1", false);
        expect(f, "FOO=aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3", true); /* token-length 0 */
        environ_filter_free(f);

        f = NULL;
        assert_int_equal(environ_filter_parse("allow A\nbogus rule\n", &f, &line), -EINVAL);
        assert_int_equal(line, 2);
        assert_null(f);
        assert_int_equal(environ_filter_parse("token-length lots\n", &f, &line), -EINVAL);
        assert_int_equal(environ_filter_parse("allow A B\n", &f, &line), -EINVAL);

        /* a missing file and a malformed one give the defaults */
        f = environ_filter_load("/nonexistent/environ-filter.txt");
        assert_non_null(f);
        expect(f, "PATH=/bin", true);
        environ_filter_free(f);
        char path[] = "/tmp/test-environ.XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write_full(fd, "allow ONLY\nnot a rule at all\n", 29), 0);
        close(fd);
        f = environ_filter_load(path);
        assert_non_null(f);
        expect(f, "PATH=/bin", true);
        expect(f, "ONLY=x", false);
        environ_filter_free(f);
        fd = open(path, O_WRONLY | O_TRUNC);
        assert_int_equal(write_full(fd, "allow ONLY\n", 11), 0);
        close(fd);
        f = environ_filter_load(path);
        expect(f, "ONLY=x", true);
        expect(f, "PATH=/bin", false);
        environ_filter_free(f);
        unlink(path);

        /* no filter (out of memory): every value redacted */
        expect(NULL, "PATH=/bin", false);
}

int main(void)
{
        log_set_level(LOGL_ERR); /* the malformed file's warning is expected */
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_defaults),
                cmocka_unit_test(test_rules_file),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
