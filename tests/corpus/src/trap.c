/* illegal-instruction: __builtin_trap() compiles to ud2 (SIGILL, ILL_ILLOPN),
 * here on an "unreachable" switch default. -O2 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static const char *color_name(int c)
{
        switch (c) {
        case 0: return "red";
        case 1: return "green";
        case 2: return "blue";
        }
        __builtin_trap();
}

int main(int argc, char **argv)
{
        puts(color_name(argc > 1 ? atoi(argv[1]) : 7));
        return 0;
}
