/* Upper-casing a string literal in place: the literal lives in read-only
 * data, the store faults with SEGV_ACCERR. */
#include <ctype.h>
#include <stdio.h>

__attribute__((noinline)) static void upcase(char *s)
{
        for (; *s; s++)
                *s = (char)toupper((unsigned char)*s);
}

int main(void)
{
        char *greeting = "hello, world";
        upcase(greeting);
        puts(greeting);
        return 0;
}
