#include <errno.h>
#include "unwind.h"
int unwind_libunwind(struct unwinder *u, size_t i, const struct unwind_options *o,
                     struct thread_report *t)
{
        return -ENOTSUP;
}
