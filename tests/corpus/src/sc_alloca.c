/* alloca sized from input: 32 MiB on an 8 MiB stack. */
#include <alloca.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static long checksum(size_t n)
{
        unsigned char *buf = alloca(n);
        long s = 0;
        memset(buf, 1, n);
        for (size_t i = 0; i < n; i += 4096)
                s += buf[i];
        return s;
}

int main(int argc, char **argv)
{
        size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1024;
        printf("%ld\n", checksum(n));
        return 0;
}
