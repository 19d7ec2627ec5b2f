/* wild-jump: a stack buffer overflow without stack protector
 * (-O0 -fno-stack-protector) overwrites the saved return address with
 * 'AAAAAAAA' (non-canonical): the ret instruction faults (SIGSEGV SI_KERNEL). */
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) static void copy_field(const char *in)
{
        char field[16];
        strcpy(field, in);
        printf("%.4s\n", field);
}

int main(int argc, char **argv)
{
        copy_field(argc > 1 ? argv[1] : "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        return 0;
}
