/* buffer-overflow (global): a table in .bss is cleared with the size of
 * the wrong object; the write runs off the end of the program's writable
 * data segment into the unmapped gap above it. clang -O0 */
#include <stdio.h>
#include <stdlib.h>

static int histogram[256];

__attribute__((noinline)) static void reset(int *table, size_t entries)
{
        for (size_t i = 0; i < entries; i++)
                table[i] = -1;
}

int main(int argc, char **argv)
{
        size_t n = strtoul(argc > 1 ? argv[1] : "100000000", NULL, 10);
        reset(histogram, n);
        printf("%d\n", histogram[0]);
        return 0;
}
