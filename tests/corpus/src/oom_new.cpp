// oom: operator new throws std::bad_alloc under an address-space limit,
// nobody catches it, std::terminate aborts. (g++ -O2)
#include <cstdio>
#include <vector>

__attribute__((noinline)) static void load_rows(std::vector<std::vector<char>> &rows)
{
        for (;;)
                rows.emplace_back(4 << 20, 'x'); // 4 MiB per row, forever
}

int main()
{
        std::vector<std::vector<char>> rows;
        load_rows(rows);
        std::printf("%zu\n", rows.size());
        return 0;
}
