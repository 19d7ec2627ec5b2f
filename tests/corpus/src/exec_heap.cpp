// wild-jump (executing data): the callback and its context are swapped at
// registration, so the "callback" is a heap buffer holding text. The heap is
// not executable: SIGSEGV SEGV_ACCERR with si_addr == pc inside [heap]; the
// bytes there ("scan...") decode as string instructions that never ran.
// clang++ -O2
#include <cstdio>
#include <cstdlib>
#include <cstring>

using callback = void (*)(void *);

struct Hook {
        callback fn;
        void *ctx;
};

static Hook hooks[4];

__attribute__((noinline)) static void add_hook(int i, void *ctx, callback fn)
{
        // bug: fields assigned the wrong way round
        hooks[i].fn = reinterpret_cast<callback>(ctx);
        hooks[i].ctx = reinterpret_cast<void *>(fn);
}

__attribute__((noinline)) static void fire_hooks(int n)
{
        for (int i = 0; i < n; i++)
                hooks[i].fn(hooks[i].ctx);
}

static void print_ctx(void *p) { std::puts(static_cast<const char *>(p)); }

int main()
{
        char *label = static_cast<char *>(std::malloc(64));
        std::strcpy(label, "\xae\xae scanner ready");
        add_hook(0, label, print_ctx);
        fire_hooks(1);
        std::free(label);
        return 0;
}
