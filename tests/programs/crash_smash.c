/* Test victim: a stack buffer overflow (no stack protector) overwrites the
 * saved frame pointer and return address with 'A's, so `ret` faults on a
 * non-canonical address and the stack above is garbage for unwinders. */
#include <string.h>

__attribute__((noinline)) static void smash(const char *src, size_t n)
{
        char buf[16];
        memcpy(buf, src, n); /* n = 48: 32 bytes too many */
        __asm__ volatile("" : : "r"(buf) : "memory");
}

int main(void)
{
        char junk[48];
        memset(junk, 0x41, sizeof(junk));
        smash(junk, sizeof(junk));
        return 0;
}
