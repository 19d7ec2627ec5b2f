/* wild-jump: a call through a corrupted function pointer (0xdeadbeef000). -O0 */
#include <stdint.h>
#include <stdio.h>

struct ops {
        int (*open)(const char *);
};

static int real_open(const char *p) { return puts(p); }

__attribute__((noinline)) static int do_open(struct ops *o, const char *path)
{
        return o->open(path);
}

int main(void)
{
        struct ops o = { real_open };
        volatile uintptr_t garbage = 0xdeadbeef000;
        do_open(&o, "first");
        o.open = (int (*)(const char *))garbage; /* stray write */
        do_open(&o, "second");
        return 0;
}
