/* use-after-free: a callback struct is freed and then called through. The
 * freed chunk's first word is now the tcache "next" pointer (safe-linked:
 * chunk address >> 12 when the bin was empty), so the call jumps to a small
 * unmapped address derived from the heap. (-O0) */
#include <stdio.h>
#include <stdlib.h>

struct handler {
        void (*on_event)(int);
        char name[24];
};

static void print_event(int e) { printf("event %d\n", e); }

__attribute__((noinline)) static void dispatch(struct handler *h, int e)
{
        h->on_event(e);
}

int main(void)
{
        struct handler *h = malloc(sizeof(*h));
        h->on_event = print_event;
        dispatch(h, 1);
        free(h);       /* unregistered... */
        dispatch(h, 2); /* ...but still in use */
        return 0;
}
