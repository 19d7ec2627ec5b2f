/* A synthetic fleet for bench/fleet: N crashes of H hosts over D days, S
 * signatures drawn with a Zipf distribution (s = 1.1), written through the
 * project's own insert code (fleet_db_add: the crash and its rollups), so
 * the rows are what `coreinspect index` writes. Memory is constant (one
 * crash at a time, the Zipf table of S doubles).
 *
 * fleetgen DB N [--hosts H] [--signatures S] [--days D] [--now EPOCH]
 *               [--seed N] [--batch N] [--per-open] [--first K] [--paths P]
 *               [--fold T] [--no-fold] [--messy] [--shuffle SEED]
 *
 * At the end, the fold of the rollups (PostgreSQL, fleet_db_fold) as index
 * does: not waiting when another runs.
 * --per-open: every crash opens the database, inserts in its own
 * transaction, folds (not waiting, as index does) and closes it, as one
 * host's index run does; prints the latencies (ms) of open+insert+commit
 * (and close) as "latency p50 p99 max FIRST P99REST" (FIRST: the first
 * crash's, which loads libpq; P99REST: the p99 of the others), and those of the fold step as
 * "fold p50 p99 max RAN SKIPPED" (the folds made, and those skipped for
 * another's).
 * --fold T: also a fold after every T transactions, and at the end,
 * waiting for another's (a test's folds at chosen points); --fold 0 with N
 * 0: one fold, waiting. --no-fold: none (the crashes stay in the queue).
 * --messy: crashes as a test needs them: some untimed (time 0), times in
 * quarter days (ties), some without host (or host ""), executable, package
 * version or build-id, four details.
 * --shuffle SEED: the crash numbers in a shuffled order (the same for the
 * same SEED).
 * --first K: crash numbers start at K (crash i's key depends on i only, so
 * two generators given overlapping ranges write the same crashes).
 * --paths 2: the odd hosts run each executable from /opt/appN/bin/appN
 * instead of /usr/bin/appN (one signature, two paths: for --exe PATH). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fleet.h"

static const char *const classes[] = { "null-deref", "abort", "stack-overflow", "heap-corruption",
                                       "wild-jump", "assert", "bus-error", "fpe" };

static uint64_t mix(uint64_t x)
{
        x += 0x9e3779b97f4a7c15ULL;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        return x ^ (x >> 31);
}

static double now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return x < y ? -1 : x > y;
}

#define MIN2(a, b) ((a) < (b) ? (a) : (b))

struct gen {
        char host[32], boot[48], exe[64], sig[17], sig_text[128], build_id[49], version[16], package[16], key[65],
                bundle[128], frame[32];
        struct fleet_crash c;
        unsigned drop; /* --messy: the fields it has not (DROP_*) */
};
enum { DROP_HOST = 1, EMPTY_HOST = 2, DROP_EXE = 4, DROP_VERSION = 8, DROP_BUILD_ID = 16 };

static int cmp_gen(const void *a, const void *b)
{
        const struct gen *x = a, *y = b;
        int c = strcmp(x->sig, y->sig);
        return c ? c : strcmp(x->key, y->key);
}

/* Points g->c's strings at g's buffers. */
static void relink(struct gen *g)
{
        g->c.key = g->key;
        g->c.bundle = g->bundle;
        g->c.host = g->host;
        g->c.exe = g->exe;
        g->c.crash_frame = g->frame;
        g->c.signature = g->sig;
        g->c.signature_text = g->sig_text;
        g->c.build_id = g->build_id;
        g->c.package = g->package;
        g->c.version = g->version;
        if (g->drop & DROP_HOST)
                g->c.host = NULL;
        if (g->drop & EMPTY_HOST)
                g->c.host = "";
        if (g->drop & DROP_EXE)
                g->c.exe = NULL;
        if (g->drop & DROP_VERSION)
                g->c.package = g->c.version = NULL;
        if (g->drop & DROP_BUILD_ID)
                g->c.build_id = NULL;
}

