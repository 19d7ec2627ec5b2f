// use-after-free: a C++ object is deleted, then a method reads through one
// of its member pointers. The member lies right after the vtable pointer,
// where glibc's tcache keeps its key in a freed chunk.
#include <cstdio>

struct Buffer {
        long len = 0;
        char data[24] = {};
};

class Session {
public:
        Session() : buf(new Buffer()) {}
        virtual ~Session() { delete buf; }
        // noipa: at -O2 gcc would pass buf itself to an .isra clone, and the
        // load would happen in the caller (see the corpus README)
        __attribute__((noinline, noipa)) long pending() const { return buf->len; }

private:
        Buffer *buf;
};

int main()
{
        Session *s = new Session();
        std::printf("%ld\n", s->pending());
        delete s;
        std::printf("%ld\n", s->pending());
        return 0;
}
