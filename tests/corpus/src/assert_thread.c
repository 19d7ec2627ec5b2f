/* assertion: an assert in a worker thread, -O2 (assertions on: no NDEBUG). */
#include <assert.h>
#include <pthread.h>
#include <stddef.h>

struct queue {
        int head, tail, size;
};

__attribute__((noinline)) static void queue_check(const struct queue *q)
{
        assert(q->head <= q->tail && "queue indices crossed");
}

static void *consumer(void *arg)
{
        queue_check(arg);
        return NULL;
}

int main(void)
{
        struct queue q = { .head = 5, .tail = 3, .size = 8 };
        pthread_t t;
        pthread_create(&t, NULL, consumer, &q);
        pthread_join(t, NULL);
        return 0;
}
