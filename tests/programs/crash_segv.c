/* Test victim: a NULL store in main's callee. With an argument "wait", it
 * first waits for a line on stdin so a test can act before the crash. */
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) static void store_through(int *p, int v)
{
        *p = v; /* p is NULL: SIGSEGV, SEGV_MAPERR at address 0 */
}

int main(int argc, char **argv)
{
        if (argc > 1 && strcmp(argv[1], "wait") == 0) {
                char line[16];
                printf("ready\n");
                fflush(stdout);
                if (!fgets(line, sizeof(line), stdin))
                        return 2;
        }
        int *volatile p = NULL;
        store_through(p, 42);
        return 0;
}
