/* The analysis is reentrant: its libdwfl and libunwind callbacks reach
 * their context through their own arguments, not through globals. Two
 * threads analyse bundles at the same time, each in another order, and
 * every report is the one the same bundle gives when analysed alone.
 * Usage: test_reentrant FIXTURE-DIR */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "analyze.h"
#include "report.h"

#define ROUNDS 3

static const char *const bundles[] = { "threads.zst", "inline.zst", "abort.zst", "segv.zst" };
#define N_BUNDLES (sizeof(bundles) / sizeof(bundles[0]))
static const char *fixtures;
static char *alone[N_BUNDLES]; /* each bundle's JSON report, analysed alone */

/* The JSON report of one bundle, from nothing but the bundle. */
static char *analyse(size_t k, enum unwinder_choice unwinder)
{
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", fixtures, bundles[k]);
        struct analyze_options o = {
                .unwind = { .unwinder = unwinder, .max_frames = 256, .max_threads = 4096 },
                .max_zstd = 1ULL << 30,
                .bundle_only = true,
        };
        struct report r;
        const char *why = NULL;
        int rc = analyze_path(path, &o, &r, &why);
        char *json = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&json, &len);
        if (!f)
                abort();
        fprintf(f, "rc=%d\n", analyze_exit_code(rc, &r));
        if (rc == 0)
                report_print_json(&r, f);
        fclose(f);
        report_free(&r);
        return json;
}

struct worker {
        size_t first; /* where in the list it starts */
        enum unwinder_choice unwinder;
        char *got[ROUNDS][N_BUNDLES];
};

static void *work(void *arg)
{
        struct worker *w = arg;
        for (size_t round = 0; round < ROUNDS; round++)
                for (size_t i = 0; i < N_BUNDLES; i++) {
                        size_t k = (w->first + i) % N_BUNDLES;
                        w->got[round][k] = analyse(k, w->unwinder);
                }
        return NULL;
}

static void run_two(enum unwinder_choice unwinder)
{
        for (size_t k = 0; k < N_BUNDLES; k++) {
                free(alone[k]);
                alone[k] = analyse(k, unwinder);
                assert_non_null(strstr(alone[k], "rc=0") ? alone[k] : strstr(alone[k], "rc=1"));
        }
        struct worker w[2] = { { .first = 0, .unwinder = unwinder }, { .first = N_BUNDLES / 2 + 1, .unwinder = unwinder } };
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
                assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
        for (int i = 0; i < 2; i++)
                assert_int_equal(pthread_join(t[i], NULL), 0);
        for (int i = 0; i < 2; i++)
                for (size_t round = 0; round < ROUNDS; round++)
                        for (size_t k = 0; k < N_BUNDLES; k++) {
                                if (strcmp(w[i].got[round][k], alone[k]) != 0)
                                        fail_msg("%s: thread %d round %zu differs from the analysis alone", bundles[k],
                                                 i, round);
                                free(w[i].got[round][k]);
                        }
}

static void test_libdwfl(void **state) { run_two(UNWINDER_DWFL); }
static void test_both_unwinders(void **state) { run_two(UNWINDER_BOTH); }

int main(int argc, char **argv)
{
        if (argc != 2) {
                fprintf(stderr, "usage: %s FIXTURE-DIR\n", argv[0]);
                return 64;
        }
        fixtures = argv[1];
#ifndef __SANITIZE_ADDRESS__
        /* bounded (AddressSanitizer reserves terabytes: not with it) */
        struct rlimit rl = { 4ULL << 30, 4ULL << 30 };
        setrlimit(RLIMIT_AS, &rl);
#endif
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_libdwfl),
                cmocka_unit_test(test_both_unwinders),
        };
        int r = cmocka_run_group_tests(tests, NULL, NULL);
        for (size_t k = 0; k < N_BUNDLES; k++)
                free(alone[k]);
        return r;
}
