/* null-deref: reading a field of a NULL struct pointer at -O2. The field is
 * at offset 0x10, so the fault address is 0x10, not 0. */
#include <stdio.h>
#include <stdlib.h>

struct config {
        long version;
        long flags;
        long timeout; /* offset 0x10 */
};

static struct config *lookup(const char *name)
{
        (void)name;
        return NULL; /* "not found", and nobody checks */
}

__attribute__((noinline)) long read_timeout(struct config *c)
{
        return c->timeout;
}

int main(int argc, char **argv)
{
        struct config *volatile c = lookup(argc > 1 ? argv[1] : "default");
        printf("%ld\n", read_timeout(c));
        return 0;
}
