/* buffer-overflow (heap, many bytes): set_title() copies a user-supplied
 * title into a 24-byte buffer with strcpy. The 43 bytes (42 and the NUL) run through the
 * next chunk's header (its size field now holds text) into the next
 * object; glibc notices only when that object is freed:
 * "free(): invalid size". gcc -O0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct doc {
        char *title;
        char *body;
};

__attribute__((noinline)) static void set_title(struct doc *d, const char *t)
{
        strcpy(d->title, t);
}

__attribute__((noinline)) static void close_doc(struct doc *d)
{
        free(d->body);
        free(d->title);
}

int main(int argc, char **argv)
{
        struct doc d = { malloc(24), malloc(24) };
        strcpy(d.body, "body");
        set_title(&d, argc > 1 ? argv[1] : "Quarterly report, final, do not distribute");
        printf("%s\n", d.title);
        close_doc(&d);
        return 0;
}
