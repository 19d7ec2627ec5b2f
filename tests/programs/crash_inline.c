/* Test victim: the fault happens in a function inlined twice over, built
 * with -O2 so the inline frames exist only in DWARF. */
#include <stdlib.h>

static inline __attribute__((always_inline)) void poke(int *p, int v)
{
        __asm__ volatile("" : "+r"(v)); /* keeps poke's own instructions */
        *p = v ^ 0x55; /* NULL: SIGSEGV */
}

static inline __attribute__((always_inline)) void middle(int *p, int v)
{
        poke(p, v + 1);
}

__attribute__((noinline)) void outer(int *p, int v)
{
        middle(p, v * 2);
        __asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
        int *volatile p = NULL;
        outer(p, argc);
        return 0;
}
