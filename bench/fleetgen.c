/* A synthetic fleet for bench/fleet: N crashes of H hosts over D days, S
 * signatures drawn with a Zipf distribution (s = 1.1), written through the
 * project's own insert code (fleet_db_add: the crash and its rollups), so
 * the rows are what `coreinspect index` writes. Memory is constant (one
 * crash at a time, the Zipf table of S doubles).
 *
 * fleetgen DB N [--hosts H] [--signatures S] [--days D] [--now EPOCH]
 *               [--seed N] [--batch N] [--per-open] [--first K] [--paths P]
 *
 * --per-open: every crash opens the database, inserts in its own
 * transaction and closes it, as one host's index run does; prints the
 * latencies (ms) of open+insert+commit as "latency p50 p99 max".
 * --first K: crash numbers start at K (crash i's key depends on i only, so
 * two generators given overlapping ranges write the same crashes).
 * --paths 2: the odd hosts run each executable from /opt/appN/bin/appN
 * instead of /usr/bin/appN (one signature, two paths: for --exe PATH). */
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
};

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
}

/* Crash number i: the same crash for the same i and seed. */
static void make(struct gen *g, uint64_t i, uint64_t seed, const double *cdf, double sum, uint64_t sigs,
                 uint64_t hosts, uint64_t days, int64_t now, uint64_t paths)
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
        fleet_crash_key(&id, g->key);
        g->c = (struct fleet_crash){ .pid = pid, .time = t, .signal = 11, .class_id = cls, .detail = "synthetic",
                                     .confidence = "high" };
        relink(g);
}

int main(int argc, char **argv)
{
        if (argc < 3) {
                fprintf(stderr, "usage: fleetgen DB N [--hosts H] [--signatures S] [--days D] [--now EPOCH] "
                                "[--seed N] [--batch N] [--per-open] [--first K] [--paths P]\n");
                return 64;
        }
        const char *db_path = argv[1];
        uint64_t n = strtoull(argv[2], NULL, 10), hosts = 10000, sigs = 2000, days = 30, seed = 1, batch = 10000,
                 first = 0, paths = 1;
        int64_t now = time(NULL);
        int per_open = 0;
        for (int i = 3; i < argc; i++) {
                const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "0";
                if (strcmp(a, "--per-open") == 0) {
                        per_open = 1;
                        continue;
                }
                i++;
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
        if (!cdf || (per_open && !lat))
                return 1;
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
                        make(&g[k], i + k, seed, cdf, sum, sigs, hosts, days, now, paths);
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
                        int bad = fleet_db_begin(db) < 0;
                        for (uint64_t k = 0; !bad && k < m; k++)
                                bad = fleet_db_add(db, &g[k].c) < 0;
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
                if (per_open) {
                        fleet_db_close(db);
                        db = NULL;
                        lat[i - first] = now_ms() - a;
                }
                i += m;
        }
        free(g);
        if (!per_open)
                fleet_db_close(db);
        double total = now_ms() - t0;
        printf("inserted %" PRIu64 " in %.0f ms (%.0f/s), %" PRIu64 " transactions run again\n", n, total,
               n / (total / 1e3), retries);
        if (per_open && n) {
                qsort(lat, n, sizeof(*lat), cmp_double);
                printf("latency %.3f %.3f %.3f\n", lat[n / 2], lat[(n * 99) / 100], lat[n - 1]);
        }
        free(lat);
        free(cdf);
        return 0;
}
