/* Marks itself non-dumpable (prctl PR_SET_DUMPABLE 0), then dereferences
 * NULL: the kernel dumps no core of it at all (suid_dumpable=2 covers
 * set-id execs only); a bundle of it, if any, must be root's only. */
#include <stddef.h>
#include <sys/prctl.h>

int main(void)
{
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
                return 2;
        volatile int *p = NULL;
        *p = 1;
        return 0;
}
