/* bundle/meta: meta.json written and parsed back by the one owner of the
 * bundle's content, the exact bytes of invalid UTF-8 kept, and a hostile
 * meta.json (wrong types, unknown reasons, not an object) read without
 * harm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "meta.h"

static void round_trip(void **state)
{
        static const char *const argv[] = { "/opt/a\xff" "b", "--x=\n1" };
        static const struct bundle_mapped_file files[] = {
                { .path = "/opt/a\xff" "b", .build_id = "e183aa", .size = 17016, .executable = true },
                { .path = "/usr/lib/big.so", .build_id = "77a0", .size = 201326592, .skipped = "file_max" },
        };
        struct bundle_meta m;
        bundle_meta_init(&m);
        m.producer = "corecollect test";
        m.time = 1795644780;
        m.host = "vm";
        m.boot_id = "b00t";
        m.pid = 6432;
        m.tid = 6433;
        m.uid = 1000;
        m.gid = 1000;
        m.signal = 11;
        m.signal_name = "SIGSEGV";
        m.dump_mode = 1;
        m.exe = argv[0];
        m.comm = "a";
        m.cmdline = argv;
        m.n_cmdline = 2;
        m.cgroup = "/user.slice";
        m.pidfd_verified = true;
        m.mapped = files;
        m.n_mapped = 2;
        m.has_budget = true;
        m.budget.max_core = 8;
        struct strbuf sb;
        assert_int_equal(bundle_meta_write(&m, &sb), 0);
        assert_non_null(strstr(sb.data, "\"rlimit_core\": null"));
        assert_null(strstr(sb.data, "\"kind\""));

        struct bundle_meta p;
        assert_int_equal(bundle_meta_parse(sb.data, &p), 0);
        assert_int_equal(p.format, BUNDLE_FORMAT);
        assert_int_equal(p.kind, BUNDLE_KIND_CRASH);
        assert_int_equal(p.pid, 6432);
        assert_int_equal(p.tid, 6433);
        assert_int_equal(p.uid, 1000);
        assert_int_equal(p.signal, 11);
        assert_string_equal(p.exe, argv[0]); /* the byte 0xff back, exact */
        assert_int_equal(p.n_cmdline, 2);
        assert_string_equal(p.cmdline[1], argv[1]);
        assert_int_equal(p.rlimit_core, UINT64_MAX);
        assert_int_equal(p.n_mapped, 2);
        assert_string_equal(p.mapped[1].path, "/usr/lib/big.so");
        assert_string_equal(p.mapped[1].skipped, "file_max");
        assert_null(p.mapped[0].skipped);
        assert_true(p.mapped[0].executable);
        assert_int_equal(p.mapped[1].size, 201326592);
        assert_true(p.has_budget);
        assert_int_equal(p.budget.max_core, 8);
        assert_int_equal(p.memcg_limit, BUNDLE_META_UNSET);
        bundle_meta_free(&p);
        strbuf_free(&sb);
}

static void oom_kind(void **state)
{
        struct bundle_meta m;
        bundle_meta_init(&m);
        m.kind = BUNDLE_KIND_OOM_KILL;
        m.pid = m.tid = 77;
        m.signal = 9;
        m.exe = "hog";
        m.comm = "hog";
        m.oom.constraint = "CONSTRAINT_MEMCG";
        m.oom.memcg = true;
        m.memory_cgroup = "/cc";
        m.memcg_limit = 67108864;
        /* the files the victim still had mapped, for packages.json */
        struct bundle_mapped_file f = { .path = "/usr/bin/hog", .executable = true };
        m.mapped = &f;
        m.n_mapped = 1;
        struct strbuf sb;
        assert_int_equal(bundle_meta_write(&m, &sb), 0);
        assert_non_null(strstr(sb.data, "mapped_files"));
        struct bundle_meta p;
        assert_int_equal(bundle_meta_parse(sb.data, &p), 0);
        assert_int_equal(p.kind, BUNDLE_KIND_OOM_KILL);
        assert_string_equal(p.oom.constraint, "CONSTRAINT_MEMCG");
        assert_true(p.oom.memcg);
        assert_string_equal(p.memory_cgroup, "/cc");
        assert_int_equal(p.memcg_limit, 67108864);
        assert_int_equal(p.memcg_max_usage, BUNDLE_META_UNSET);
        assert_int_equal(p.n_mapped, 1);
        assert_string_equal(p.mapped[0].path, "/usr/bin/hog");
        assert_true(p.mapped[0].executable);
        assert_null(p.mapped[0].build_id);
        assert_non_null(p.cmdline);
        assert_int_equal(p.n_cmdline, 0);
        bundle_meta_free(&p);
        strbuf_free(&sb);
}

