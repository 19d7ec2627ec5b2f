/* division-by-zero class, INT_MIN / -1: the quotient overflows and x86-64's
 * idiv raises the same #DE as a division by zero (SIGFPE, FPE_INTDIV). -O2 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) int scale(int value, int divisor)
{
        return value / divisor;
}

int main(int argc, char **argv)
{
        int d = argc > 1 ? atoi(argv[1]) : -1;
        printf("%d\n", scale(INT_MIN, d));
        return 0;
}
