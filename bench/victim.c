/* Benchmark victim: THREADS threads parked DEPTH frames deep, a heap of
 * HEAP_MIB MiB (a third random bytes, a third text-like, a third allocated
 * but never touched), then a NULL dereference DEPTH frames deep in the main
 * thread. Just before the fault it writes CLOCK_REALTIME in nanoseconds to
 * STAMP_FILE, so the bench can time "crash to handler exit".
 *
 * usage: victim THREADS DEPTH HEAP_MIB STAMP_FILE
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static pthread_barrier_t ready;
static unsigned depth;
static volatile int forever = 1;

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static inline uint64_t next(void)
{
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return rng;
}

static void fill_random(uint8_t *p, size_t len)
{
        uint64_t *q = (uint64_t *)p;
        for (size_t i = 0; i < len / 8; i++)
                q[i] = next();
}

/* Looks like logs or config text: words from a small vocabulary, numbers,
 * spaces and newlines, so it compresses like real text (about 4:1 at zstd -1). */
static void fill_text(uint8_t *p, size_t len)
{
        static const char *words[] = {
                "the", "request", "failed", "with", "status", "connection", "timeout",
                "user", "session", "cache", "miss", "hit", "INFO", "WARN", "ERROR",
                "worker", "queue", "latency", "ms", "bytes", "retry", "backend",
                "GET", "POST", "/api/v1/items", "id=", "200", "404", "500", "ok",
                "json", "{\"key\":", "\"value\"}", "shard", "replica", "commit",
        };
        const size_t nw = sizeof(words) / sizeof(words[0]);
        size_t off = 0;
        while (off < len) {
                uint64_t r = next();
                char tmp[64];
                int n;
                if ((r & 7) == 0)
                        n = snprintf(tmp, sizeof(tmp), "%u ", (unsigned)(r >> 40) % 100000);
                else
                        n = snprintf(tmp, sizeof(tmp), "%s%c", words[(r >> 8) % nw],
                                     (r >> 20) % 12 == 0 ? '\n' : ' ');
                size_t take = (size_t)n < len - off ? (size_t)n : len - off;
                memcpy(p + off, tmp, take);
                off += take;
        }
}

__attribute__((noinline)) static void park(unsigned d)
{
        volatile char pad[64];
        pad[0] = (char)d;
        (void)pad[0];
        if (d > 1) {
                park(d - 1);
                __asm__ volatile("" ::: "memory");
                return;
        }
        pthread_barrier_wait(&ready);
        while (forever)
                pause();
}

static void *worker(void *arg)
{
        (void)arg;
        park(depth);
        return NULL;
}

static const char *stamp_file;

__attribute__((noinline)) static void crash(unsigned d)
{
        volatile char pad[64];
        pad[0] = (char)d;
        (void)pad[0];
        if (d > 1) {
                crash(d - 1);
                __asm__ volatile("" ::: "memory");
                return;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        FILE *f = fopen(stamp_file, "w");
        if (f) {
                fprintf(f, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
                fclose(f);
        }
        *(volatile int *)NULL = 1; /* the crash */
}

int main(int argc, char **argv)
{
        if (argc != 5) {
                fprintf(stderr, "usage: %s THREADS DEPTH HEAP_MIB STAMP_FILE\n", argv[0]);
                return 64;
        }
        unsigned threads = (unsigned)strtoul(argv[1], NULL, 10);
        depth = (unsigned)strtoul(argv[2], NULL, 10);
        size_t heap = (size_t)strtoull(argv[3], NULL, 10) << 20;
        stamp_file = argv[4];
        if (depth < 1)
                depth = 1;

        uint8_t *h = heap ? mmap(NULL, heap, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : NULL;
        if (h == MAP_FAILED) {
                perror("mmap");
                return 1;
        }
        size_t third = heap / 3 & ~(size_t)4095;
        fill_random(h, third);
        fill_text(h + third, third);
        /* the last third stays untouched: the kernel dumps it as zeros */

        pthread_barrier_init(&ready, NULL, threads + 1);
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 128u << 10);
        for (unsigned i = 0; i < threads; i++) {
                pthread_t t;
                if (pthread_create(&t, &attr, worker, NULL) != 0) {
                        perror("pthread_create");
                        return 1;
                }
                char name[16];
                snprintf(name, sizeof(name), "w%u", i % 100000u);
                pthread_setname_np(t, name);
        }
        pthread_barrier_wait(&ready);
        crash(depth);
        return 0;
}
