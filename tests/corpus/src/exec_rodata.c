/* wild-jump (executing data): a command table indexed past its handlers
 * runs into the names that follow them in the same struct, so the "handler"
 * is the address of a string in .rodata (r--p, not executable): SIGSEGV
 * SEGV_ACCERR with si_addr == pc in the program's read-only data.
 * clang -O2 */
#include <stdio.h>
#include <stdlib.h>

typedef void (*handler_fn)(void);

static void do_open(void) { puts("open"); }
static void do_close(void) { puts("close"); }

static struct {
        handler_fn handlers[2];
        const char *names[2];
} table = { { do_open, do_close }, { "open", "close" } };

__attribute__((noinline)) static void dispatch(int cmd)
{
        /* bug: the bound is the size of the whole table, not of handlers */
        if (cmd < 0 || (size_t)cmd >= sizeof(table) / sizeof(table.handlers[0]))
                return;
        table.handlers[cmd]();
}

int main(int argc, char **argv)
{
        dispatch(0);
        dispatch(argc > 1 ? atoi(argv[1]) : 2);
        return 0;
}
