/* division-by-zero: integer division by a divisor read from argv ("0"). -O0 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static int per_item(int total, int items)
{
        return total / items;
}

int main(int argc, char **argv)
{
        int items = argc > 1 ? atoi(argv[1]) : 0;
        printf("%d\n", per_item(1000, items));
        return 0;
}
