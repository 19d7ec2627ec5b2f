// Bucket index computed with % by a bucket count that is 0 for an empty
// table: SIGFPE FPE_INTDIV from idiv.
#include <cstdio>
#include <cstdlib>
#include <vector>

struct Table { std::vector<int> buckets; };

__attribute__((noinline)) static unsigned long bucket_of(const Table &t, unsigned long h)
{
        return h % t.buckets.size();
}

int main(int argc, char **argv)
{
        Table t;
        unsigned long h = argc > 1 ? std::strtoul(argv[1], nullptr, 0) : 12345;
        std::printf("%lu\n", bucket_of(t, h));
        return 0;
}
