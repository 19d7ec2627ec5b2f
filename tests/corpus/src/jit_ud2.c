/* illegal-instruction: executing generated code: a PROT_EXEC page holding
 * 0f 0b (ud2), called through a function pointer. -O0 */
#include <string.h>
#include <sys/mman.h>

__attribute__((noinline)) static void run_generated(const unsigned char *code, size_t n)
{
        void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        memcpy(page, code, n);
        mprotect(page, 4096, PROT_READ | PROT_EXEC);
        ((void (*)(void))page)();
}

int main(void)
{
        static const unsigned char code[] = { 0x90, 0x90, 0x0f, 0x0b, 0xc3 }; /* nop nop ud2 ret */
        run_generated(code, sizeof(code));
        return 0;
}
