/* A plugin table whose optional hook was never filled in: calling it jumps
 * to address 0. */
#include <stdio.h>

struct plugin { const char *name; int (*init)(void); void (*shutdown)(void); };

static int demo_init(void) { return 0; }
static struct plugin demo = { "demo", demo_init, NULL };

__attribute__((noinline)) static void unload(struct plugin *p)
{
        printf("unloading %s\n", p->name);
        p->shutdown();
        printf("done\n");
}

int main(void)
{
        demo.init();
        unload(&demo);
        return 0;
}
