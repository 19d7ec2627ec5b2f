/* buffer-overflow: the classic off-by-one. strcpy of a 24-character string
 * into malloc(24) writes its NUL terminator onto the low byte of the next
 * chunk's size field (0x21 -> 0x00); freeing that next chunk makes glibc
 * abort with "free(): invalid pointer". (-O0) */
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void set_name(char **dst, const char *s)
{
        *dst = malloc(strlen(s)); /* forgot the + 1 */
        strcpy(*dst, s);
}

__attribute__((noinline)) static void release(char *p)
{
        free(p);
}

int main(void)
{
        char *name;
        char *next;
        set_name(&name, "abcdefghijklmnopqrstuvwx"); /* 24 chars */
        next = malloc(24);                           /* the chunk right after */
        memset(next, 0, 24);
        strcpy(name, "ABCDEFGHIJKLMNOPQRSTUVWX");    /* renamed: again 24 + NUL */
        release(next); /* its size field lost its low byte: 0x21 -> 0x00 */
        free(name);
        return 0;
}