/* Crash number i: the same crash for the same i and seed. */
static void make(struct gen *g, uint64_t i, uint64_t seed, const double *cdf, double sum, uint64_t sigs,
                 uint64_t hosts, uint64_t days, int64_t now, uint64_t paths, int messy)
{
        uint64_t r = mix(i ^ (seed << 48));
        double u = (double)(r >> 11) / 9007199254740992.0 * sum;
        uint64_t lo = 0, hi = sigs - 1;
        while (lo < hi) {
                uint64_t mid = (lo + hi) / 2;
                if (cdf[mid] < u)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        uint64_t s = lo, h = mix(r) % hosts, app = s % 200;
        int64_t t = now - (int64_t)(mix(r + 1) % (days * 86400));
        /* three releases over the window: which one crashed */
        unsigned rel = (unsigned)((now - t) * 3 / (int64_t)(days * 86400 + 1));
        snprintf(g->host, sizeof(g->host), "host%05" PRIu64, h);
        snprintf(g->boot, sizeof(g->boot), "%016" PRIx64, mix(h + 7));
        if (paths > 1 && h % 2)
                snprintf(g->exe, sizeof(g->exe), "/opt/app%" PRIu64 "/bin/app%" PRIu64, app, app);
        else
                snprintf(g->exe, sizeof(g->exe), "/usr/bin/app%" PRIu64, app);
        snprintf(g->package, sizeof(g->package), "app%" PRIu64, app);
        snprintf(g->version, sizeof(g->version), "1.%u", 2 - rel);
        snprintf(g->build_id, sizeof(g->build_id), "%016" PRIx64 "%016" PRIx64 "%08x", mix(app), mix(app + rel),
                 (unsigned)rel);
        snprintf(g->sig, sizeof(g->sig), "%016" PRIx64, mix(s + 99));
        snprintf(g->frame, sizeof(g->frame), "f%" PRIu64, s);
        const char *cls = classes[s % 8];
        snprintf(g->sig_text, sizeof(g->sig_text), "v1|%s|app%" PRIu64 "|sig11|f%" PRIu64 "|main", cls, app, s);
        int pid = (int)(mix(r + 2) % 4000000) + 1;
        snprintf(g->bundle, sizeof(g->bundle), "/var/lib/corecollect/core.app%" PRIu64 ".%d.%" PRId64 ".zst", app,
                 pid, t);
        struct fleet_identity id = { .host = g->host, .boot_id = g->boot, .build_id = g->build_id, .pid = pid,
                                     .time = t };
        if (messy) {
                static const char *const details[] = { "d0", "d1", "d2", "d3" };
                uint64_t m = mix(r + 5);
                t -= t % 21600; /* ties */
                if (m % 6 == 0)
                        t = 0; /* unknown */
                id.time = t;
                fleet_crash_key(&id, g->key);
                g->c = (struct fleet_crash){ .pid = pid, .time = t, .signal = 11, .class_id = cls,
                                             .detail = details[(m >> 8) % 4], .confidence = "high" };
                g->drop = (m % 13 == 0   ? DROP_HOST
                           : m % 17 == 0 ? EMPTY_HOST
                                         : 0) |
                          (m % 11 == 0 ? DROP_EXE : 0) | (m % 5 == 0 ? DROP_VERSION : 0) |
                          (m % 7 == 0 ? DROP_BUILD_ID : 0);
                relink(g);
                return;
        }
        g->drop = 0;
        fleet_crash_key(&id, g->key);
        g->c = (struct fleet_crash){ .pid = pid, .time = t, .signal = 11, .class_id = cls, .detail = "synthetic",
                                     .confidence = "high" };
        relink(g);
}

int main(int argc, char **argv)
{
        if (argc < 3) {
                fprintf(stderr, "usage: fleetgen DB N [--hosts H] [--signatures S] [--days D] [--now EPOCH] "
                                "[--seed N] [--batch N] [--per-open] [--first K] [--paths P] [--fold T] [--no-fold]"
                                " [--messy] [--shuffle SEED]\n");
                return 64;
        }
        const char *db_path = argv[1];
        uint64_t n = strtoull(argv[2], NULL, 10), hosts = 10000, sigs = 2000, days = 30, seed = 1, batch = 10000,
                 first = 0, paths = 1, shuffle = 0;
        int64_t now = time(NULL), fold_every = -1;
        int per_open = 0, messy = 0, no_fold = 0;
        for (int i = 3; i < argc; i++) {
                const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "0";
                if (strcmp(a, "--per-open") == 0) {
                        per_open = 1;
                        continue;
                }
                if (strcmp(a, "--messy") == 0) {
                        messy = 1;
                        continue;
                }
                if (strcmp(a, "--no-fold") == 0) {
                        no_fold = 1;
                        continue;
                }
                i++;
                if (strcmp(a, "--fold") == 0)
                        fold_every = strtoll(v, NULL, 10);
                else if (strcmp(a, "--shuffle") == 0)
                        shuffle = strtoull(v, NULL, 10) + 1;
                else
                if (strcmp(a, "--hosts") == 0)
                        hosts = strtoull(v, NULL, 10);
                else if (strcmp(a, "--signatures") == 0)
                        sigs = strtoull(v, NULL, 10);
                else if (strcmp(a, "--days") == 0)
                        days = strtoull(v, NULL, 10);
                else if (strcmp(a, "--now") == 0)
                        now = strtoll(v, NULL, 10);
                else if (strcmp(a, "--seed") == 0)
                        seed = strtoull(v, NULL, 10);
                else if (strcmp(a, "--batch") == 0)
                        batch = strtoull(v, NULL, 10);
                else if (strcmp(a, "--paths") == 0)
                        paths = strtoull(v, NULL, 10);
                else if (strcmp(a, "--first") == 0)
                        first = strtoull(v, NULL, 10);
                else {
                        fprintf(stderr, "fleetgen: unknown option %s\n", a);
                        return 64;
                }
        }
        if (!hosts || !sigs || !days || !batch)
                return 64;
        double *cdf = malloc(sigs * sizeof(*cdf));
        double *lat = per_open ? malloc(n * sizeof(*lat)) : NULL;
        double *fold = per_open ? malloc(n * sizeof(*fold)) : NULL;
        if (!cdf || (per_open && (!lat || !fold)))
                return 1;
        /* --shuffle: the k-th crash written is number first + (k * step +
         * off) mod n, step prime to n */
        uint64_t step = 1, off = 0;
        if (shuffle && n > 1) {
                off = mix(shuffle) % n;
                step = mix(shuffle + 1) % n | 1;
                while (step > 1) {
                        uint64_t a = n, b = step;
                        while (b) {
                                uint64_t t = a % b;
                                a = b;
                                b = t;
                        }
                        if (a == 1)
                                break;
                        step++;
                }
                if (step <= 1)
                        step = 1;
        }
        uint64_t folds = 0, skipped = 0, transactions = 0;
        double sum = 0;
        for (uint64_t k = 0; k < sigs; k++)
                cdf[k] = (sum += 1.0 / pow((double)(k + 1), 1.1));
        struct fleet_db *db = NULL;
        if (!per_open && fleet_db_open(db_path, true, &db) < 0)
                return 2;
        /* a batch, sorted by signature and key as index sorts a run's
         * crashes (concurrent writers then take rows in one order) */
        struct gen *g = calloc(per_open ? 1 : batch, sizeof(*g));
        if (!g)
                return 1;
        double t0 = now_ms();
        uint64_t retries = 0;
        for (uint64_t i = first; i < first + n;) {
                uint64_t m = per_open ? 1 : MIN2(batch, first + n - i);
                for (uint64_t k = 0; k < m; k++)
                        make(&g[k], first + ((i - first + k) * step + off) % n, seed, cdf, sum, sigs, hosts, days, now,
                             paths, messy);
                if (!per_open) {
                        qsort(g, m, sizeof(*g), cmp_gen);
                        /* the crash's strings are its own buffers again (qsort moved them) */
                        for (uint64_t k = 0; k < m; k++)
                                relink(&g[k]);
                }
                double a = now_ms();
                if (per_open && (fleet_db_open(db_path, true, &db) < 0))
                        return 2;
                for (int attempt = 0;; attempt++) {
                        /* the crashes' months first, as index gives them */
                        for (uint64_t k = 0; k < m; k++)
                                fleet_db_months(db, &g[k].c.time, 1);
                        int bad = fleet_db_begin(db) < 0;
                        for (uint64_t k = 0; !bad && k < m; k++)
                                bad = (k + 1 < m ? fleet_db_add(db, &g[k].c) : fleet_db_add_commit(db, &g[k].c)) < 0;
                        if (!bad && fleet_db_commit(db) == 0)
                                break;
                        if (!fleet_db_retry(db) || attempt == 20) {
                                fprintf(stderr, "fleetgen: the transaction failed (attempt %d)\n", attempt + 1);
                                return 2;
                        }
                        fleet_db_rollback(db);
                        retries++;
                        usleep(10000 * (attempt + 1)); /* as index does: let the other side finish */
                }
                transactions++;
                double b = now_ms();
                if (!no_fold && (per_open || (fold_every > 0 && transactions % (uint64_t)fold_every == 0))) {
                        /* as index does after its commit; --fold: waiting */
                        int64_t r = fleet_db_fold(db, fold_every > 0);
                        if (r == -EIO)
                                return 2;
                        folds += r != -EBUSY;
                        skipped += r == -EBUSY;
                }
                double c = now_ms();
                if (per_open) {
                        fleet_db_close(db);
                        db = NULL;
                        lat[i - first] = (b - a) + (now_ms() - c);
                        fold[i - first] = c - b;
                }
                i += m;
        }
        free(g);
        if (!per_open) {
                /* as index does at its end; --fold: waiting */
                int64_t r = no_fold ? 0 : fleet_db_fold(db, fold_every >= 0);
                if (r == -EIO)
                        return 2;
                fleet_db_close(db);
        }
        double total = now_ms() - t0;
        printf("inserted %" PRIu64 " in %.0f ms (%.0f/s), %" PRIu64 " transactions run again\n", n, total,
               n / (total / 1e3), retries);
        if (per_open && n) {
                /* the first crash (the process' first connection: it loads
                 * libpq and its libraries), and the p99 of the others */
                double first_ms = lat[0];
                qsort(lat + 1, n - 1, sizeof(*lat), cmp_double);
                double rest99 = n > 1 ? lat[1 + ((n - 1) * 99) / 100] : 0;
                qsort(lat, n, sizeof(*lat), cmp_double);
                printf("latency %.3f %.3f %.3f %.3f %.3f\n", lat[n / 2], lat[(n * 99) / 100], lat[n - 1], first_ms,
                       rest99);
                qsort(fold, n, sizeof(*fold), cmp_double);
                printf("fold %.3f %.3f %.3f %" PRIu64 " %" PRIu64 "\n", fold[n / 2], fold[(n * 99) / 100], fold[n - 1],
                       folds, skipped);
        }
        free(lat);
        free(fold);
        free(cdf);
        return 0;
}
