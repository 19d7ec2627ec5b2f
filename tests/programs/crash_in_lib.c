/* Test victim: crashes inside libcrashlib.so. */
#include <stdio.h>
#include "crashlib.h"

int main(void)
{
        const int *volatile values = NULL;
        printf("%d\n", crashlib_sum(values, 4));
        return 0;
}
