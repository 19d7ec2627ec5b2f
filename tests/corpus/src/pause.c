/* external-signal: a process that waits in pause(); the test sends it a
 * signal with kill(1). Prints "ready" when it is about to wait. -O0 */
#include <stdio.h>
#include <unistd.h>

__attribute__((noinline)) static void wait_for_work(void)
{
        printf("ready\n");
        fflush(stdout);
        for (;;)
                pause();
}

int main(void)
{
        wait_for_work();
        return 0;
}
