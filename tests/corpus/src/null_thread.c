/* null-deref: a worker thread writes through a NULL pointer (-O0). */
#include <pthread.h>
#include <stddef.h>

struct job {
        int *result;
};

__attribute__((noinline)) static void store_result(struct job *j, int v)
{
        *j->result = v; /* result was never allocated */
}

static void *worker(void *arg)
{
        store_result(arg, 42);
        return NULL;
}

int main(void)
{
        struct job j = { .result = NULL };
        pthread_t t;
        pthread_create(&t, NULL, worker, &j);
        pthread_join(t, NULL);
        return 0;
}
