/* heap-corruption: a heap overflow that overwrites the top chunk's size;
 * the next allocation from the top aborts with "malloc(): corrupted top size". (-O0) */
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static char *read_record(size_t claimed)
{
        char *rec = malloc(24);
        memset(rec, 0xff, claimed); /* claimed length > allocated length */
        return rec;
}

int main(void)
{
        char *r = read_record(40);
        char *big = malloc(4096);
        big[0] = r[0];
        return 0;
}
