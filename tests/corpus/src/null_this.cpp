// null-deref: calling a member function on a NULL object pointer (g++ -O2);
// the write to this->count faults at a small address (the field offset).
#include <cstdio>
#include <map>
#include <string>

struct Counter {
        std::string name;
        long count = 0;
        __attribute__((noinline)) void bump() { count++; }
};

static std::map<std::string, Counter *> counters;

__attribute__((noinline)) static Counter *find_counter(const std::string &n)
{
        auto it = counters.find(n);
        return it == counters.end() ? nullptr : it->second;
}

int main(int argc, char **argv)
{
        Counter *c = find_counter(argc > 1 ? argv[1] : "requests");
        c->bump();
        std::printf("%ld\n", c->count);
        return 0;
}
