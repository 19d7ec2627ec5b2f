// delete of an object that was never allocated with new (it lives on the
// stack): glibc: "free(): invalid pointer".
#include <cstdio>

struct Node { int key; Node *next; };

__attribute__((noinline)) static void release(Node *n) { delete n; }

int main()
{
        Node local{42, nullptr};
        Node *p = &local;
        std::printf("%d\n", p->key);
        release(p);
        return 0;
}
