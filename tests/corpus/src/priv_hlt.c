/* illegal-instruction (privileged): a "can't happen" path ends in `hlt`, as
 * firmware code does; in user mode hlt is a general-protection fault
 * (SIGSEGV, SI_KERNEL), not a memory access. gcc -O0 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void halt_forever(const char *why)
{
        fprintf(stderr, "fatal: %s\n", why);
        for (;;)
                __asm__ volatile("hlt");
}

int main(int argc, char **argv)
{
        (void)argv;
        if (argc < 5)
                halt_forever("not enough arguments");
        return 0;
}
