/* A log prefix built with sprintf into a fixed stack buffer: a long host
 * name overruns it and clobbers the stack canary; on return the stack
 * protector calls __stack_chk_fail: "*** stack smashing detected ***". */
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) static int format_prefix(const char *host, int pid)
{
        char prefix[24];
        sprintf(prefix, "[%s:%d] ", host, pid);
        return (int)strlen(prefix);
}

int main(void)
{
        const char *host = "build-worker-0042.ci.internal.example.org";
        printf("%d\n", format_prefix(host, 31337));
        return 0;
}
