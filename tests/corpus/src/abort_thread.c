/* abort: abort() in one of four worker threads (-O2 -pthread). */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_barrier_t ready;

__attribute__((noinline)) static void *worker(void *arg)
{
        long id = (long)arg;
        pthread_barrier_wait(&ready);
        if (id == 2)
                abort(); /* worker 2 gives up */
        pause();
        return NULL;
}

int main(void)
{
        pthread_t t[4];
        pthread_barrier_init(&ready, NULL, 4);
        for (long i = 0; i < 4; i++)
                pthread_create(&t[i], NULL, worker, (void *)i);
        for (int i = 0; i < 4; i++)
                pthread_join(t[i], NULL);
        return 0;
}
