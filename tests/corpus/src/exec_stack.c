/* wild-jump (executing data): a "fast path" copies a code template into a
 * stack buffer and calls it. The stack is not executable (no -z execstack),
 * so the CPU faults fetching the first instruction: SIGSEGV SEGV_ACCERR with
 * si_addr == pc inside [stack]. The first byte there is 0xc3 (ret): the
 * report must not describe a `ret` that never ran. gcc -O0 */
#include <string.h>

typedef int (*thunk_fn)(void);

__attribute__((noinline)) static int run_thunk(const unsigned char *tmpl, size_t n)
{
        unsigned char code[32];
        memcpy(code, tmpl, n);
        return ((thunk_fn)(void *)code)();
}

int main(void)
{
        static const unsigned char tmpl[] = { 0xc3, 0x90, 0x90, 0x90 }; /* ret; nop... */
        return run_thunk(tmpl, sizeof(tmpl));
}
