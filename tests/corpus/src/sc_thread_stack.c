/* A recursive directory-like walk in a worker thread created with a 64 KiB
 * stack: deep input exhausts it long before the main thread's 8 MiB. */
#include <pthread.h>
#include <stdio.h>

__attribute__((noinline)) static long depth_sum(long n)
{
        volatile char pad[128];
        pad[0] = (char)n;
        if (n == 0)
                return 0;
        return pad[0] + depth_sum(n - 1);
}

static void *worker(void *arg)
{
        long r = depth_sum((long)arg);
        printf("%ld\n", r);
        return NULL;
}

int main(void)
{
        pthread_attr_t a;
        pthread_t t;
        pthread_attr_init(&a);
        pthread_attr_setstacksize(&a, 64 * 1024);
        pthread_create(&t, &a, worker, (void *)100000L);
        pthread_join(t, NULL);
        return 0;
}
