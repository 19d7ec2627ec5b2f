/* A shared library whose function dereferences the pointer it is given. */
#include "crashlib.h"

int crashlib_sum(const int *values, int n)
{
        int s = 0;
        for (int i = 0; i < n; i++)
                s += values[i]; /* values is NULL: the fault is in this library */
        return s;
}
