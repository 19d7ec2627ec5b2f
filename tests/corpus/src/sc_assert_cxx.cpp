// assert() in a C++ member function: __assert_fail with the pretty
// function name ("int Ring::pop()").
#include <cassert>
#include <cstdio>

class Ring {
        int buf[8];
        unsigned head = 0, tail = 0;
public:
        void push(int v) { buf[tail++ % 8] = v; }
        __attribute__((noinline)) int pop()
        {
                assert(head < tail && "pop from empty ring");
                return buf[head++ % 8];
        }
};

int main()
{
        Ring r;
        r.push(1);
        std::printf("%d\n", r.pop());
        std::printf("%d\n", r.pop());
        return 0;
}
