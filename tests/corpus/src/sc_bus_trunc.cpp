// A reader maps an index file, another part of the program truncates it
// (log rotation), the reader then walks the mapping: SIGBUS BUS_ADRERR.
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

__attribute__((noinline)) static long count_records(const unsigned *recs, size_t n)
{
        long c = 0;
        for (size_t i = 0; i < n; i++)
                c += recs[i] != 0;
        return c;
}

int main()
{
        char path[] = "idxXXXXXX";
        int fd = mkstemp(path);
        if (fd < 0 || ftruncate(fd, 1 << 16) != 0)
                return 1;
        void *p = mmap(nullptr, 1 << 16, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED)
                return 1;
        unlink(path);
        if (ftruncate(fd, 100) != 0)
                return 1;
        std::printf("%ld\n", count_records(static_cast<const unsigned *>(p), (1 << 16) / 4));
        return 0;
}
