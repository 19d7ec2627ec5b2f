/* Test victim: the classic off-by-one of a string copy. malloc(strlen(s))
 * forgets the NUL, so copying a 24-character string into malloc(24) writes
 * its terminator on the low byte of the next chunk's size field (0x31 becomes
 * 0). Two freed 64-byte buffers leave tcache entries (and the process's
 * tcache key) in the heap. free() of the next chunk then makes glibc abort
 * with "free(): invalid pointer" (a size of 0 fails its first check).
 * Usage: heap_offbyone [STRING] (default: 24 characters). */
#include <stdlib.h>
#include <string.h>

/* Out of line, so the compiler does not see the sizes meet. */
__attribute__((noinline)) static void set_name(char *dst, const char *name)
{
        strcpy(dst, name); /* the deliberate overflow: strlen(name) + 1 bytes */
}

int main(int argc, char **argv)
{
        const char *name = argc > 1 ? argv[1] : "ABCDEFGHIJKLMNOPQRSTUVWX";
        char *old1 = malloc(64);
        char *old2 = malloc(64);
        char *keep = malloc(100);
        if (!old1 || !old2 || !keep)
                return 3;
        memset(keep, 'k', 100);
        free(old1);
        free(old2);

        char *copy = malloc(strlen(name)); /* the bug: no room for the NUL */
        char *next = malloc(40);           /* the 0x30 chunk right after it */
        if (!copy || !next)
                return 3;
        memset(next, 0, 40);
        set_name(copy, name);
        free(next); /* free(): invalid size */
        free(copy);
        free(keep);
        return 0;
}
