/* buffer-overflow: _FORTIFY_SOURCE=2 at -O2 turns memcpy into a fixed-size
 * local buffer into __memcpy_chk, which aborts at run time with
 * "*** buffer overflow detected ***: terminated". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void print_tag(const char *src, size_t n)
{
        char tag[8];
        memcpy(tag, src, n); /* n comes from the input */
        printf("%.8s\n", tag);
}

int main(int argc, char **argv)
{
        const char *src = "0123456789abcdefghijklmnopqrstuvwxyz";
        size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 32;
        print_tag(src, n);
        return 0;
}
