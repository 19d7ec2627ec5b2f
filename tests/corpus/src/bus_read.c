/* bus-error: read a mapped file after it was truncated (another process
 * "rotated" it): SIGBUS BUS_ADRERR. -O0 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

__attribute__((noinline)) static long sum_mapped(const char *p, size_t n)
{
        long s = 0;
        for (size_t i = 0; i < n; i += 512)
                s += p[i];
        return s;
}

int main(void)
{
        char path[] = "/tmp/corpus-bus-XXXXXX";
        int fd = mkstemp(path);
        unlink(path);
        if (fd < 0 || ftruncate(fd, 65536) != 0)
                return 2;
        char *p = mmap(NULL, 65536, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED)
                return 2;
        ftruncate(fd, 0); /* the file shrinks under the mapping */
        printf("%ld\n", sum_mapped(p, 65536));
        return 0;
}
