/* The streaming JSON writer: structure, separators and string escaping. The
 * output is also fed to Python's json module when python3 is present. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "json.h"
#include "util.h"

/* Canonical form of a JSON document according to Python (sorted keys, no
 * spaces, ASCII only), or NULL when python3 is not available. */
static char *python_canonical(const char *doc)
{
        if (system("command -v python3 >/dev/null 2>&1") != 0)
                return NULL;
        const char *tmp = getenv("TMPDIR");
        char path[256];
        snprintf(path, sizeof(path), "%s/coreinspect-json-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write_full(fd, doc, strlen(doc)), 0);
        close(fd);
        char cmd[512];
        snprintf(cmd, sizeof(cmd),
                 "python3 -c 'import json,sys; "
                 "print(json.dumps(json.load(open(sys.argv[1], encoding=\"utf-8\")), "
                 "sort_keys=True, separators=(\",\",\":\")), end=\"\")' '%s'",
                 path);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        struct strbuf sb;
        strbuf_init(&sb);
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
                strbuf_append(&sb, buf, n);
        int st = pclose(p);
        unlink(path);
        assert_int_equal(st, 0); /* python could parse it */
        return strbuf_steal(&sb, NULL);
}

static void build_nested(struct json *j)
{
        json_object_begin(j, NULL);
        json_object_begin(j, "o");
        json_array_begin(j, "arr");
        json_u64(j, NULL, 1);
        json_string(j, NULL, "two");
        json_array_begin(j, NULL);
        json_array_end(j);
        json_object_begin(j, NULL);
        json_object_end(j);
        json_array_end(j);
        json_boolean(j, "k", false);
        json_object_end(j);
        json_array_begin(j, "z");
        json_array_end(j);
        json_i64(j, "n", INT64_MIN);
        json_u64(j, "u", UINT64_MAX);
        json_boolean(j, "t", true);
        json_null(j, "nul");
        json_string(j, "s", NULL);
        json_object_end(j);
}

#define NESTED                                                                          \
        "{\"o\":{\"arr\":[1,\"two\",[],{}],\"k\":false},\"z\":[],\"n\":-9223372036854775808," \
        "\"u\":18446744073709551615,\"t\":true,\"nul\":null,\"s\":null}"

static void test_nested_compact(void **state)
{
        struct json j;
        json_init(&j, false);
        build_nested(&j);
        assert_false(j.sb.oom);
        assert_string_equal(j.sb.data, NESTED);
        json_free(&j);
}

static void test_nested_pretty(void **state)
{
        struct json j;
        json_init(&j, true);
        build_nested(&j);
        /* one member per line, indented by depth */
        assert_non_null(strstr(j.sb.data, "\n  \"o\": {\n    \"arr\": [\n      1,\n"));
        assert_int_equal(j.sb.data[j.sb.len - 1], '}');
        char *canon = python_canonical(j.sb.data);
        if (canon) {
                /* same document as the compact one, keys sorted */
                assert_string_equal(canon,
                                    "{\"n\":-9223372036854775808,\"nul\":null,"
                                    "\"o\":{\"arr\":[1,\"two\",[],{}],\"k\":false},\"s\":null,"
                                    "\"t\":true,\"u\":18446744073709551615,\"z\":[]}");
                free(canon);
        }
        json_free(&j);
}

static void test_top_level_array(void **state)
{
        struct json j;
        json_init(&j, false);
        json_array_begin(&j, NULL);
        for (int i = 0; i < 3; i++) {
                json_object_begin(&j, NULL);
                json_i64(&j, "i", -i);
                json_object_end(&j);
        }
        json_array_end(&j);
        assert_string_equal(j.sb.data, "[{\"i\":0},{\"i\":-1},{\"i\":-2}]");
        json_free(&j);
}

/* Input bytes, then what the writer must make of them. */
static const char raw[] =
        "a\"b\\c\n\t\r\x01\x1f\x7f" /* quotes, backslash, control characters */
        "\0"                        /* an embedded NUL (length given) */
        "\xff"                      /* never valid in UTF-8 */
        "\xc3\xa9"                  /* e acute: valid, kept */
        "\xc0\xaf"                  /* overlong '/' */
        "\xed\xa0\x80"              /* a UTF-16 surrogate */
        "\xf0\x9f\x98\x80"          /* U+1F600: valid, kept */
        "\xf4\x90\x80\x80"          /* above U+10FFFF */
        "\xe2\x82z"                 /* cut sequence followed by ASCII */
        "\xc3";                     /* cut at the end of the string */

static const char escaped[] =
        "a\\\"b\\\\c\\n\\t\\r\\u0001\\u001f\\u007f"
        "\\u0000"
        "\\udcff"
        "\xc3\xa9"
        "\\udcc0\\udcaf"
        "\\udced\\udca0\\udc80"
        "\xf0\x9f\x98\x80"
        "\\udcf4\\udc90\\udc80\\udc80"
        "\\udce2\\udc82z"
        "\\udcc3";

static void test_escape(void **state)
{
        struct strbuf sb;
        strbuf_init(&sb);
        json_escape(&sb, raw, sizeof(raw) - 1);
        assert_string_equal(sb.data, escaped);
        strbuf_free(&sb);

        struct json j;
        json_init(&j, false);
        json_object_begin(&j, NULL);
        json_string_len(&j, "k\"\x01", raw, sizeof(raw) - 1);
        json_string(&j, "plain", "stops at NUL\0hidden");
        json_object_end(&j);
        struct strbuf want;
        strbuf_init(&want);
        strbuf_printf(&want, "{\"k\\\"\\u0001\":\"%s\",\"plain\":\"stops at NUL\"}", escaped);
        assert_string_equal(j.sb.data, want.data);

        char *canon = python_canonical(j.sb.data);
        if (canon) {
                /* Python decodes it back (ensure_ascii escapes non-ASCII) */
                assert_non_null(strstr(canon, "\\u00e9"));
                assert_non_null(strstr(canon, "\\ud83d\\ude00"));
                assert_non_null(strstr(canon, "a\\\"b\\\\c\\n\\t\\r\\u0001\\u001f\\u007f\\u0000"));
                free(canon);
        }
        strbuf_free(&want);
        json_free(&j);
}

/* The bytes of invalid UTF-8 come back exactly from the writer's escapes;
 * real surrogate pairs and escaped backslashes stay as they are. */
static void test_bytes_decode(void **state)
{
        (void)state;
        const char in[] = "x\xff\xc3(\xc3\xa9\xed\xa0\x80\x1b";
        struct json j;
        json_init(&j, false);
        json_array_begin(&j, NULL);
        json_string_len(&j, NULL, in, sizeof(in) - 1);
        json_array_end(&j);
        size_t n = json_bytes_decode(j.sb.data);
        assert_int_equal(n, strlen(j.sb.data));
        assert_string_equal(j.sb.data, "[\"x\xff\xc3(\xc3\xa9\xed\xa0\x80\\u001b\"]");
        json_free(&j);

        char other[] = "{\"\\udcff\":\"\\ud83d\\udcff \\\\udcff \\\"\\udc80\\udc7f\"} \\udcff";
        json_bytes_decode(other);
        assert_string_equal(other, "{\"\xff\":\"\\ud83d\\udcff \\\\udcff \\\"\x80\\udc7f\"} \\udcff");
}

static void test_every_byte_is_valid(void **state)
{
        /* All 256 byte values, in every position relative to a multibyte
         * lead, yield a document Python accepts. */
        char all[512];
        for (int i = 0; i < 256; i++) {
                all[2 * i] = (char)i;
                all[2 * i + 1] = (char)(255 - i);
        }
        struct json j;
        json_init(&j, false);
        json_array_begin(&j, NULL);
        json_string_len(&j, NULL, all, sizeof(all));
        json_string_len(&j, NULL, all + 1, sizeof(all) - 1);
        json_array_end(&j);
        /* no raw control characters or quotes slipped through */
        for (size_t i = 0; i < j.sb.len; i++)
                assert_true((unsigned char)j.sb.data[i] >= 0x20);
        char *canon = python_canonical(j.sb.data);
        free(canon);
        json_free(&j);
}

static void test_strbuf(void **state)
{
        struct strbuf sb;
        strbuf_init(&sb);
        for (int i = 0; i < 1000; i++)
                strbuf_printf(&sb, "%d,", i % 10);
        assert_int_equal(sb.len, 2000);
        assert_int_equal(sb.data[sb.len], '\0');
        assert_memory_equal(sb.data, "0,1,2,", 6);
        strbuf_puts(&sb, "end");
        size_t len = 0;
        char *s = strbuf_steal(&sb, &len);
        assert_int_equal(len, 2003);
        assert_string_equal(s + 2000, "end");
        assert_null(sb.data);
        assert_int_equal(sb.len, 0);
        free(s);
        /* stealing an empty buffer gives an empty string, not NULL */
        s = strbuf_steal(&sb, &len);
        assert_non_null(s);
        assert_int_equal(len, 0);
        assert_string_equal(s, "");
        free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_nested_compact),
                cmocka_unit_test(test_nested_pretty),
                cmocka_unit_test(test_top_level_array),
                cmocka_unit_test(test_escape),
                cmocka_unit_test(test_every_byte_is_valid),
                cmocka_unit_test(test_bytes_decode),
                cmocka_unit_test(test_strbuf),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
