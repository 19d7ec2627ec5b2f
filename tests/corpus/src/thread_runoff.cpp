// buffer-overflow (thread stack): a worker formats into a buffer on its own
// stack; the repeat count comes from the request and is not checked. The
// loop writes upwards through the thread's TLS and control block to the top
// of its stack mapping and faults on the first byte past it. clang++ -O2
#include <cstdio>
#include <cstdlib>
#include <pthread.h>

struct Request {
        unsigned long repeat;
};

__attribute__((noinline)) static void render(char *out, const Request *r)
{
        for (unsigned long i = 0; i < r->repeat; i++)
                reinterpret_cast<volatile char *>(out)[i] = static_cast<char>('a' + i % 26);
}

static void *worker(void *arg)
{
        char line[128];
        render(line, static_cast<Request *>(arg));
        std::puts(line);
        return nullptr;
}

int main(int argc, char **argv)
{
        Request r{ std::strtoul(argc > 1 ? argv[1] : "100000000", nullptr, 10) };
        pthread_t t;
        pthread_create(&t, nullptr, worker, &r);
        pthread_join(t, nullptr);
        return 0;
}
