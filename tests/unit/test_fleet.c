/* fleet_redact: a database's name as it appears in messages and logs never
 * carries its password, whatever the form of the connection string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fleet.h"

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

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_redact),
                cmocka_unit_test(test_redact_small_buffer),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
