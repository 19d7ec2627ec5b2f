// null-deref inside library code inlined into the program: find_series()
// returns nullptr for an unknown name and add_sample() pushes onto its
// vector. The faulting load is std::vector::push_back, inlined from
// libstdc++'s stl_vector.h (clang's path: /usr/lib/gcc/.../include/c++/12):
// the crash frame is add_sample, the program's own code. clang++ -O2
#include <cstdio>
#include <cstring>
#include <vector>

struct Series {
        const char *name;
        std::vector<double> samples;
};

static Series cpu{ "cpu", {} };

__attribute__((noinline)) static Series *find_series(const char *name)
{
        return std::strcmp(name, cpu.name) == 0 ? &cpu : nullptr;
}

__attribute__((noinline)) static void add_sample(Series *s, double v)
{
        s->samples.push_back(v);
}

int main(int argc, char **argv)
{
        add_sample(find_series("cpu"), 1.0);
        add_sample(find_series(argc > 1 ? argv[1] : "memory"), 2.0);
        std::printf("%zu\n", cpu.samples.size());
        return 0;
}
