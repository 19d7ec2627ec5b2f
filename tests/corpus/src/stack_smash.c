/* buffer-overflow: a stack buffer overrun caught by the stack protector
 * (-O0 -fstack-protector-strong): "*** stack smashing detected ***". */
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) static void parse_name(const char *line)
{
        char name[16];
        strcpy(name, line); /* no length check */
        printf("%s\n", name);
}

int main(int argc, char **argv)
{
        parse_name(argc > 1 ? argv[1] : "a user name that is much longer than sixteen bytes");
        return 0;
}
