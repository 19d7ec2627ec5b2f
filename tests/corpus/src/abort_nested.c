/* abort: abort() called by the program itself, three calls deep (-O0). */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void fatal(const char *what)
{
        fprintf(stderr, "fatal: %s\n", what);
        abort();
}

__attribute__((noinline)) static void check_state(int state)
{
        if (state != 1)
                fatal("unexpected state");
}

int main(void)
{
        check_state(3);
        return 0;
}
