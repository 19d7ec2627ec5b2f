// An exception escaping a std::thread's function: the thread's entry
// (noexcept) calls std::terminate with the exception in flight.
#include <cstdio>
#include <stdexcept>
#include <thread>

__attribute__((noinline)) static void parse_config(int n)
{
        if (n > 2)
                throw std::invalid_argument("bad config line");
        std::printf("line %d ok\n", n);
}

int main()
{
        std::thread t([] {
                for (int i = 0; i < 5; i++)
                        parse_config(i);
        });
        t.join();
        return 0;
}
