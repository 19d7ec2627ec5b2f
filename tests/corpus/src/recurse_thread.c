/* stack-exhaustion: unbounded recursion in a worker thread (pthread stack
 * with a guard page), -O0. */
#include <pthread.h>
#include <stdio.h>

__attribute__((noinline)) static int descend(int depth)
{
        volatile char buf[128];
        buf[depth & 127] = 1;
        return descend(depth + 1) + buf[0];
}

static void *worker(void *arg)
{
        (void)arg;
        printf("%d\n", descend(0));
        return NULL;
}

int main(void)
{
        pthread_t t;
        pthread_create(&t, NULL, worker, NULL);
        pthread_join(t, NULL);
        return 0;
}
