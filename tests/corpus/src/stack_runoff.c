/* buffer-overflow (stack): a record is unpacked into a buffer in main's
 * frame with a length taken from the input and never checked. The copy
 * loop runs upwards, over main's frame, argv, environ and the auxiliary
 * vector, and faults on the first byte past the top of [stack]. gcc -O0 */
#include <stdlib.h>

__attribute__((noinline)) static void unpack(char *dst, size_t len, char fill)
{
        for (size_t i = 0; i < len; i++)
                dst[i] = fill;
}

int main(int argc, char **argv)
{
        char record[64];
        size_t len = strtoul(argc > 1 ? argv[1] : "64", NULL, 10);
        unpack(record, len, 'A');
        return record[0];
}
