// oom with library templates on the stack: load_lines() keeps every line of
// an endless input in a std::vector<std::string>; under ulimit -v the
// allocation in libstdc++'s templates (std::__new_allocator<T>::allocate,
// std::vector::_M_realloc_insert from vector.tcc, instantiated in the
// program) throws std::bad_alloc: the crash frame is load_lines.
// clang++ -O2
#include <cstdio>
#include <string>
#include <vector>

__attribute__((noinline)) static size_t load_lines(std::vector<std::string> &lines)
{
        for (;;)
                lines.emplace_back(std::string(64 << 10, 'x'));
        return lines.size();
}

int main()
{
        std::vector<std::string> lines;
        std::printf("%zu\n", load_lines(lines));
        return 0;
}
