// external-signal: a threaded C++ server idling (main in join, workers on a
// condition variable) receives a signal from kill(1). g++ -O2
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

static std::mutex m;
static std::condition_variable cv;
static bool stop = false;

__attribute__((noinline)) static void serve(int)
{
        std::unique_lock<std::mutex> lk(m);
        cv.wait(lk, [] { return stop; });
}

int main()
{
        std::vector<std::thread> pool;
        for (int i = 0; i < 3; i++)
                pool.emplace_back(serve, i);
        std::printf("ready\n");
        std::fflush(stdout);
        for (auto &t : pool)
                t.join();
        return 0;
}