/* meta.json comes from elsewhere: what has the wrong type is absent. */
static void hostile(void **state)
{
        struct bundle_meta p;
        assert_int_equal(bundle_meta_parse("[1, 2]", &p), -EBADMSG);
        bundle_meta_free(&p);
        assert_int_equal(bundle_meta_parse("{\"pid\": ", &p), -EBADMSG);
        bundle_meta_free(&p);
        assert_int_equal(bundle_meta_parse("{\"pid\": \"1\", \"exe\": 5, \"kind\": [\"oom-kill\"],"
                                           " \"cmdline\": [\"a\", 7, {}, \"b\"],"
                                           " \"mapped_files\": [5, {\"path\": 1}, {\"path\": \"/x\", \"skipped\": \"rm -rf\","
                                           " \"build_id\": 3, \"size\": -4}]}",
                                           &p),
                         0);
        assert_int_equal(p.pid, BUNDLE_META_UNSET);
        assert_null(p.exe);
        assert_int_equal(p.kind, BUNDLE_KIND_CRASH);
        assert_int_equal(p.n_cmdline, 2);
        assert_string_equal(p.cmdline[1], "b");
        assert_int_equal(p.n_mapped, 1);
        assert_string_equal(p.mapped[0].path, "/x");
        assert_null(p.mapped[0].skipped);
        assert_null(p.mapped[0].build_id);
        assert_int_equal(p.mapped[0].size, 0);
        bundle_meta_free(&p);
}

/* packages.json: written after the core, parsed into the mapped files of
 * the same path; a bundle without it (older ones) has no packages; hostile
 * values are dropped. */
static void packages(void **state)
{
        static const struct bundle_mapped_file files[] = {
                { .path = "/usr/bin/sleep", .build_id = "aa", .executable = true, .package = "coreutils",
                  .version = "9.1-1", .arch = "amd64" },
                { .path = "/opt/x\xff\n", .build_id = "bb" },
                { .path = "/usr/lib/libc.so.6", .build_id = "cc", .package = "libc6", .arch = "amd64",
                  .replaced = true },
        };
        struct bundle_meta m;
        bundle_meta_init(&m);
        m.exe = "/usr/bin/sleep";
        m.comm = "sleep";
        m.mapped = files;
        m.n_mapped = 3;
        m.packages.status = "ok";
        m.packages.usec = 12;
        m.packages.cpu_usec = 9;
        struct strbuf meta, pk;
        assert_int_equal(bundle_meta_write(&m, &meta), 0);
        assert_null(strstr(meta.data, "package")); /* meta.json is written before the lookup */
        assert_int_equal(bundle_packages_write(&m, &pk), 0);
        assert_null(strstr(pk.data, "/opt/x")); /* no owner: not listed */

        struct bundle_meta p;
        assert_int_equal(bundle_meta_parse(meta.data, &p), 0);
        assert_null(p.packages.status); /* an older bundle: nothing recorded */
        assert_null(p.mapped[0].package);
        assert_int_equal(bundle_packages_parse(pk.data, &p), 0);
        assert_string_equal(p.packages.status, "ok");
        assert_null(p.packages.reason);
        assert_int_equal(p.packages.cpu_usec, 9);
        assert_string_equal(p.mapped[0].package, "coreutils");
        assert_string_equal(p.mapped[0].version, "9.1-1");
        assert_string_equal(p.mapped[0].arch, "amd64");
        assert_null(p.mapped[1].package);
        assert_string_equal(p.mapped[2].package, "libc6");
        assert_null(p.mapped[2].version);
        assert_true(p.mapped[2].replaced);

        assert_int_equal(bundle_packages_parse("[]", &p), -EBADMSG);
        assert_string_equal(p.mapped[0].package, "coreutils"); /* unchanged */
        bundle_meta_free(&p);

        assert_int_equal(bundle_meta_parse(meta.data, &p), 0);
        assert_int_equal(bundle_packages_parse("{\"status\": \"$(reboot)\", \"reason\": 5, \"files\": [7,"
                                               " {\"path\": \"/usr/bin/sleep\", \"package\": 3},"
                                               " {\"path\": \"/nope\", \"package\": \"x\"}]}",
                                               &p),
                         0);
        assert_null(p.packages.status);
        assert_null(p.packages.reason);
        assert_null(p.mapped[0].package);
        bundle_meta_free(&p);
        strbuf_free(&meta);
        strbuf_free(&pk);
}

static void index_end(void **state)
{
        struct bundle_index x;
        assert_int_equal(bundle_index_parse("{\"format\": 1, \"end\": {\"truncated\": true,"
                                            " \"truncation_reason\": \"rlimit\"}}",
                                            &x),
                         0);
        assert_true(x.has_end);
        assert_true(x.truncated);
        assert_string_equal(x.truncation_reason, "rlimit");
        bundle_index_free(&x);
        assert_int_equal(bundle_index_parse("{\"end\": {\"truncated\": 1}}", &x), 0);
        assert_true(x.has_end);
        assert_false(x.truncated); /* not a boolean */
        bundle_index_free(&x);
        assert_int_equal(bundle_index_parse("{}", &x), 0);
        assert_false(x.has_end);
        bundle_index_free(&x);
        assert_int_equal(bundle_index_parse("nope", &x), -EBADMSG);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(round_trip),
                cmocka_unit_test(oom_kind),
                cmocka_unit_test(hostile),
                cmocka_unit_test(packages),
                cmocka_unit_test(index_end),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
