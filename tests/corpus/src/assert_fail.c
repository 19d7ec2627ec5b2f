/* assertion: assert(x > 0) fails (-O0). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static int average(const int *v, int count)
{
        assert(count > 0);
        int s = 0;
        for (int i = 0; i < count; i++)
                s += v[i];
        return s / count;
}

int main(int argc, char **argv)
{
        int v[4] = { 1, 2, 3, 4 };
        printf("%d\n", average(v, argc > 1 ? atoi(argv[1]) : 0));
        return 0;
}
