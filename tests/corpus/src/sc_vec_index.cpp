// operator[] past the end of a std::vector<long>: the stores run over the
// next chunk's header (numbers, not text); glibc notices when the vector is
// freed.
#include <cstdio>
#include <vector>

__attribute__((noinline)) static void fill_squares(std::vector<long> &v, int n)
{
        for (int i = 0; i < n; i++)
                v[i] = (long)i * i; // n > v.size()
}

int main()
{
        std::vector<long> v(4);
        std::vector<long> *other = new std::vector<long>(4);
        fill_squares(v, 12);
        std::printf("%ld\n", v[3]);
        delete other;
        return 0;
}
