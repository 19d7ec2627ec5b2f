/* Parsing the kernel's OOM kill lines (corecollect oom-watch). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "oomwatch.h"

static void memcg_kill(void **state)
{
        struct oom_kill k = { 0 };
        oom_parse_context("[ 3731.6] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
                          "oom_memcg=/cc-oomtest,task_memcg=/cc-oomtest,task=crash_heap,pid=4032,uid=0",
                          &k);
        assert_true(oom_parse_killed("[ 3731.6] Memory cgroup out of memory: Killed process 4032 (crash_heap) "
                                     "total-vm:264624kB, anon-rss:65152kB, file-rss:900kB, shmem-rss:0kB, UID:7 "
                                     "pgtables:180kB oom_score_adj:0",
                                     &k));
        assert_int_equal(k.pid, 4032);
        assert_string_equal(k.comm, "crash_heap");
        assert_string_equal(k.constraint, "CONSTRAINT_MEMCG");
        assert_string_equal(k.memcg, "/cc-oomtest");
        assert_int_equal(k.total_vm_kb, 264624);
        assert_int_equal(k.anon_rss_kb, 65152);
        assert_int_equal(k.uid, 7);
        assert_true(k.memcg_oom);
}

static void global_kill(void **state)
{
        struct oom_kill k = { 0 };
        assert_true(oom_parse_killed("Out of memory: Killed process 77 (a b) total-vm:1kB, anon-rss:2kB", &k));
        assert_int_equal(k.pid, 77);
        assert_string_equal(k.comm, "a b");
        assert_false(k.memcg_oom);
}

static void not_a_kill(void **state)
{
        struct oom_kill k = { 0 };
        assert_false(oom_parse_killed("segv[12]: segfault at 0 ip 0 sp 0 error 6", &k));
        assert_false(oom_parse_killed("Killed process 5 (x) but not by the OOM killer", &k));
        assert_false(oom_parse_killed("Out of memory: Killed process garbage", &k));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(memcg_kill),
                cmocka_unit_test(global_kill),
                cmocka_unit_test(not_a_kill),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
