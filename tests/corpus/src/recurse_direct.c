/* stack-exhaustion: unbounded direct recursion (-O0): a tree walk whose
 * "children" loop back to the node. */
#include <stdio.h>

struct node {
        struct node *child;
        int value;
};

__attribute__((noinline)) static long walk(struct node *n)
{
        char scratch[64];
        scratch[n->value & 63] = (char)n->value;
        if (!n)
                return 0;
        return n->value + walk(n->child) + scratch[0];
}

int main(void)
{
        struct node a = { .value = 1 };
        a.child = &a; /* a cycle */
        printf("%ld\n", walk(&a));
        return 0;
}
