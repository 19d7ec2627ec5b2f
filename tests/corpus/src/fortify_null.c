/* null-deref inside a _FORTIFY_SOURCE wrapper inlined into the program:
 * copy_header() copies a fixed-size header from a record that lookup()
 * did not find (NULL). memcpy is the inline wrapper of
 * bits/string_fortified.h, expanded into loads from [rsi]: the crash frame
 * is copy_header, not memcpy. gcc -O2 -D_FORTIFY_SOURCE=2 */
#include <stdio.h>
#include <string.h>

struct record {
        char key[8];
        char header[24];
};

static struct record table[] = { { "a", "alpha header" }, { "b", "beta header" } };

__attribute__((noinline)) static const struct record *lookup(const char *key)
{
        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
                if (strcmp(table[i].key, key) == 0)
                        return &table[i];
        return NULL;
}

__attribute__((noinline)) static void copy_header(char *out, const struct record *r)
{
        memcpy(out, r->header, sizeof(r->header));
}

int main(int argc, char **argv)
{
        char out[24];
        copy_header(out, lookup(argc > 1 ? argv[1] : "c"));
        puts(out);
        return 0;
}
