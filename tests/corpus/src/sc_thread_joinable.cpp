// A std::thread that goes out of scope while still joinable: its destructor
// calls std::terminate (no exception is in flight).
#include <chrono>
#include <cstdio>
#include <thread>

__attribute__((noinline)) static void start_worker()
{
        std::thread t([] { std::this_thread::sleep_for(std::chrono::seconds(5)); });
        std::printf("worker started\n");
} // forgot t.join()

int main()
{
        start_worker();
        return 0;
}
