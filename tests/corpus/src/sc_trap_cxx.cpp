// __builtin_trap() as an "unreachable" marker in a C++ switch: ud2, SIGILL.
#include <cstdio>
#include <cstdlib>

enum class Kind { Int, Str, List };

__attribute__((noinline)) static const char *kind_name(Kind k)
{
        switch (k) {
        case Kind::Int: return "int";
        case Kind::Str: return "str";
        case Kind::List: return "list";
        }
        __builtin_trap();
}

int main(int argc, char **argv)
{
        int k = argc > 1 ? std::atoi(argv[1]) : 9;
        std::puts(kind_name(static_cast<Kind>(k)));
        return 0;
}
