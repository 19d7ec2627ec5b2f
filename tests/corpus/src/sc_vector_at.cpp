// std::vector::at with an index one past the end: std::out_of_range is
// thrown, nobody catches it: std::terminate -> abort.
#include <cstdio>
#include <vector>

__attribute__((noinline)) static int last_score(const std::vector<int> &v)
{
        return v.at(v.size());
}

int main()
{
        std::vector<int> scores{3, 1, 4, 1, 5};
        std::printf("%d\n", last_score(scores));
        return 0;
}
