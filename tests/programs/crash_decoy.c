/* Test victim: a jump to an address mapped nowhere (0x10) with no frame
 * to unwind (rbp 0, no call: the word at sp is no return address), from a
 * stack full of pointers into this program's writable data whose 8 bytes
 * before look like the end of a call instruction (e8 and a rel32). The
 * stack scan must not take them for return addresses: they are not in
 * executable memory (the core's PT_LOAD there has no PF_X). */
#include <stdint.h>
#include <stdio.h>

unsigned char crash_decoy_data[32] = { 0x90, 0x90, 0x90, 0xe8, 1, 2, 3, 4, 0x55 };

int main(void)
{
        void *volatile decoys[64];
        for (int i = 0; i < 64; i++)
                decoys[i] = &crash_decoy_data[8];
        printf("%p\n", (void *)&crash_decoy_data[8]);
        fflush(stdout);
        __asm__ volatile("mov %0, %%rsp\n\txor %%ebp, %%ebp\n\tjmp *%1"
                         :
                         : "r"(&decoys[0]), "r"((uintptr_t)0x10)
                         : "memory");
        return 0;
}
