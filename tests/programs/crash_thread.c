/* Test victim: N threads (default 4) block; worker number 2 dereferences
 * NULL once all have started. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_barrier_t started;

__attribute__((noinline)) static void worker_fault(volatile int *p) { *p = 1; }

static void *worker(void *arg)
{
        long id = (long)arg;
        pthread_barrier_wait(&started);
        if (id == 2)
                worker_fault(NULL);
        for (;;)
                pause();
        return NULL;
}

int main(int argc, char **argv)
{
        long n = argc > 1 ? strtol(argv[1], NULL, 10) : 4;
        if (n < 3 || n > 512)
                n = 4;
        pthread_barrier_init(&started, NULL, (unsigned)n);
        pthread_t t[512];
        for (long i = 0; i < n; i++)
                pthread_create(&t[i], NULL, worker, (void *)i);
        for (;;)
                pause();
}
