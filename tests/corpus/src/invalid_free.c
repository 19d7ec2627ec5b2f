/* heap-corruption: free() of a pointer into the middle of a heap block
 * (after advancing it past a prefix): "free(): invalid pointer". (-O2) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static char *skip_prefix(char *s)
{
        while (*s == ' ' || *s == '\t')
                s++;
        return s;
}

int main(void)
{
        char *line = malloc(64);
        strcpy(line, "        comment text");
        char *text = skip_prefix(line);
        puts(text);
        free(text); /* should have been free(line) */
        return 0;
}
