/* stack-exhaustion: one frame too big for the 8 MiB stack (a 64 MiB VLA
 * whose size comes from the input). No recursion: a single frame. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static int checksum_copy(const char *src, size_t n)
{
        char copy[n]; /* VLA on the stack */
        memset(copy, 0, n);
        strncpy(copy, src, n - 1);
        int sum = 0;
        for (size_t i = 0; i < n; i += 4096)
                sum += copy[i];
        return sum;
}

int main(int argc, char **argv)
{
        size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 64u << 20;
        printf("%d\n", checksum_copy("data", n));
        return 0;
}
