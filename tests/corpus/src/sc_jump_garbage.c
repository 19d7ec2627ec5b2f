/* A dispatch table indexed by an unchecked opcode: the "handler" read from
 * past the table is an integer, called as code. */
#include <stdio.h>
#include <stdlib.h>

typedef int (*handler)(int);
static int op_inc(int x) { return x + 1; }
static int op_dec(int x) { return x - 1; }

struct vm { handler ops[2]; long counters[4]; };
static struct vm m = { { op_inc, op_dec }, { 0x41414141, 0x42424242, 3, 4 } };

__attribute__((noinline)) static int execute(int op, int x)
{
        return m.ops[op](x);
}

int main(int argc, char **argv)
{
        int op = argc > 1 ? atoi(argv[1]) : 3;
        printf("%d\n", execute(op, 10));
        return 0;
}
