// Two owners of one raw pointer: the copy constructor is the default one,
// both destructors delete the same buffer. glibc: "free(): double free
// detected in tcache 2".
#include <cstdio>
#include <cstring>

struct Blob {
        char *data;
        explicit Blob(const char *s) : data(new char[strlen(s) + 1]) { strcpy(data, s); }
        ~Blob() { delete[] data; }
};

__attribute__((noinline)) static void consume(Blob b) { std::puts(b.data); }

int main()
{
        Blob b("payload");
        consume(b);     // shallow copy, deleted at the end of consume
        return 0;       // deleted again here
}
