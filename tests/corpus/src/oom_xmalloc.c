/* oom: an xmalloc that aborts when malloc returns NULL. The runner sets a
 * small address-space limit (ulimit -v), so a growing cache runs out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void *xmalloc(size_t n)
{
        void *p = malloc(n);
        if (!p) {
                fprintf(stderr, "xmalloc: out of memory allocating %zu bytes\n", n);
                abort();
        }
        return p;
}

struct entry {
        struct entry *next;
        char data[];
};

int main(void)
{
        struct entry *cache = NULL;
        for (;;) {
                struct entry *e = xmalloc(sizeof(*e) + (1 << 20));
                memset(e->data, 1, 1 << 20); /* touch it: really used memory */
                e->next = cache;
                cache = e;
        }
        return 0;
}
