/* stack-exhaustion: mutual recursion is_even -> is_odd -> is_even at -O2
 * (sibling calls disabled so the compiler keeps the frames, as it would for
 * any pair that does work after the call). */
#include <stdio.h>
#include <stdlib.h>

long is_odd(long n);

__attribute__((noinline)) long is_even(long n)
{
        if (n == 0)
                return 1;
        return is_odd(n - 1) * 1;
}

__attribute__((noinline)) long is_odd(long n)
{
        if (n == 0)
                return 0;
        return is_even(n - 1) * 1;
}

int main(int argc, char **argv)
{
        long n = argc > 1 ? atol(argv[1]) : -1; /* negative: never reaches 0 */
        printf("%ld\n", is_even(n));
        return 0;
}
