/* bus-error: write into a shared file mapping beyond the end of the file
 * (mapped 64 KiB of a 4 KiB file): SIGBUS BUS_ADRERR on the store. -O2 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

__attribute__((noinline)) static void write_log(char *map, size_t off, const char *msg)
{
        memcpy(map + off, msg, strlen(msg));
}

int main(void)
{
        char path[] = "/tmp/corpus-bus-XXXXXX";
        int fd = mkstemp(path);
        unlink(path);
        if (fd < 0 || ftruncate(fd, 4096) != 0)
                return 2;
        char *map = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (map == MAP_FAILED)
                return 2;
        for (size_t off = 0; off < 65536; off += 1024)
                write_log(map, off, "a log line that fills the mapping\n");
        return 0;
}
