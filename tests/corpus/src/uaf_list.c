// use-after-free: a list node is freed, then the list is walked through it
// (node->next->value). glibc's tcache put its random key in the freed node's
// second word, where `next` was: loading it gives a garbage pointer.
#include <stdio.h>
#include <stdlib.h>

struct node {
        int value;
        struct node *next;
};

__attribute__((noinline)) static int second_value(const struct node *head)
{
        return head->next->value;
}

int main(void)
{
        struct node *b = malloc(sizeof(*b));
        struct node *a = malloc(sizeof(*a));
        b->value = 2, b->next = NULL;
        a->value = 1, a->next = b;
        printf("%d\n", second_value(a));
        free(b);
        free(a);
        printf("%d\n", second_value(a));
        return 0;
}
