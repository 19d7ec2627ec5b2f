/* Test victim: fills MIB mebibytes of heap (random bytes, so it does not
 * compress) and then dereferences NULL. Used for budgets and memory bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
        size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 64;
        if (mib > 4096)
                mib = 4096;
        uint64_t x = 0x9e3779b97f4a7c15ULL;
        uint64_t *heap = malloc(mib << 20);
        if (!heap)
                return 3;
        for (size_t i = 0; i < (mib << 20) / 8; i++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                heap[i] = x;
        }
        volatile int *p = NULL;
        *p = (int)heap[7];
        return 0;
}
