/* double-free: with the tcache bin full (7 chunks of the size), the chunk
 * goes to a fastbin and glibc's fastbin check aborts:
 * "double free or corruption (fasttop)". (-O2) */
#include <stdlib.h>
#include <string.h>

static volatile int dropped;

__attribute__((noinline)) static void drop(void *p)
{
        free(p);
        dropped++; /* not a tail call: drop stays on the stack */
}

int main(void)
{
        void *keep[7];
        for (int i = 0; i < 7; i++)
                keep[i] = malloc(40);
        void *a = calloc(1, 40);
        for (int i = 0; i < 7; i++)
                drop(keep[i]); /* fills the tcache bin for this size */
        drop(a);
        drop(a);
        return 0;
}
