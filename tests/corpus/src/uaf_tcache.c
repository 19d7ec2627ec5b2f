/* use-after-free: a connection is freed, then its state is still written
 * ("closed" over the first 8 bytes, where the tcache keeps its safe-linked
 * next pointer); two allocations later glibc finds a misaligned tcache
 * entry: "malloc(): unaligned tcache chunk detected". Run with ASLR off
 * (setarch -R) so the heap address, which safe-linking mixes into the
 * pointer, is the same on every run. (-O0) */
#include <stdlib.h>
#include <string.h>

struct conn {
        char state[8];
        int fd;
        char peer[20];
};

__attribute__((noinline)) static void mark_closed(struct conn *c)
{
        memcpy(c->state, "closed\0", 8);
}

__attribute__((noinline)) static struct conn *new_conn(void)
{
        return malloc(sizeof(struct conn));
}

int main(void)
{
        struct conn *a = new_conn(), *b = new_conn();
        free(b);
        free(a);        /* tcache: a -> b */
        mark_closed(a); /* use after free: a's next pointer is now text */
        new_conn();     /* returns a; the bin head is now the garbage */
        new_conn();     /* aborts */
        return 0;
}
