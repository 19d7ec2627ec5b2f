/* buffer-overflow (heap): the last allocation of the heap is filled with a
 * count read from the input; the write runs through the top chunk and faults
 * on the first byte past the end of [heap]. gcc -O2 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void fill_samples(short *s, size_t count)
{
        for (size_t i = 0; i < count; i++)
                ((volatile short *)s)[i] = (short)(i & 0x7fff);
}

int main(int argc, char **argv)
{
        size_t count = strtoul(argc > 1 ? argv[1] : "100000000", NULL, 10);
        short *samples = malloc(256 * sizeof(short));
        fill_samples(samples, count);
        printf("%d\n", samples[0]);
        free(samples);
        return 0;
}
