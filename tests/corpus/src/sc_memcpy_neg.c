/* A length computed as end - start with start > end: memcpy gets a
 * "negative" size_t and copies until it runs off a mapping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void copy_field(char *dst, const char *start, const char *end)
{
        memcpy(dst, start, (size_t)(end - start));
}

int main(void)
{
        const char *line = "key=value";
        char *out = malloc(64);
        const char *eq = strchr(line, '=');
        copy_field(out, eq + 1, eq);    /* start and end swapped: size -1 */
        puts(out);
        free(out);
        return 0;
}
