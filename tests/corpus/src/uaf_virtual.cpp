// use-after-free: a virtual call on a deleted object (g++ -O2). The freed
// object's vtable pointer was overwritten by the allocator's free-list link,
// so loading the method address faults.
#include <cstdio>

struct Listener {
        virtual ~Listener() = default;
        virtual void notify(int) = 0;
};

struct Printer : Listener {
        int seen = 0;
        void notify(int e) override { seen += e; std::printf("%d\n", e); }
};

__attribute__((noinline)) static void fire(Listener *l, int e)
{
        l->notify(e);
}

int main()
{
        Listener *l = new Printer();
        fire(l, 1);
        delete l;
        fire(l, 2);
        return 0;
}
