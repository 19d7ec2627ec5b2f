/* Marks itself non-dumpable (prctl PR_SET_DUMPABLE 0), then dereferences
 * NULL: its core reaches the handler only with fs.suid_dumpable=2, with
 * dump mode 2, and must be readable by root only. */
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
