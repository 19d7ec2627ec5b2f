/* illegal-instruction (privileged): a tiny code generator puts its constant
 * pool in front of the code in the same executable page and calls the page
 * start instead of the code's offset. The first pool byte 0xec decodes as
 * `in al, dx`, a port read that user mode may not do: a general-protection
 * fault, SIGSEGV with SI_KERNEL and no memory address at all. gcc -O2 */
#include <string.h>
#include <sys/mman.h>

struct jit {
        unsigned char *page;
        size_t code_off;
};

__attribute__((noinline)) static void emit(struct jit *j)
{
        static const unsigned char pool[] = { 0xec, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00 };
        static const unsigned char code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 }; /* mov eax, 42; ret */
        j->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        memcpy(j->page, pool, sizeof(pool));
        memcpy(j->page + sizeof(pool), code, sizeof(code));
        j->code_off = sizeof(pool);
}

__attribute__((noinline)) static int call_generated(struct jit *j)
{
        return ((int (*)(void))(void *)j->page)(); /* bug: forgot + j->code_off */
}

int main(void)
{
        struct jit j;
        emit(&j);
        return call_generated(&j) == 42 ? 0 : 1;
}
