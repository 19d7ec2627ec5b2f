// buffer-overflow (heap, many bytes): Packet::set_payload() memcpy's the
// payload into the buffer the constructor sized from the header's length
// field (16) while the payload is 48 bytes of text: the copy runs through
// the next chunk's header and into the next allocation; glibc aborts when
// that allocation is deleted. clang++ -O2
#include <cstdio>
#include <cstring>

class Packet {
public:
        explicit Packet(size_t declared) : data_(new char[declared]) {}
        ~Packet() { delete[] data_; }
        __attribute__((noinline)) void set_payload(const char *p, size_t n) { std::memcpy(data_, p, n); }
        const char *data() const { return data_; }
private:
        char *data_;
};

int main(int argc, char **argv)
{
        const char *payload = argc > 1 ? argv[1] : "GET /index.html HTTP/1.1 Host: example.org ok..";
        Packet *p = new Packet(16);
        char *log = new char[32];
        std::strcpy(log, "log");
        p->set_payload(payload, std::strlen(payload) + 1);
        std::puts(p->data());
        delete[] log;
        delete p;
        return 0;
}
