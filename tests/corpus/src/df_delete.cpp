// double-free: a C++ object deleted twice (two owners of a raw pointer), g++ -O2.
#include <cstdio>
#include <string>

struct Buffer {
        char data[48];
};

struct Owner {
        Buffer *buf;
        ~Owner() { delete buf; }
};

__attribute__((noinline)) static void use(Owner &o) { std::snprintf(o.buf->data, sizeof(o.buf->data), "x"); }

int main()
{
        Buffer *b = new Buffer();
        {
                Owner first{b};
                use(first);
        }
        {
                Owner second{b}; // shares the same pointer
                use(second);
        }
        return 0;
}
